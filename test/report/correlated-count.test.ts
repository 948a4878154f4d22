import { describe, expect, it } from 'vitest'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import { renderHtml } from '../../src/report/render-html.js'
import { toReportJson } from '../../src/report/render-json.js'
import { renderMarkdown } from '../../src/report/render-md.js'
import { renderText } from '../../src/report/render-text.js'
import { makeRecord } from '../store/make-record.js'

// login: 4 matches, each with one token difference explained by learned correlation; orders: none
const records = [
  ...Array.from({ length: 4 }, (_, i) => makeRecord(i, { route: 'login', outcome: 'match', differences: [], correlated: 1 })),
  makeRecord(4, { route: 'login', outcome: 'mismatch', correlated: 2 }),
  makeRecord(5, { route: 'orders', outcome: 'match', differences: [] })
]

describe('the report shows what learned correlation explained', () => {
  it('sums `correlated` per route in every format', async () => {
    const report = await aggregateRecords(records)
    const login = report.routes.find((r) => r.route === 'login')!
    const orders = report.routes.find((r) => r.route === 'orders')!
    expect(login).toMatchObject({ compared: 5, matched: 4, correlated: 6 })
    expect(orders.correlated).toBe(0)
    const json = toReportJson(report) as { routes: Array<{ route: string, correlated: number }> }
    expect(json.routes.map((r) => [r.route, r.correlated]).sort()).toEqual([['login', 6], ['orders', 0]])
    expect(renderText(report)).toMatch(/CORRELATED/)
    expect(renderText(report)).toMatch(/login\s.*\s6\s/)
    expect(renderMarkdown(report)).toMatch(/\| Correlated \|/)
    expect(renderHtml(report)).toMatch(/<th class="n" title="differences explained by learned correlation">correlated<\/th>/)
  })

  it('shows no column when nothing was correlated', async () => {
    const report = await aggregateRecords([makeRecord(1, { outcome: 'match', differences: [] })])
    expect(renderText(report)).not.toMatch(/CORRELATED/)
    expect(renderMarkdown(report)).not.toMatch(/Correlated/)
  })
})
