import type { RouteMatch, ValueCondition } from '../config/types.js'

/**
 * A route's audience conditions in a few words, as coverage prints them:
 * `x-tenant=acme, x-beta present, ?debug absent, ?beta=1, host *.example.com`.
 * '' for a route without conditions.
 */
export function describeAudience (match: RouteMatch): string {
  const parts = [
    ...match.headers.map(c => condition(c.name, c)),
    ...match.query.map(c => condition('?' + c.name, c))
  ]
  if (match.host !== null) parts.push('exact' in match.host ? `host ${match.host.exact}` : `host *${match.host.suffix}`)
  return parts.join(', ')
}

function condition (name: string, c: ValueCondition): string {
  if (c.equals !== undefined) return `${name}=${c.equals}`
  return `${name} ${c.present === false ? 'absent' : 'present'}`
}
