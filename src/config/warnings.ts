/**
 * Warnings: a route no request can reach because an earlier route matches all it
 * would; a route that shadows to the only upstream it serves; `sticky` without
 * weights; `shadowWrites: true` without `shadow`; an upstream url whose base path
 * doubles its routes' first segment. Read leniently from the raw document so they
 * show beside errors too.
 */
import { doubledPrefixes } from './doubled-prefix.js'
import { matchHeaders, matchHost, matchQuery } from './flip-schema.js'
import { isMapping, type Finding } from './finding.js'
import { parsePathPattern } from './path-pattern.js'
import { RouteCoverIndex } from './route-cover-index.js'
import type { RouteMatch } from './types.js'
import { forEachRoute } from './validate.js'

export function findWarnings (raw: unknown): Finding[] {
  if (!isMapping(raw)) return []
  return [...unreachableRoutes(raw), ...selfShadows(raw), ...unusedRouteKeys(raw), ...doubledPrefixes(raw)]
}

/** Each route against the earlier ones that could cover it (RouteCoverIndex), not against all of them. */
function unreachableRoutes (raw: Record<string, unknown>): Finding[] {
  const findings: Finding[] = []
  const earlier = new RouteCoverIndex()
  forEachRoute(raw, (route, i) => {
    const match = lenientMatch(route['match'])
    if (match === null) return
    const cover = earlier.firstCover(match)
    if (cover !== null) {
      findings.push({
        severity: 'warning',
        code: 'RULES_UNREACHABLE_ROUTE',
        message: `unreachable: the earlier route ${JSON.stringify(cover.name)} (routes[${cover.index}]) matches every request this one would; move this route above it or narrow that one`,
        path: ['routes', i, 'match'],
        point: 'value'
      })
    }
    earlier.add({ name: typeof route['name'] === 'string' ? route['name'] : `routes[${i}]`, index: i, match })
  })
  return findings
}

function selfShadows (raw: Record<string, unknown>): Finding[] {
  const findings: Finding[] = []
  forEachRoute(raw, (route, i) => {
    const shadow = route['shadow']
    if (typeof shadow !== 'string') return
    const serve = route['serve']
    const served = isMapping(serve) ? Object.keys(serve) : [serve]
    if (served.length !== 1 || served[0] !== shadow) return
    findings.push({
      severity: 'warning',
      code: 'RULES_SHADOW_SELF',
      message: `shadow ${JSON.stringify(shadow)} is the only upstream this route serves, so nothing is ever mirrored; shadow the other side`,
      path: ['routes', i, 'shadow'],
      point: 'value'
    })
  })
  return findings
}

/** Keys that do nothing where they are: `sticky` with a single upstream, `shadowWrites: true` without a shadow. */
function unusedRouteKeys (raw: Record<string, unknown>): Finding[] {
  const findings: Finding[] = []
  forEachRoute(raw, (route, i) => {
    if (route['sticky'] !== undefined && typeof route['serve'] === 'string') {
      findings.push({
        severity: 'warning',
        code: 'RULES_STICKY_UNUSED',
        message: `sticky does nothing here: serve names one upstream (${JSON.stringify(route['serve'])}); stickiness only chooses among weights, e.g. serve: { orders: 10, legacy: 90 }`,
        path: ['routes', i, 'sticky'],
        point: 'value'
      })
    }
    if (route['shadowWrites'] === true && route['shadow'] === undefined) {
      findings.push({
        severity: 'warning',
        code: 'RULES_SHADOW_WRITES_UNUSED',
        message: 'shadowWrites: true does nothing here: the route has no shadow to mirror writes to; add shadow: NAME',
        path: ['routes', i, 'shadowWrites'],
        point: 'value'
      })
    }
  })
  return findings
}

/**
 * The route's match when it is valid, else null (its errors are reported
 * elsewhere). The audience keys are read with the schema's own parsers, so
 * the check sees the conditions the proxy will.
 */
function lenientMatch (match: unknown): RouteMatch | null {
  if (!isMapping(match) || typeof match['path'] !== 'string') return null
  const method = match['method']
  const list = method === undefined ? null : Array.isArray(method) ? method : [method]
  if (list !== null && (list.length === 0 || !list.every(m => typeof m === 'string'))) return null
  const headers = match['headers'] === undefined ? { success: true as const, data: [] } : matchHeaders.safeParse(match['headers'])
  const query = match['query'] === undefined ? { success: true as const, data: [] } : matchQuery.safeParse(match['query'])
  const host = match['host'] === undefined ? { success: true as const, data: null } : matchHost.safeParse(match['host'])
  if (!headers.success || !query.success || !host.success) return null
  try {
    return { methods: list === null ? null : list.map(m => (m as string).toUpperCase()), path: parsePathPattern(match['path']), headers: headers.data, query: query.data, host: host.data }
  } catch {
    return null
  }
}
