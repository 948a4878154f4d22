import type { HostCondition, RouteMatch, ValueCondition } from './types.js'

/**
 * True when every request meeting `b`'s audience conditions (`match.headers`,
 * `query`, `host`) also meets `a`'s, so that `a`'s conditions never turn away
 * a request `b` would take. Each condition of `a` must follow from one of
 * `b`'s on the same name:
 * - an exact value from the same value (header values compared trimmed);
 * - `present: true` from `present: true` or from any exact value;
 * - `present: false` from `present: false`;
 * - host `api.example.com` from the same host; `*.example.com` from a host
 *   below example.com, or from `*.example.com` or `*.eu.example.com`.
 * A route with no conditions covers every audience. Conservative: false
 * whenever unsure (a later route is then not called unreachable).
 */
export function audienceCovers (a: RouteMatch, b: RouteMatch): boolean {
  if (a.headers.length === 0 && a.query.length === 0 && a.host === null) return true
  return a.headers.every(c => followsFrom(c, b.headers, true)) &&
    a.query.every(c => followsFrom(c, b.query, false)) &&
    hostCovers(a.host, b.host)
}

function followsFrom (cond: ValueCondition, given: readonly ValueCondition[], trim: boolean): boolean {
  const g = given.find(x => x.name === cond.name)
  if (g === undefined) return false
  if (cond.equals !== undefined) return g.equals !== undefined && same(cond.equals, g.equals, trim)
  if (cond.present === false) return g.equals === undefined && g.present === false
  return g.equals !== undefined || g.present !== false
}

function same (x: string, y: string, trim: boolean): boolean {
  return trim ? x.trim() === y.trim() : x === y
}

function hostCovers (a: HostCondition | null, b: HostCondition | null): boolean {
  if (a === null) return true
  if (b === null) return false
  if ('exact' in a) return 'exact' in b && b.exact === a.exact
  const bName = 'exact' in b ? b.exact : b.suffix
  return bName.endsWith(a.suffix) && ('suffix' in b || bName.length > a.suffix.length)
}
