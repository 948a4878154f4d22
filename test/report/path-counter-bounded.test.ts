import { describe, expect, it } from 'vitest'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import { makeRecord } from './ground-truth-store.js'

describe('differing paths on a route with unbounded distinct paths (keys that are ids)', () => {
  it('keeps memory bounded, keeps the frequent paths on top and says counts are approximate', async () => {
    async function * records () {
      for (let i = 0; i < 20000; i++) {
        yield makeRecord({
          route: 'r',
          outcome: 'mismatch',
          i,
          differences: [
            { kind: 'added', path: `$.byId.u${i}`, shadow: i }, // unique per record
            ...(i % 2 === 0 ? [{ kind: 'changed' as const, path: `$.items[${i % 7}].price`, primary: 1, shadow: 2 }] : [])
          ]
        })
      }
    }
    const report = await aggregateRecords(records(), { pathCapacity: 100, top: 5 })
    const r = report.routes[0]!
    expect(r.pathsApproximate).toBe(true)
    expect(r.distinctPaths).toBeGreaterThanOrEqual(10001)
    expect(r.topDifferences[0]).toMatchObject({ path: '$.items[*].price', share: 0.5 })
    // lossy counting: a path kept from the start keeps its exact count
    expect(r.topDifferences[0]!.count).toBe(10000)
  })

  it('is exact while distinct paths stay under the capacity', async () => {
    const recs = Array.from({ length: 50 }, (_, i) => makeRecord({ route: 'r', outcome: 'mismatch', i, differences: [{ kind: 'added', path: `$.k${i % 10}`, shadow: 1 }] }))
    const r = (await aggregateRecords(recs, { pathCapacity: 10 })).routes[0]!
    expect(r.pathsApproximate).toBe(false)
    expect(r.distinctPaths).toBe(10)
    expect(r.topDifferences.every(d => d.count === 5)).toBe(true)
  })
})
