import type { RouteConfig, Rules } from '../config/types.js'
import { methodMatches } from '../config/method-matches.js'
import { matchPath, splitPath } from './match-path.js'

/**
 * The live route table: immutable, built once per rules load and swapped
 * whole on reload. Lookup keeps "first match in file order" while only
 * visiting routes that can match: routes are bucketed by their first static
 * segment; routes starting with a parameter (or matching everything) are
 * merged into every bucket in file order.
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

  /** The first route matching method (a GET route takes HEAD too) and normalized path, or null (the default `serve`). */
  match (method: string, path: string): RouteConfig | null {
    const segments = splitPath(path)
    const first = segments[0]
    const candidates = first === undefined ? this.wild : (this.buckets.get(first) ?? this.wild)
    for (let i = 0; i < candidates.length; i++) {
      const route = candidates[i]!
      if (!methodMatches(route.match.methods, method)) continue
      if (matchPath(route.match.path, segments)) return route
    }
    return null
  }
}
