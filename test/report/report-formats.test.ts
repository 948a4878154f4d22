import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rm } from 'node:fs/promises'
import { runReport } from '../../src/cli/run-report.js'
import { writeGroundTruthStore, type GroundTruth } from './ground-truth-store.js'

let gt: GroundTruth
async function report (format?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runReport({ store: gt.dir, format }, { stdout: s => out.push(s), stderr: s => err.push(s) })
  return { code, stdout: out.join(''), stderr: err.join('') }
}

beforeAll(async () => { gt = await writeGroundTruthStore() })
afterAll(async () => { await rm(gt.dir, { recursive: true, force: true }) })

describe('report formats carry the right numbers', () => {
  it('json: version 1 with the documented fields per route', async () => {
    const { code, stdout, stderr } = await report('json')
    expect(code).toBe(0)
    expect(stderr).toBe('')
    const doc = JSON.parse(stdout)
    expect(Object.keys(doc)).toEqual(['version', 'generatedAt', 'store', 'filters', 'thresholds', 'totals', 'routes', 'groups'])
    expect(doc.version).toBe(1)
    expect(doc.filters).toEqual({ route: null, since: null })
    expect(doc.totals).toMatchObject({ records: 669, routes: 4, compared: 660, matched: 625, mismatched: 35, errors: 5, skipped: { concurrency: 4, 'too-large': 2 } })
    const getOrder = doc.routes.find((r: { route: string }) => r.route === 'get-order')
    expect(getOrder).toMatchObject({
      route: 'get-order',
      stage: null,
      verdict: 'broken',
      compared: 150,
      matched: 120,
      mismatched: 30,
      errors: 5,
      skipped: { concurrency: 4, 'too-large': 2 },
      parity: 0.8,
      latency: { primary: { p50: 38, p99: 99 } },
      statusPairs: [{ label: '200 → 201', count: 10 }]
    })
    expect(getOrder.topDifferences.map((d: { path: string; count: number }) => [d.path, d.count]))
      .toEqual([['$.items[*].legacyCode', 20], ['$.items[*].price', 20], ['$.id', 10], ['$status', 10]])
    for (const r of doc.routes) {
      expect(r.compared).toBe(r.matched + r.mismatched)
      for (const key of ['route', 'stage', 'compared', 'matched', 'mismatched', 'errors', 'skipped', 'parity', 'topDifferences']) expect(r).toHaveProperty(key)
      for (const d of r.topDifferences) {
        expect(Object.keys(d)).toEqual(['path', 'count', 'share', 'kinds', 'examples'])
        for (const id of d.examples) expect(gt.ids.has(id)).toBe(true)
      }
    }
  })

  it('text (the default): summary row and details with percentages', async () => {
    const { code, stdout } = await report()
    expect(code).toBe(0)
    const row = stdout.split('\n').find(l => l.startsWith('get-order '))!
    expect(row.split(/\s{2,}/)).toEqual(['get-order', 'broken', '—', '150', '120', '30', '5', '6', '80.00%', '38.0/99.0', '76.3/198.3'])
    expect(stdout).toContain('skipped 6 (concurrency 4, too-large 2)')
    expect(stdout).toMatch(/20\s+66\.67%\s+\$\.items\[\*\]\.price\s+changed\s+get-order-/)
    expect(stdout).toContain('200 → 201  ×10')
    expect(stdout).toContain('users (97.50%)')
    // report order in the summary
    const order = ['list-orders', 'users', 'get-order', 'search'].map(r => stdout.indexOf(`\n${r} `))
    expect(order).toEqual([...order].sort((a, b) => a - b))
  })

  it('md: a summary table and a section per route', async () => {
    const { code, stdout } = await report('md')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^# strangler parity report\n/)
    expect(stdout).toContain('| get-order | broken | — | 150 | 120 | 30 | 5 | 6 | 80.00% | 38.0 ms / 99.0 ms | 76.3 ms / 198.3 ms |')
    expect(stdout).toContain('## get-order — broken, parity 80.00%')
    expect(stdout).toContain('| `$.items[*].price` | 20 | 66.67% | changed |')
    expect(stdout).toContain('| 200 → 201 | 10 |')
    // one section per route, and Root causes
    expect(stdout.match(/^## /gm)).toHaveLength(5)
  })

  it('html: a full document with every route', async () => {
    const { code, stdout } = await report('html')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^<!doctype html>/)
    for (const r of gt.routes.keys()) expect(stdout).toContain(`<tr data-route="${r}"`)
    expect(stdout).toContain('80.00%')
  })
})
