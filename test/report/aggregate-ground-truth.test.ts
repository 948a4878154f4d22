import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rm } from 'node:fs/promises'
import { readRecords } from '../../src/store/read-records.js'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import type { ParityReport, RouteReport } from '../../src/report/parity-report.js'
import { exactPercentile, fold, writeGroundTruthStore, type GroundTruth } from './ground-truth-store.js'

let gt: GroundTruth
let report: ParityReport
const route = (name: string): RouteReport => {
  const r = report.routes.find(x => x.route === name)
  if (!r) throw new Error(`route ${name} missing`)
  return r
}

beforeAll(async () => {
  gt = await writeGroundTruthStore()
  report = await aggregateRecords(readRecords(gt.dir), { store: gt.dir })
})
afterAll(async () => { await rm(gt.dir, { recursive: true, force: true }) })

describe('aggregateRecords over a store with known ground truth', () => {
  it('counts compared, matched, mismatched, errors and skipped by reason (count ?? 1) per route', () => {
    expect(report.routes.map(r => r.route).sort()).toEqual([...gt.routes.keys()].sort())
    for (const [name, t] of gt.routes) {
      const r = route(name)
      expect(r.compared).toBe(t.compared)
      expect(r.compared).toBe(r.matched + r.mismatched)
      expect(r.matched).toBe(t.matched)
      expect(r.mismatched).toBe(t.mismatched)
      expect(r.errors).toBe(t.errors)
      expect(r.skipped).toEqual(t.skipped)
      expect(r.parity).toBeCloseTo(t.matched / t.compared, 12)
    }
    // hand-checked numbers of the fixture
    expect(route('get-order')).toMatchObject({ compared: 150, matched: 120, mismatched: 30, errors: 5, skipped: { concurrency: 4, 'too-large': 2 }, skippedTotal: 6, parity: 0.8 })
    expect(report.totals).toMatchObject({ routes: 4, compared: 660, matched: 625, mismatched: 35, errors: 5, skippedTotal: 6 })
  })

  it('folds array indexes and counts each record once per folded path, with its share of mismatched', () => {
    for (const [name, t] of gt.routes) {
      const r = route(name)
      const expected = [...t.paths].map(([path, ids]) => ({ path, count: ids.size })).sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : 1))
      expect(r.topDifferences.map(d => ({ path: d.path, count: d.count }))).toEqual(expected)
      for (const d of r.topDifferences) expect(d.share).toBeCloseTo(d.count / t.mismatched, 12)
    }
    const top = route('get-order').topDifferences
    expect(top[0]).toMatchObject({ path: '$.items[*].legacyCode', count: 20 })
    expect(top.map(d => d.path)).toEqual(['$.items[*].legacyCode', '$.items[*].price', '$.id', '$status'])
    expect(top[1]).toMatchObject({ count: 20, share: 20 / 30, kinds: { changed: 20 } })
    expect(route('users').topDifferences).toEqual([expect.objectContaining({ path: '$.data[*].nickname', count: 5, share: 1, kinds: { added: 5 } })])
  })

  it('gives up to 3 example ids per path, each a record of the store that has that path', () => {
    const byId = new Map(gt.records.map(r => [r.id, r]))
    for (const r of report.routes) {
      for (const d of r.topDifferences) {
        expect(d.examples.length).toBeGreaterThan(0)
        expect(d.examples.length).toBeLessThanOrEqual(3)
        for (const id of d.examples) {
          expect(gt.ids.has(id)).toBe(true)
          const rec = byId.get(id)!
          expect(rec.route).toBe(r.route)
          expect(rec.differences.some(x => fold(x.path) === d.path)).toBe(true)
        }
        expect(d.example).not.toBeNull()
        expect(d.examples).toContain(d.example!.id)
      }
    }
    const price = route('get-order').topDifferences.find(d => d.path === '$.items[*].price')!
    expect(price.example).toMatchObject({ kind: 'changed', path: '$.items[0].price', primary: 10, shadow: 10.5, primaryUpstream: 'legacy', shadowUpstream: 'orders' })
  })

  it('lists status-code pairs that differ', () => {
    expect(route('get-order').statusPairs).toEqual([expect.objectContaining({ label: '200 → 201', primary: 200, shadow: 201, count: 10 })])
    for (const id of route('get-order').statusPairs[0]!.examples) expect(gt.ids.has(id)).toBe(true)
    expect(route('list-orders').statusPairs).toEqual([])
  })

  it('computes latency p50/p99 of each side (exact nearest rank for one-decimal ms under 204.8 ms)', () => {
    for (const [name, t] of gt.routes) {
      const r = route(name)
      expect(r.latency.primary).toEqual({ count: t.compared, p50: exactPercentile(t.primaryMs, 0.5), p99: exactPercentile(t.primaryMs, 0.99) })
      expect(r.latency.shadow).toEqual({ count: t.compared, p50: exactPercentile(t.shadowMs, 0.5), p99: exactPercentile(t.shadowMs, 0.99) })
    }
    expect(route('get-order').latency.primary).toMatchObject({ p50: 38, p99: 99 })
  })

  it('keeps per-operation sub-counts when records carry an operation', () => {
    expect(route('get-order').operations).toEqual([{ operation: 'GET /orders/{id}', compared: 150, matched: 120, mismatched: 30, errors: 0, parity: 0.8 }])
    expect(route('users').operations).toEqual([])
  })

  it('gives each route a verdict and sorts ready first, broken after, insufficient data last', () => {
    expect(report.routes.map(r => [r.route, r.verdict])).toEqual([
      ['list-orders', 'ready'],
      ['users', 'almost'],
      ['get-order', 'broken'],
      ['search', 'insufficient-data']
    ])
    expect(report.totals.verdicts).toEqual({ ready: 1, almost: 1, broken: 1, 'insufficient-data': 1 })
    expect(route('list-orders').stage).toBeNull()
  })

  it('takes stages from the caller when given', async () => {
    const withStages = await aggregateRecords(readRecords(gt.dir), { stages: new Map([['users', 'shadowing' as const]]) })
    expect(withStages.routes.find(r => r.route === 'users')!.stage).toBe('shadowing')
    expect(withStages.routes.find(r => r.route === 'search')!.stage).toBeNull()
  })
})
