import { closest } from './suggest.js'

/**
 * The methods the proxy forwards, the only ones `match.method` may name.
 * Others never reach a route: TRACE and CONNECT are refused by the proxy,
 * and an extension method (WebDAV's PROPFIND, say) is not forwarded.
 */
export const FORWARDED_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']

/** Standard methods (RFC 9110) the proxy answers itself rather than forwarding. */
const REFUSED: Readonly<Record<string, string>> = {
  TRACE: 'TRACE is answered by the proxy itself (never forwarded, it would echo credentials back)',
  CONNECT: 'CONNECT is answered by the proxy itself (it is not a tunnel)'
}

/**
 * Why an upper-cased method cannot be matched, or null when it can:
 * `unknown method "GTE"; did you mean "GET"?`.
 */
export function methodRefusal (method: string): string | null {
  if (FORWARDED_METHODS.includes(method)) return null
  const refused = REFUSED[method]
  if (refused !== undefined) return `${refused}; a route can match ${FORWARDED_METHODS.join(', ')}`
  const near = closest(method, FORWARDED_METHODS)
  const hint = near === null ? '' : `; did you mean ${JSON.stringify(near)}?`
  return `unknown method ${JSON.stringify(method)}${hint} (a route can match ${FORWARDED_METHODS.join(', ')}; the proxy forwards no other method)`
}
