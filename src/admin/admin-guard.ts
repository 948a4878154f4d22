import type { IncomingHttpHeaders } from 'node:http'
import type { ErrorCode } from '../errors.js'
import { hostAllowed } from './host-allowed.js'
import { tokenMatches } from './token-matches.js'

export interface AdminGuardOptions {
  /** the address the admin listener was bound to (--admin-host) */
  readonly boundHost: string
  /** the port it listens on (read per request: known once listening) */
  readonly port: () => number
  /** when set, every request must carry `Authorization: Bearer <token>` */
  readonly token: string | null
}

/** Why a request to the admin listener is refused. */
export interface AdminRefusal {
  readonly code: ErrorCode
  readonly message: string
}

const one = (v: string | string[] | undefined): string | undefined => Array.isArray(v) ? v.join(',') : v

/** Whether a request carries a body: chunked, or a content-length other than 0. */
function hasBody (headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true
  const length = headers['content-length']
  return length !== undefined && length.trim() !== '0'
}

/** Whether an Origin header is the origin the request was sent to (http://<Host>). */
function sameOrigin (origin: string, host: string | undefined): boolean {
  if (host === undefined) return false
  try {
    const o = new URL(origin)
    return o.protocol === 'http:' && o.pathname === '/' && o.search === '' && o.username === '' && o.host === new URL(`http://${host}`).host
  } catch {
    return false
  }
}

/**
 * What every request to the admin listener goes through before its route:
 * 1. Host: one of the listener's own names (hostAllowed); a request
 *    without Host (HTTP/1.0, no browser sends one) passes;
 * 2. Origin: absent, or the listener's own origin: a web page elsewhere
 *    never reaches it, neither to read nor to write;
 * 3. the token, when one is set, for reads and writes alike;
 * 4. writes (any method but GET and HEAD): no body, or a JSON one; a
 *    content-type other than application/json is refused even without a
 *    body, so a cross-site `text/plain` form post never counts as a write.
 * Returns null when the request may go on.
 */
export function checkAdminRequest (method: string, headers: IncomingHttpHeaders, opts: AdminGuardOptions): AdminRefusal | null {
  const host = headers.host
  if (host !== undefined && !hostAllowed(host, opts.boundHost, opts.port())) {
    return { code: 'ADMIN_HOST_REFUSED', message: `Host ${JSON.stringify(host)} is not this admin listener; use localhost, 127.0.0.1, [::1] or the address it is bound to` }
  }
  const origin = one(headers.origin)
  if (origin !== undefined && !sameOrigin(origin, host)) {
    return { code: 'ADMIN_ORIGIN_REFUSED', message: `requests from ${JSON.stringify(origin)} are refused: the admin listener answers no web page of another origin` }
  }
  if (opts.token !== null && !tokenMatches(one(headers.authorization), opts.token)) {
    return { code: 'ADMIN_UNAUTHORIZED', message: 'this admin listener needs its token: Authorization: Bearer <token>' }
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const type = headers['content-type']
    if (type !== undefined ? type.split(';')[0]!.trim().toLowerCase() !== 'application/json' : hasBody(headers)) {
      return { code: 'ADMIN_CONTENT_TYPE', message: `${method} needs no body or a JSON one (content-type: application/json), not ${type === undefined ? 'a body without content-type' : JSON.stringify(type)}` }
    }
  }
  return null
}
