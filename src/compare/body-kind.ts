/**
 * How a body is compared, from its content-type:
 * - `json`: application/json, text/json, any `+json` suffix (application/problem+json,
 *   application/vnd.api+json), compared structurally;
 * - `xml`: application/xml, text/xml, any `+xml` suffix (application/soap+xml,
 *   application/atom+xml), compared structurally (see xml-document.ts);
 * - `text`: other text/*, application/javascript (and x-javascript, ecmascript),
 *   application/x-www-form-urlencoded, application/yaml, application/x-yaml,
 *   application/x-ndjson, application/graphql; compared exactly;
 * - `binary`: anything else, or no content-type; compared by SHA-256.
 */
export type BodyKind = 'json' | 'xml' | 'text' | 'binary'

const TEXT_TYPES: ReadonlySet<string> = new Set([
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/x-www-form-urlencoded',
  'application/yaml',
  'application/x-yaml',
  'application/x-ndjson',
  'application/graphql'
])

/** The media type alone, lower case: `Application/JSON; charset=utf-8` -> `application/json`. */
export function mediaType (contentType: string | readonly string[] | null | undefined): string {
  const raw = Array.isArray(contentType) ? contentType[0] : contentType
  if (typeof raw !== 'string') return ''
  const semi = raw.indexOf(';')
  return (semi === -1 ? raw : raw.slice(0, semi)).trim().toLowerCase()
}

export function bodyKind (contentType: string | readonly string[] | null | undefined): BodyKind {
  const type = mediaType(contentType)
  if (type === '') return 'binary'
  if (type === 'application/json' || type === 'text/json' || type.endsWith('+json')) return 'json'
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'xml'
  if (type.startsWith('text/') || TEXT_TYPES.has(type)) return 'text'
  return 'binary'
}
