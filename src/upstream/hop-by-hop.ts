/** Headers that belong to one connection and never cross a proxy (RFC 9110 7.6.1). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade',
  'proxy-authenticate', 'proxy-authorization', 'http2-settings'
])

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

/** Remove hop-by-hop headers, and those the Connection header names, in place. */
export function stripHopByHop (headers: Record<string, unknown>): void {
  const listed = connectionListed(headers.connection as string | string[] | undefined)
  for (const name of listed) delete headers[name]
  for (const name of HOP_BY_HOP) {
    if (name in headers) delete headers[name]
  }
}
