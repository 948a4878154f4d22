import { readFile } from 'node:fs/promises'
import { dirname, resolve as resolvePath } from 'node:path'
import SwaggerParser from '@apidevtools/swagger-parser'
import type { OpenAPI, OpenAPIV2, OpenAPIV3, OpenAPIV3_1 } from 'openapi-types'
import { parse as parseYaml, YAMLParseError } from 'yaml'
import { createFolderResolver } from './folder-resolver.js'
import { locatePointer, locateRef } from './locate-pointer.js'
import { SpecError, type SpecPosition } from './spec-error.js'

export type SpecVersion = 'swagger2' | 'openapi3.0' | 'openapi3.1'

interface LoadedSpecBase {
  /** absolute path of the spec file */
  readonly file: string
  /** the version string as written: "2.0", "3.0.3", "3.1.0" */
  readonly versionString: string
}

/**
 * A validated spec with every $ref resolved in place. Shared components are
 * the same object wherever they are used, and recursive schemas make the
 * document cyclic: walk it with a visited set, never JSON.stringify it.
 */
export type LoadedSpec =
  | (LoadedSpecBase & { readonly version: 'swagger2'; readonly document: OpenAPIV2.Document })
  | (LoadedSpecBase & { readonly version: 'openapi3.0'; readonly document: OpenAPIV3.Document })
  | (LoadedSpecBase & { readonly version: 'openapi3.1'; readonly document: OpenAPIV3_1.Document })

/** Above this size the source is not re-parsed to find an error's line (it would take seconds). */
const POSITION_LOOKUP_MAX_BYTES = 8 * 1024 * 1024
const MAX_MESSAGE_LINES = 20

/**
 * Read, validate and dereference an OpenAPI 3.0/3.1 or Swagger 2.0 file
 * (YAML or JSON). $refs are resolved with no network access and only from
 * files inside the spec's own folder (see folder-resolver.ts); anything else
 * is a SpecError SPEC_REF_REFUSED, read never. A file that cannot be read or
 * parsed is SPEC_READ, a document that fails validation SPEC_INVALID, with
 * the parser's message and the file position when one can be found.
 */
export async function loadSpec (file: string): Promise<LoadedSpec> {
  const abs = resolvePath(file)
  let text: string
  try {
    text = await readFile(abs, 'utf8')
  } catch (err) {
    throw new SpecError('SPEC_READ', file, `cannot read the spec: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, null, { cause: err })
  }
  const raw = parseSource(text, file)
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecError('SPEC_READ', file, 'the spec is not a YAML or JSON object')
  }

  const guard = createFolderResolver(dirname(abs), abs)
  const parser = new SwaggerParser()
  let document: OpenAPI.Document
  try {
    document = await parser.validate(abs, raw as OpenAPI.Document, {
      resolve: {
        // the parser's own resolvers would read any file (file:///etc/passwd) and fetch any URL
        file: false,
        http: false,
        external: true,
        strangler: guard.plugin
      },
      dereference: { circular: true }
    } as unknown as SwaggerParser.Options)
  } catch (err) {
    const failure = guard.failure()
    if (failure !== null) throw failure
    if (err instanceof SpecError) throw err
    throw invalidSpecError(err, text, file)
  }
  const failure = guard.failure()
  if (failure !== null) throw failure

  const doc = document as unknown as Record<string, unknown>
  if (typeof doc.swagger === 'string') {
    return { file: abs, versionString: doc.swagger, version: 'swagger2', document: document as OpenAPIV2.Document }
  }
  const v = String(doc.openapi)
  if (v.startsWith('3.1')) return { file: abs, versionString: v, version: 'openapi3.1', document: document as OpenAPIV3_1.Document }
  return { file: abs, versionString: v, version: 'openapi3.0', document: document as OpenAPIV3.Document }
}

function parseSource (text: string, file: string): unknown {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text)
    } catch {
      // fall through: YAML is a superset of JSON and reports a line and column
    }
  }
  try {
    return parseYaml(text, { prettyErrors: true, maxAliasCount: 10_000 })
  } catch (err) {
    if (err instanceof YAMLParseError && err.linePos !== undefined) {
      const [start] = err.linePos
      const first = err.message.split('\n')[0] ?? err.message
      throw new SpecError('SPEC_READ', file, `not valid YAML or JSON: ${first.replace(/ at line \d+, column \d+:?$/, '')}`, { file, line: start.line, column: start.col }, { cause: err })
    }
    throw new SpecError('SPEC_READ', file, `not valid YAML or JSON: ${(err as Error).message}`, null, { cause: err })
  }
}

interface AjvLikeError { readonly instancePath?: string }

function invalidSpecError (err: unknown, text: string, file: string): SpecError {
  const e = err as { message?: string; details?: unknown }
  const message = trimMessage(String(e?.message ?? err))
  let position: SpecPosition | null = null
  if (text.length <= POSITION_LOOKUP_MAX_BYTES) {
    try {
      position = findPosition(e, message, text, file)
    } catch {
      position = null
    }
  }
  return new SpecError('SPEC_INVALID', file, message, position, { cause: err })
}

function findPosition (e: { details?: unknown }, message: string, text: string, file: string): SpecPosition | null {
  if (Array.isArray(e.details) && e.details.length > 0) {
    // the deepest reported location is the most specific one
    let best = ''
    for (const d of e.details as AjvLikeError[]) {
      const p = typeof d.instancePath === 'string' ? d.instancePath : ''
      if (p.split('/').length > best.split('/').length) best = p
    }
    const pos = locatePointer(text, best)
    return pos === null ? null : { file, line: pos.line, column: pos.column }
  }
  const missing = /\$ref pointer "([^"]+)"/.exec(message)
  if (missing !== null) {
    const pos = locateRef(text, missing[1]!)
    return pos === null ? null : { file, line: pos.line, column: pos.column }
  }
  if (/OpenAPI version|Swagger version|openapi version/i.test(message)) {
    const pos = locatePointer(text, /^(Unrecognized )?Swagger version/i.test(message) ? '/swagger' : '/openapi')
    return pos === null || pos.found === '/' ? null : { file, line: pos.line, column: pos.column }
  }
  return null
}

function trimMessage (message: string): string {
  const lines = message.trim().split('\n').map(l => l.trimEnd())
  if (lines.length <= MAX_MESSAGE_LINES) return lines.join('\n')
  return [...lines.slice(0, MAX_MESSAGE_LINES), `  … ${lines.length - MAX_MESSAGE_LINES} more`].join('\n')
}
