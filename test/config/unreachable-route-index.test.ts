import { expect, test } from 'vitest'
import { parsePathPattern, patternCovers } from '../../src/config/path-pattern.js'
import { RouteCoverIndex, type IndexedRoute } from '../../src/config/route-cover-index.js'
import type { HostCondition, RouteMatch, ValueCondition } from '../../src/config/types.js'

// regression (issue 12): `check` compared each route with every earlier one
// (20k routes: 20 s, 50k: minutes). The index must give the very answer of
// that scan: the first earlier route that covers, for every route.

/** A small deterministic generator (mulberry32), so a failure replays. */
function rng (seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SEGMENTS = ['api', 'v1', 'users', 'orders', 'me', '42', '{id}', '{name}.{ext}', 'file.json', 'v{n}', '{x}']
const HEADER_CONDITIONS: ValueCondition[] = [{ name: 'x-tenant', equals: 'acme' }, { name: 'x-tenant', equals: 'globex' }, { name: 'x-tenant', present: true }, { name: 'x-beta', present: false }]
const QUERY_CONDITIONS: ValueCondition[] = [{ name: 'beta', equals: '1' }, { name: 'beta', present: true }]
const HOST_CONDITIONS: HostCondition[] = [{ exact: 'api.example.com' }, { suffix: '.example.com' }, { exact: 'example.com' }]
const METHOD_SETS: (string[] | null)[] = [null, ['GET'], ['POST'], ['GET', 'POST'], ['HEAD'], ['PUT', 'DELETE'], ['GET', 'PUT']]

function randomMatch (next: () => number): RouteMatch {
  const depth = Math.floor(next() * 4)
  const segs: string[] = []
  const used = new Set<string>()
  for (let i = 0; i < depth; i++) {
    let s = SEGMENTS[Math.floor(next() * SEGMENTS.length)]!
    // a parameter name once per pattern
    if (s.includes('{') && [...s.matchAll(/\{(\w+)\}/g)].some(m => used.has(m[1]!))) s = 'api'
    for (const m of s.matchAll(/\{(\w+)\}/g)) used.add(m[1]!)
    segs.push(s)
  }
  const prefix = next() < 0.25
  const source = '/' + segs.join('/') + (prefix ? (segs.length === 0 ? '**' : '/**') : '')
  // most routes have no audience; the others a header, a query or a host condition, or two
  const headers = next() < 0.25 ? [HEADER_CONDITIONS[Math.floor(next() * HEADER_CONDITIONS.length)]!] : []
  const query = next() < 0.15 ? [QUERY_CONDITIONS[Math.floor(next() * QUERY_CONDITIONS.length)]!] : []
  const host = next() < 0.15 ? HOST_CONDITIONS[Math.floor(next() * HOST_CONDITIONS.length)]! : null
  return { methods: METHOD_SETS[Math.floor(next() * METHOD_SETS.length)]!, path: parsePathPattern(source), headers, query, host }
}

test('the index finds, for each route, the first earlier route that covers it, as the full scan does', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const next = rng(seed)
    const routes: IndexedRoute[] = Array.from({ length: 400 }, (_, i) => ({ index: i, name: `r${i}`, match: randomMatch(next) }))
    const index = new RouteCoverIndex()
    let covered = 0
    for (const r of routes) {
      const expected = routes.slice(0, r.index).find(e => patternCovers(e.match, r.match)) ?? null
      const found = index.firstCover(r.match)
      expect(found?.index ?? null, `seed ${seed}, ${r.match.path.source} ${JSON.stringify(r.match.methods)} ${JSON.stringify([r.match.headers, r.match.query, r.match.host])}`).toBe(expected?.index ?? null)
      if (expected !== null) covered++
      index.add(r)
    }
    // the generated files do exercise both answers
    expect(covered).toBeGreaterThan(20)
    expect(covered).toBeLessThan(390)
  }
})
