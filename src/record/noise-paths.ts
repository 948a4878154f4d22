import { foldIndexes } from '../config/json-path.js'

/** Noise paths kept per route; past it, new ones are dropped (a route whose every path is noise says enough). */
const MAX_PATHS_PER_ROUTE = 200

/**
 * Noise found by calibration (`shadow.calibrate`): the paths, array indexes
 * folded to `[*]`, at which two answers of the primary's own upstream to the
 * same request differed (its own timestamps, request ids, random order). A
 * later difference at such a path is noise for that route: recorded with
 * `noise: true`, not counted against parity.
 */
export class NoisePaths {
  readonly #byRoute = new Map<string, Set<string>>()

  /** Paths (record form) where the primary's two answers differed. */
  add (route: string, paths: Iterable<string>): void {
    let set = this.#byRoute.get(route)
    for (const p of paths) {
      set ??= new Set()
      if (set.size >= MAX_PATHS_PER_ROUTE) break
      set.add(foldIndexes(p))
    }
    if (set !== undefined && !this.#byRoute.has(route)) this.#byRoute.set(route, set)
  }

  /** true when `path` (record form) is noise for `route` */
  has (route: string, path: string): boolean {
    const set = this.#byRoute.get(route)
    return set !== undefined && set.has(foldIndexes(path))
  }

  /** true when the route has noise paths at all */
  any (route: string): boolean {
    return (this.#byRoute.get(route)?.size ?? 0) > 0
  }

  /** The route's noise paths, sorted. */
  list (route: string): string[] {
    return [...(this.#byRoute.get(route) ?? [])].sort()
  }
}
