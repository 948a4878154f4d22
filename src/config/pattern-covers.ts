import { audienceCovers } from './audience-covers.js'
import { methodMatches } from './method-matches.js'
import type { PatternSegment, RouteMatch } from './types.js'

/**
 * True when every request matched by `b` is also matched by `a`, so a route `b`
 * after a route `a` is unreachable: `a` takes all of `b`'s methods, its path
 * pattern covers `b`'s, and its audience conditions (headers, query, host)
 * follow from `b`'s (audience-covers.ts). Conservative: false whenever unsure.
 */
export function patternCovers (a: RouteMatch, b: RouteMatch): boolean {
  return methodsCover(a.methods, b.methods) && pathCovers(a, b) && audienceCovers(a, b)
}

/** Every method `b` takes, `a` takes: a GET route takes HEAD too (method-matches.ts). */
function methodsCover (a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null) return true
  if (b === null) return false
  return b.every(m => methodMatches(a, m))
}

function pathCovers (a: RouteMatch, b: RouteMatch): boolean {
  const as = a.path.segments
  const bs = b.path.segments
  if (a.path.prefix) {
    return as.length <= bs.length && as.every((s, i) => segmentCovers(s, bs[i]!))
  }
  if (b.path.prefix || as.length !== bs.length) return false
  return as.every((s, i) => segmentCovers(s, bs[i]!))
}

function segmentCovers (a: PatternSegment, b: PatternSegment): boolean {
  switch (a.kind) {
    case 'param':
      return true
    case 'static':
      return b.kind === 'static' && b.value === a.value
    case 'mixed':
      if (b.kind === 'static') return a.regex.test(b.value)
      return b.kind === 'mixed' && shape(b.source) === shape(a.source)
  }
}

/** `{file}.{ext}` and `{a}.{b}` match the same segments. */
function shape (mixedSource: string): string {
  return mixedSource.replace(/\{[^}]*\}/g, '{}')
}
