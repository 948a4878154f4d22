import { describe, expect, it } from 'vitest'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import type { DiffRecord } from '../../src/store/record.js'

describe('kinds of a folded path', () => {
  it('counts a record once per folded path but every kind it shows there', async () => {
    const side = { upstream: 'x', status: 200, ms: 1, bytes: 1 }
    const rec: DiffRecord = {
      v: 1, id: 'r1', at: '2026-11-21T10:00:00.000Z', route: 'r', method: 'GET', url: '/', primary: side, shadow: side, outcome: 'mismatch',
      differences: [
        { kind: 'removed', path: '$.orders[6]', primary: { id: 1 } },
        { kind: 'added', path: '$.orders[3]', shadow: { id: 2 } },
        { kind: 'removed', path: '$.orders[7]', primary: { id: 3 } }
      ]
    }
    const report = await aggregateRecords([rec])
    const top = report.routes[0]!.topDifferences
    expect(top).toHaveLength(1)
    expect(top[0]).toMatchObject({ path: '$.orders[*]', count: 1, kinds: { removed: 1, added: 1 } })
  })
})
