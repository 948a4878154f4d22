import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import formatsModule from 'ajv-formats'
import type { ContractFinding } from '../store/difference.js'
import { formatJsonPath } from '../config/json-path.js'
import type { LoadedSpec } from './load-spec.js'
import { bodyKind, mediaType } from '../compare/body-kind.js'
import { escapePointer } from './json-pointer.js'
import type { Operation, OperationsIndex } from './operations-index.js'
import { SchemaConverter } from './schema-converter.js'

export type ContractSide = 'primary' | 'shadow'
export type ContractSkipReason = 'no-operation' | 'no-schema' | 'not-json'
export type ContractDifference = ContractFinding

export type ContractResult =
  | { readonly checked: true; readonly differences: readonly ContractDifference[]; /** violations beyond the cap, not listed */ readonly omitted: number }
  | { readonly checked: false; readonly reason: ContractSkipReason }

export interface ContractStats {
  /** responses validated */
  readonly checked: number
  /** of those, responses with at least one violation */
  readonly violating: number
  /** responses not validated, by reason */
  readonly skipped: Readonly<Record<ContractSkipReason, number>>
}

/** A schema of the spec that ajv could not compile (a bad regex, say): its responses are treated as having no schema. */
export interface ContractCompileError {
  readonly operation: string
  readonly pointer: string
  readonly message: string
}

export interface ContractValidatorOptions {
  /** most violations listed per response (default 20) */
  readonly maxDifferences?: number
}

interface Compiled { readonly validate: ValidateFunction; readonly pointer: string }
/** per operation: status key ('200', '2XX', 'default') -> media type -> compiled schema, or null when the media has none */
type OperationSchemas = ReadonlyMap<string, ReadonlyMap<string, Compiled | null>>

const addFormats = (formatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default ?? formatsModule

/**
 * Checks responses against the operation's response schema for their status
 * and content type. Every schema is compiled once, in `fromSpec`; a request
 * costs an index lookup and a run of the compiled function.
 *
 * Response selection: the exact status, else its range (`2XX`), else
 * `default`; then the media type: exact, else `type/*`, else `*\/*`. Only JSON
 * bodies are checked (`application/json`, `text/json`, `*\/*+json`, as the comparison decides). Responses with no
 * operation, no schema or a non-JSON body are skipped and counted (`stats`).
 * A status the operation does not declare (no exact, range or `default`
 * response) is itself a finding, path `$status`, whatever the body.
 */
export class ContractValidator {
  private readonly schemas: ReadonlyMap<Operation, OperationSchemas>
  private readonly counts = { checked: 0, violating: 0, skipped: { 'no-operation': 0, 'no-schema': 0, 'not-json': 0 } }

  private constructor (
    private readonly index: OperationsIndex,
    private readonly converter: SchemaConverter,
    schemas: Map<Operation, OperationSchemas>,
    /** schemas that did not compile */
    readonly compileErrors: readonly ContractCompileError[],
    private readonly maxDifferences: number
  ) {
    this.schemas = schemas
  }

  /** Compile every response schema of the spec. */
  static fromSpec (spec: LoadedSpec, index: OperationsIndex, options: ContractValidatorOptions = {}): ContractValidator {
    const ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      verbose: true, // errors carry parentSchema: mapped back to the spec pointer
      validateSchema: false,
      logger: false,
      unicodeRegExp: false // spec patterns are often written for non-unicode regexes
    })
    addFormats(ajv)
    addOpenApiFormats(ajv)
    const converter = new SchemaConverter(ajv, spec.version, componentSchemas(spec))
    const byObject = new Map<object, Compiled | null>()
    const compileErrors: ContractCompileError[] = []
    const schemas = new Map<Operation, OperationSchemas>()
    for (const op of index.operations) {
      const perStatus = new Map<string, Map<string, Compiled | null>>()
      for (const r of op.responses) {
        const perMedia = new Map<string, Compiled | null>()
        for (const m of r.media) {
          if (m.schema === null) { perMedia.set(m.type, null); continue }
          let compiled = byObject.get(m.schema)
          if (compiled === undefined) {
            try {
              compiled = { validate: ajv.compile(converter.convert(m.schema, m.pointer)), pointer: m.pointer }
            } catch (err) {
              compiled = null
              compileErrors.push({ operation: `${op.method} ${op.path}`, pointer: m.pointer, message: (err as Error).message })
            }
            byObject.set(m.schema, compiled)
          }
          perMedia.set(m.type, compiled)
        }
        perStatus.set(r.status, perMedia)
      }
      schemas.set(op, perStatus)
    }
    return new ContractValidator(index, converter, schemas, compileErrors, options.maxDifferences ?? 20)
  }

  /**
   * Validate one response body (already parsed JSON). `contentType` is the
   * response header as sent (parameters are ignored).
   */
  validate (method: string, concretePath: string, status: number, contentType: string | null | undefined, bodyJson: unknown, side: ContractSide): ContractResult {
    const op = this.index.lookup(method, concretePath)
    if (op === null) return this.skip('no-operation')
    const media = declared(this.schemas.get(op), status)
    if (media === undefined) {
      if (op.responses.length === 0) return this.skip('no-schema')
      this.counts.checked++
      this.counts.violating++
      return { checked: true, differences: [undeclaredStatus(op, status, side)], omitted: 0 }
    }
    const type = contentType === null || contentType === undefined ? '' : mediaType(contentType)
    if (!isJsonType(type) || bodyJson === undefined) return this.skip('not-json')
    const compiled = pick(media, type)
    if (compiled === null) return this.skip('no-schema')
    this.counts.checked++
    if (compiled.validate(bodyJson) === true) return { checked: true, differences: [], omitted: 0 }
    this.counts.violating++
    const errors = compiled.validate.errors ?? []
    const differences: ContractDifference[] = []
    const seen = new Set<string>()
    let omitted = 0
    for (const e of errors) {
      const d = this.difference(e, bodyJson, side, compiled.pointer)
      const key = `${d.path}\u0000${d.schemaPath}`
      if (seen.has(key)) continue
      seen.add(key)
      if (differences.length < this.maxDifferences) differences.push(d)
      else omitted++
    }
    return { checked: true, differences, omitted }
  }

  stats (): ContractStats {
    return { checked: this.counts.checked, violating: this.counts.violating, skipped: { ...this.counts.skipped } }
  }

  private skip (reason: ContractSkipReason): ContractResult {
    this.counts.skipped[reason]++
    return { checked: false, reason }
  }

  private difference (e: ErrorObject, body: unknown, side: ContractSide, rootPointer: string): ContractDifference {
    const segments = instanceSegments(e.instancePath, body)
    const p = e.params as Record<string, unknown>
    if (e.keyword === 'required' && typeof p.missingProperty === 'string') segments.push(p.missingProperty)
    else if (e.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') segments.push(p.additionalProperty)
    else if (e.keyword === 'unevaluatedProperties' && typeof p.unevaluatedProperty === 'string') segments.push(p.unevaluatedProperty)
    const base = this.converter.pointerOf(e.parentSchema) ?? rootPointer + e.schemaPath.replace(/^#/, '').replace(/\/[^/]*$/, '')
    return {
      kind: 'contract',
      path: formatJsonPath(segments),
      side,
      schemaPath: `${base}/${escapePointer(e.keyword)}`,
      message: message(e)
    }
  }
}

function componentSchemas (spec: LoadedSpec): Map<object, string> {
  const out = new Map<object, string>()
  const doc = spec.document as unknown as Record<string, unknown>
  const [holder, prefix] = spec.version === 'swagger2'
    ? [doc.definitions, '#/definitions']
    : [(doc.components as Record<string, unknown> | undefined)?.schemas, '#/components/schemas']
  if (holder !== null && typeof holder === 'object') {
    for (const [name, schema] of Object.entries(holder)) {
      if (schema !== null && typeof schema === 'object' && !out.has(schema)) out.set(schema, `${prefix}/${escapePointer(name)}`)
    }
  }
  return out
}

/** The response the operation declares for a status: exact, else its range (`2XX`), else `default`. */
function declared (schemas: OperationSchemas | undefined, status: number): ReadonlyMap<string, Compiled | null> | undefined {
  if (schemas === undefined) return undefined
  return schemas.get(String(status)) ?? schemas.get(`${Math.floor(status / 100)}XX`) ?? schemas.get('default')
}

function undeclaredStatus (op: Operation, status: number, side: ContractSide): ContractDifference {
  const list = op.responses.map(r => r.status).join(', ')
  return {
    kind: 'contract',
    path: '$status',
    side,
    schemaPath: `${op.pointer}/responses`,
    message: `status ${status} is not a response the operation declares (${list}) and there is no default`
  }
}

function pick (media: ReadonlyMap<string, Compiled | null>, type: string): Compiled | null {
  const exact = media.get(type)
  if (exact !== undefined) return exact
  const slash = type.indexOf('/')
  return media.get(`${type.slice(0, slash)}/*`) ?? media.get('*/*') ?? null
}

function isJsonType (type: string): boolean {
  return type !== '' && bodyKind(type) === 'json'
}

/** ajv's instancePath (`/items/3/price`) as record path segments; indexes are numbers where the body has an array. */
function instanceSegments (instancePath: string, body: unknown): Array<string | number> {
  if (instancePath === '') return []
  const out: Array<string | number> = []
  let cur: unknown = body
  for (const raw of instancePath.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(cur) && /^\d+$/.test(key)) {
      out.push(Number(key))
      cur = cur[Number(key)]
    } else {
      out.push(key)
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined
    }
  }
  return out
}

function message (e: ErrorObject): string {
  const base = e.message ?? `fails ${e.keyword}`
  const p = e.params as Record<string, unknown>
  if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) {
    const list = p.allowedValues.slice(0, 10).map(v => JSON.stringify(v)).join(', ')
    return `${base}: ${list}${p.allowedValues.length > 10 ? ', …' : ''}`
  }
  if (e.keyword === 'const') return `${base}: ${JSON.stringify(p.allowedValue)}`
  return base
}

/** The OpenAPI format names ajv-formats does not know: checked where it is cheap, accepted otherwise. */
function addOpenApiFormats (ajv: Ajv2020): void {
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 })
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) })
  ajv.addFormat('float', { type: 'number', validate: () => true })
  ajv.addFormat('double', { type: 'number', validate: () => true })
  ajv.addFormat('byte', { type: 'string', validate: (s: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 })
  ajv.addFormat('binary', { type: 'string', validate: () => true })
  ajv.addFormat('password', { type: 'string', validate: () => true })
}
