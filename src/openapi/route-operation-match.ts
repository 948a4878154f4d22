import { methodMatches } from '../config/method-matches.js'
import { patternCovers } from '../config/path-pattern.js'
import type { PatternSegment, RouteMatch } from '../config/types.js'
import type { Operation } from './operations-index.js'

/** The operation as a rules match: its method and its full path template. */
export function operationMatch (op: Operation): RouteMatch {
  return { methods: [op.method], path: op.pattern, headers: [], query: [], host: null }
}

/**
 * True when a route takes every request of the operation: its methods include
 * the operation's, and each path segment covers the template's (a route
 * `{param}` covers anything, a static segment only the same static one: a
 * route /users/me does not cover /users/{id}), and it has no audience
 * condition the operation's requests may fail. Same rule as the config's
 * unreachable-route check.
 */
export function routeCoversOperation (route: RouteMatch, op: Operation): boolean {
  return patternCovers(route, operationMatch(op))
}

/**
 * True when a route takes every request of the operation that meets the
 * route's audience conditions (`match.headers`, `query`, `host`): its method
 * and path cover the operation's, whatever its conditions. For a route
 * without conditions, the same as routeCoversOperation.
 */
export function routeCoversOperationPath (route: RouteMatch, op: Operation): boolean {
  return patternCovers({ ...route, headers: [], query: [], host: null }, operationMatch(op))
}

/** True when a route takes at least some requests of the operation (/users/me of /users/{id}). */
export function routeOverlapsOperation (route: RouteMatch, op: Operation): boolean {
  if (!methodMatches(route.methods, op.method)) return false
  const rs = route.path.segments
  const os = op.pattern.segments
  if (route.path.prefix ? os.length < rs.length : os.length !== rs.length) return false
  for (let i = 0; i < rs.length; i++) {
    if (!segmentsOverlap(rs[i]!, os[i]!)) return false
  }
  return true
}

function segmentsOverlap (r: PatternSegment, o: PatternSegment): boolean {
  switch (r.kind) {
    case 'param':
      return !(o.kind === 'static' && o.value === '')
    case 'static':
      if (o.kind === 'static') return o.value === r.value
      if (o.kind === 'param') return r.value !== ''
      return o.regex.test(r.value)
    case 'mixed':
      if (o.kind === 'static') return r.regex.test(o.value)
      if (o.kind === 'param') return true
      // two mixed segments ({id}.json and {name}.{ext}) may well overlap: assume they do
      return true
  }
}
