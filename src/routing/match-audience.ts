import type { HostCondition, RouteMatch, ValueCondition } from '../config/types.js'
import type { AudienceRequest } from './audience-request.js'

/** Whether a route has any audience condition; a route without one is decided by method and path alone. */
export function hasAudience (match: RouteMatch): boolean {
  return match.headers.length !== 0 || match.query.length !== 0 || match.host !== null
}

/**
 * Whether the request meets every audience condition of the route (AND):
 * - `match.headers`: names case-insensitive. `{ present: true }` holds when
 *   the header is sent (even empty), `{ present: false }` when it is not. A
 *   value holds when it equals, case-sensitively and after trimming, one of the
 *   values sent: a header sent more than once holds if any one field line
 *   equals it, or any one element of a comma-separated line (RFC 9110 5.3: a
 *   list may come as one line or as several).
 * - `match.query`: names exact. Values are compared form-decoded (`+` is a
 *   space, then percent-decoding); a parameter given more than once holds if
 *   any one value equals it; a value with a malformed escape equals nothing.
 * - `match.host`: the Host header without its port, lower case
 *   (request-host.ts), equal to `exact`, or ending in `suffix`
 *   (`*.example.com`: any name below example.com, not example.com itself).
 * Cheap checks go first; the query is only parsed when the others held.
 */
export function matchesAudience (match: RouteMatch, request: AudienceRequest): boolean {
  const headers = match.headers
  for (let i = 0; i < headers.length; i++) {
    if (!headerHolds(headers[i]!, request.rawHeaders)) return false
  }
  if (match.host !== null && !hostHolds(match.host, request.host())) return false
  const query = match.query
  if (query.length !== 0) {
    const params = request.query()
    for (let i = 0; i < query.length; i++) {
      if (!queryHolds(query[i]!, params.get(query[i]!.name))) return false
    }
  }
  return true
}

function headerHolds (cond: ValueCondition, rawHeaders: readonly string[]): boolean {
  const name = cond.name
  const want = cond.equals === undefined ? undefined : cond.equals.trim()
  let seen = false
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const n = rawHeaders[i]!
    if (n.length !== name.length || n.toLowerCase() !== name) continue
    seen = true
    if (want === undefined) break
    if (valueListHas(rawHeaders[i + 1]!, want)) return true
  }
  if (want !== undefined) return false
  return seen === (cond.present !== false)
}

/** The field line trimmed equals `want`, or one of its comma-separated elements does. */
function valueListHas (line: string, want: string): boolean {
  if (line.trim() === want) return true
  if (line.indexOf(',') === -1) return false
  for (const part of line.split(',')) if (part.trim() === want) return true
  return false
}

function queryHolds (cond: ValueCondition, values: ReadonlyArray<string | null> | undefined): boolean {
  if (cond.equals === undefined) return (values !== undefined) === (cond.present !== false)
  return values !== undefined && values.includes(cond.equals)
}

function hostHolds (cond: HostCondition, host: string | null): boolean {
  if (host === null) return false
  return 'exact' in cond ? host === cond.exact : host.length > cond.suffix.length && host.endsWith(cond.suffix)
}
