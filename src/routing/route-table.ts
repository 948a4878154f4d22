import type { RouteConfig, Rules } from '../config/types.js'
import { methodMatches } from '../config/method-matches.js'
import { AudienceRequest } from './audience-request.js'
import { hasAudience, matchesAudience } from './match-audience.js'
import { matchPath, splitPath } from './match-path.js'

/**
 * The live route table: immutable, built once per rules load and swapped
 * whole on reload. Lookup keeps "first match in file order" while only
 * visiting routes that can match: routes are bucketed by their first static
 * segment; routes starting with a parameter (or matching everything) are
 * merged into every bucket in file order.
 *
 * A route with audience conditions (`match.headers`, `query`, `host`) is
 * checked against them only once its method and path match (match-audience.ts);
 * a request reaching no such route pays nothing for them (no allocation, no
 * query parsing).
 */
export class RouteTable {
  readonly rules: Rules
  private readonly buckets: ReadonlyMap<string, readonly RouteConfig[]>
  private readonly wild: readonly RouteConfig[]

  constructor (rules: Rules) {
    this.rules = rules
    const wild: RouteConfig[] = []
    const byFirst = new Map<string, RouteConfig[]>()
    for (const route of rules.routes) {
      const first = route.match.path.segments[0]
      if (first === undefined || first.kind !== 'static') {
        wild.push(route)
      } else {
        let list = byFirst.get(first.value)
        if (!list) { list = []; byFirst.set(first.value, list) }
        list.push(route)
      }
    }
    const buckets = new Map<string, readonly RouteConfig[]>()
    for (const [key, list] of byFirst) {
      buckets.set(key, Object.freeze([...list, ...wild].sort((a, b) => a.index - b.index)))
    }
    this.buckets = buckets
    this.wild = Object.freeze(wild)
    Object.freeze(this)
  }

  /**
   * The first route matching method (a GET route takes HEAD too), normalized
   * path and audience conditions, or null (the default `serve`). `rawHeaders`
   * are the request's as received ([name, value, …]); `query` is its raw
   * query string (with the `?`, or ''), as path-guard.ts splits it off.
   */
  match (method: string, path: string, rawHeaders: readonly string[], query: string): RouteConfig | null {
    const segments = splitPath(path)
    const first = segments[0]
    const candidates = first === undefined ? this.wild : (this.buckets.get(first) ?? this.wild)
    let audience: AudienceRequest | null = null
    for (let i = 0; i < candidates.length; i++) {
      const route = candidates[i]!
      if (!methodMatches(route.match.methods, method)) continue
      if (!matchPath(route.match.path, segments)) continue
      if (!hasAudience(route.match)) return route
      audience ??= new AudienceRequest(rawHeaders, query)
      if (matchesAudience(route.match, audience)) return route
    }
    return null
  }
}
