/**
 * The paths a diff record prints, as `compare.ignore`, `compare.typeOnly` and
 * `compare.accept` take them (DESIGN "Known differences"): `$status` (the status
 * difference), `$headers['name']` (a compared header, name case-insensitive),
 * `$body` (the whole body) and JSON paths of the subset in json-path.ts.
 */
import { JsonPathSyntaxError, parseJsonPath, type JsonPath } from './json-path.js'

export const STATUS_PATH = '$status'
export const BODY_PATH = '$body'

export type ComparePath =
  | { readonly kind: 'status' }
  | { readonly kind: 'header'; /** lower case */ readonly name: string }
  | { readonly kind: 'body' }
  | { readonly kind: 'json'; readonly path: JsonPath }

const HEADER = /^\$headers\[(['"])((?:\\.|(?!\1)[^\\])*)\1\]$/

/** The record path of a header difference: `$headers['content-type']`. */
export function headerPath (name: string): string {
  return `$headers['${name.toLowerCase().replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`
}

/** Parse a path of any printed form; throws JsonPathSyntaxError naming the position. */
export function parseComparePath (source: string): ComparePath {
  if (source === STATUS_PATH) return { kind: 'status' }
  if (source === BODY_PATH) return { kind: 'body' }
  if (source.startsWith('$headers')) {
    const m = HEADER.exec(source)
    if (m === null) throw new JsonPathSyntaxError(source, 8, "a header path is $headers['name']")
    const name = m[2]!.replace(/\\(.)/g, '$1')
    if (name === '') throw new JsonPathSyntaxError(source, 9, 'the header name is empty')
    return { kind: 'header', name: name.toLowerCase() }
  }
  try {
    return { kind: 'json', path: parseJsonPath(source) }
  } catch (err) {
    if (err instanceof JsonPathSyntaxError && /^\$[A-Za-z]/.test(source)) {
      throw new JsonPathSyntaxError(source, 1, `unexpected ${JSON.stringify(source[1])}: a JSON path goes on with . or [; the other paths are $status, $body and $headers['name']`)
    }
    throw err
  }
}
