/** Headers that belong to one connection and never cross a proxy (RFC 9110 7.6.1). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade',
  'proxy-authenticate', 'proxy-authorization', 'http2-settings'
])

/** The same names as an array: a plain indexed loop on the hot path, no Set iterator per request. */
const HOP_BY_HOP_LIST: readonly string[] = Object.freeze([...HOP_BY_HOP])

/** Header names listed in a Connection header, lower-cased. */
export function connectionListed (value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  const s = Array.isArray(value) ? value.join(',') : value
  const out: string[] = []
  for (const part of s.split(',')) {
    const name = part.trim().toLowerCase()
    if (name.length > 0) out.push(name)
  }
  return out
}

/**
 * Remove hop-by-hop headers, and those the Connection header names, in
 * place. Only headers that are present are deleted: a `delete` of a missing
 * key still costs a lookup, and deleting turns V8's fast object into a
 * dictionary, so the common request (none present) touches nothing.
 */
export function stripHopByHop (headers: Record<string, unknown>): void {
  const connection = headers.connection
  if (connection !== undefined) {
    for (const name of connectionListed(connection as string | string[])) delete headers[name]
  }
  for (let i = 0; i < HOP_BY_HOP_LIST.length; i++) {
    const name = HOP_BY_HOP_LIST[i]!
    if (headers[name] !== undefined) delete headers[name]
  }
}
