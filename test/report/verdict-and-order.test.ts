import { describe, expect, it } from 'vitest'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import { makeRecord } from './ground-truth-store.js'

function route (name: string, compared: number, mismatched: number, errors = 0) {
  const out = []
  for (let i = 0; i < compared; i++) out.push(makeRecord({ route: name, outcome: i < mismatched ? 'mismatch' : 'match', i, differences: i < mismatched ? [{ kind: 'changed', path: '$.x', primary: 1, shadow: 2 }] : [] }))
  for (let i = 0; i < errors; i++) out.push(makeRecord({ route: name, outcome: 'shadow-error', i: compared + i, error: 'reset' }))
  return out
}

describe('verdicts and report order', () => {
  it('ready first (parity desc), then almost, then broken with the worst last, then insufficient data', async () => {
    const report = await aggregateRecords([
      ...route('broken-a', 200, 40), // 80 %
      ...route('tiny', 20, 0),
      ...route('ready-b', 1000, 1), // 99.9 %
      ...route('broken-b', 200, 120), // 40 %
      ...route('almost-a', 200, 6), // 97 %
      ...route('ready-a', 500, 0),
      ...route('tiny-more', 50, 25)
    ])
    expect(report.routes.map(r => `${r.route}:${r.verdict}`)).toEqual([
      'ready-a:ready', 'ready-b:ready', 'almost-a:almost', 'broken-a:broken', 'broken-b:broken',
      'tiny-more:insufficient-data', 'tiny:insufficient-data'
    ])
  })

  it('shadow errors count against readiness even when every compared pair matched', async () => {
    const report = await aggregateRecords([...route('flaky', 200, 0, 20), ...route('solid', 200, 0)])
    expect(report.routes.map(r => [r.route, r.verdict, r.parity])).toEqual([['solid', 'ready', 1], ['flaky', 'broken', 1]])
    expect(report.routes[1]!.errorRate).toBeCloseTo(20 / 220, 12)
  })

  it('thresholds can be set by the caller', async () => {
    const report = await aggregateRecords(route('r', 20, 1), { thresholds: { minCompared: 10, almost: 0.9 } })
    expect(report.routes[0]!.verdict).toBe('almost')
  })
})
