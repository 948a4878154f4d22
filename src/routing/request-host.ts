/**
 * The host a request was sent to, as `match.host` compares it: the first
 * `Host` header (HTTP/1.1; the proxy answers 400 to a request with two), lower
 * case, without its port and without a final dot (`API.Example.com.:8080` →
 * `api.example.com`). An IPv6 literal keeps its brackets (`[::1]:8080` →
 * `[::1]`), so no host name pattern matches it. null when there is no Host
 * header (HTTP/1.0) or it is empty: then no host condition holds.
 * `x-forwarded-host` is not read: the Host header is what the client sent.
 */
export function requestHost (rawHeaders: readonly string[]): string | null {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!
    if (name.length === 4 && name.toLowerCase() === 'host') return normalizeHost(rawHeaders[i + 1]!)
  }
  return null
}

function normalizeHost (value: string): string | null {
  let host = value.trim().toLowerCase()
  if (host.charCodeAt(0) === 91 /* [ */) {
    const close = host.indexOf(']')
    host = close === -1 ? host : host.slice(0, close + 1)
  } else {
    const colon = host.indexOf(':')
    if (colon !== -1) host = host.slice(0, colon)
    if (host.endsWith('.')) host = host.slice(0, -1)
  }
  return host === '' ? null : host
}
