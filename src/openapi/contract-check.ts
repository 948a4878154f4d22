import type { CapturedResponse } from '../compare/captured-response.js'
import { decodeBody } from '../compare/decode-body.js'
import type { ContractFinding } from '../store/difference.js'
import { headerValue } from '../compare/header-value.js'
import { ContractValidator, type ContractSide } from './contract-validator.js'
import { loadSpec } from './load-spec.js'
import { buildOperationsIndex, type OperationsIndex } from './operations-index.js'

/**
 * What the pair recorder calls for `serve --spec` (structurally the
 * `ContractCheck` of src/record/pair-recorder.ts): the operation template of a
 * request, for the record's `operation`, and the contract findings of one
 * captured response.
 */
export interface ResponseContractCheck {
  operation (method: string, path: string): string | null
  check (method: string, path: string, side: ContractSide, res: CapturedResponse): ContractFinding[]
}

export interface LoadedContractCheck {
  readonly check: ResponseContractCheck
  readonly validator: ContractValidator
  readonly index: OperationsIndex
}

/**
 * Load a spec and compile its response schemas once, for `serve --spec`.
 * Throws SpecError (SPEC_READ, SPEC_INVALID, SPEC_REF_REFUSED) like loadSpec.
 */
export async function loadContractCheck (specFile: string): Promise<LoadedContractCheck> {
  const spec = await loadSpec(specFile)
  const index = buildOperationsIndex(spec)
  const validator = ContractValidator.fromSpec(spec, index)
  return { check: createContractCheck(validator, index), validator, index }
}

/**
 * Adapts a ContractValidator to captured responses: the body is decoded
 * (content-encoding) and parsed as JSON when the content type says JSON. A
 * body that cannot be decoded or parsed, and the (empty) body of a HEAD
 * answer, are not validated: the comparison already reports a broken body.
 * The status is checked either way. Skips are counted in `validator.stats()`.
 */
export function createContractCheck (validator: ContractValidator, index: OperationsIndex): ResponseContractCheck {
  return {
    operation (method, path) {
      return index.lookup(method, path)?.template ?? null
    },
    check (method, path, side, res) {
      const contentType = headerValue(res.headers, 'content-type')
      const json = method === 'HEAD' ? undefined : parsedBody(res)
      const result = validator.validate(method, path, res.status, json === undefined ? null : contentType, json, side)
      return result.checked ? [...result.differences] : []
    }
  }
}

/** The JSON body (null when empty), or undefined when it cannot be decoded or parsed. */
function parsedBody (res: CapturedResponse): unknown {
  if (res.body === null || res.body.length === 0) return null
  const decoded = decodeBody(res.body, headerValue(res.headers, 'content-encoding'))
  if (!decoded.ok) return undefined
  try {
    return JSON.parse(decoded.body.toString('utf8')) as unknown
  } catch {
    return undefined
  }
}
