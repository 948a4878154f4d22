import { audienceCovers } from './audience-covers.js'
import { methodMatches } from './method-matches.js'
import type { PatternSegment, RouteMatch } from './types.js'

/** A route added to the index: its position and name, for the warning. */
export interface IndexedRoute {
  readonly index: number
  readonly name: string
  readonly match: RouteMatch
}

/** One node per path segment of the patterns added: a trie, so a lookup follows only the segments that could cover. */
interface Node {
  statics: Map<string, Node> | null
  param: Node | null
  /** mixed segments (`{name}.{ext}`) by source */
  mixed: Map<string, { readonly segment: Extract<PatternSegment, { kind: 'mixed' }>; readonly shape: string; readonly node: Node }> | null
  /** routes whose pattern ends here (no `/**`), first added first */
  exact: IndexedRoute[] | null
  /** routes whose pattern ends here with `/**` */
  prefix: IndexedRoute[] | null
}

const newNode = (): Node => ({ statics: null, param: null, mixed: null, exact: null, prefix: null })

/** `{file}.{ext}` and `{a}.{b}` match the same segments. */
function shape (mixedSource: string): string {
  return mixedSource.replace(/\{[^}]*\}/g, '{}')
}

/** Every method `b` takes, `a` takes: a GET route takes HEAD too (method-matches.ts). */
function methodsCover (a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null) return true
  if (b === null) return false
  return b.every(m => methodMatches(a, m))
}

/** `a` takes every request of `b` that reaches the same trie place: by method and by audience. */
function covers (a: RouteMatch, b: RouteMatch): boolean {
  return methodsCover(a.methods, b.methods) && audienceCovers(a, b)
}

/**
 * The routes of a file in order, indexed so that `firstCover` finds the
 * earliest route that matches every request a new one would (the same answer
 * as patternCovers tried against each earlier route in turn), looking only at
 * the routes whose segments could cover the new one's. A route that an
 * earlier one at the same trie place already covers by method and audience
 * is not kept: it can never be the first to cover anything (covering is
 * transitive). So a file's check stays near linear in its number of routes.
 */
export class RouteCoverIndex {
  readonly #root = newNode()

  add (route: IndexedRoute): void {
    let node = this.#root
    for (const seg of route.match.path.segments) {
      if (seg.kind === 'static') {
        const map = (node.statics ??= new Map())
        let next = map.get(seg.value)
        if (next === undefined) { next = newNode(); map.set(seg.value, next) }
        node = next
      } else if (seg.kind === 'param') {
        node = (node.param ??= newNode())
      } else {
        const map = (node.mixed ??= new Map())
        let next = map.get(seg.source)
        if (next === undefined) { next = { segment: seg, shape: shape(seg.source), node: newNode() }; map.set(seg.source, next) }
        node = next.node
      }
    }
    const list = route.match.path.prefix ? (node.prefix ??= []) : (node.exact ??= [])
    if (!list.some(e => covers(e.match, route.match))) list.push(route)
  }

  /** The earliest route added whose match covers `b` (patternCovers), or null. */
  firstCover (b: RouteMatch): IndexedRoute | null {
    let best: IndexedRoute | null = null
    const consider = (list: IndexedRoute[] | null): void => {
      if (list === null) return
      for (const e of list) {
        if (best !== null && e.index >= best.index) return // lists are in file order
        if (covers(e.match, b)) { best = e; return }
      }
    }
    const segs = b.path.segments
    const walk = (node: Node, depth: number): void => {
      // a `/**` route ending here covers every path below, whatever b is
      consider(node.prefix)
      if (depth === segs.length) {
        if (!b.path.prefix) consider(node.exact)
        return
      }
      const seg = segs[depth]!
      if (node.param !== null) walk(node.param, depth + 1)
      if (seg.kind === 'static') {
        const next = node.statics?.get(seg.value)
        if (next !== undefined) walk(next, depth + 1)
        if (node.mixed !== null) for (const m of node.mixed.values()) if (m.segment.regex.test(seg.value)) walk(m.node, depth + 1)
      } else if (seg.kind === 'mixed' && node.mixed !== null) {
        const s = shape(seg.source)
        for (const m of node.mixed.values()) if (m.shape === s) walk(m.node, depth + 1)
      }
    }
    walk(this.#root, 0)
    return best
  }
}
