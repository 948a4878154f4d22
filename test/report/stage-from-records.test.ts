import { describe, expect, it } from 'vitest'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import type { DiffRecord } from '../../src/store/record.js'

function rec (id: string, at: string, stage: DiffRecord['stage']): DiffRecord {
  const side = { upstream: 'x', status: 200, ms: 1, bytes: 1 }
  return { v: 1, id, at, route: 'r', method: 'GET', url: '/', primary: side, shadow: side, outcome: 'match', differences: [], ...(stage ? { stage } : {}) }
}

describe('report stage', () => {
  it('takes the stage of the newest record that carries one', async () => {
    const report = await aggregateRecords([
      rec('a', '2026-11-21T10:00:00.000Z', 'shadowing'),
      rec('b', '2026-11-21T12:00:00.000Z', 'verifying'),
      rec('c', '2026-11-21T11:00:00.000Z', 'canary'),
      rec('d', '2026-11-21T13:00:00.000Z', undefined)
    ])
    expect(report.routes[0]!.stage).toBe('verifying')
  })

  it('lets stages from the rules win over records', async () => {
    const report = await aggregateRecords([rec('a', '2026-11-21T10:00:00.000Z', 'shadowing')], { stages: new Map([['r', 'migrated']]) })
    expect(report.routes[0]!.stage).toBe('migrated')
  })

  it('is null when neither records nor rules say', async () => {
    const report = await aggregateRecords([rec('a', '2026-11-21T10:00:00.000Z', undefined)])
    expect(report.routes[0]!.stage).toBeNull()
  })
})
