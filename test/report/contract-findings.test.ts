import { describe, expect, it } from 'vitest'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import { renderHtml } from '../../src/report/render-html.js'
import { toReportJson } from '../../src/report/render-json.js'
import { renderMarkdown } from '../../src/report/render-md.js'
import { renderText } from '../../src/report/render-text.js'
import type { ContractFinding } from '../../src/store/difference.js'
import { makeRecord } from '../store/make-record.js'

const finding = (side: 'primary' | 'shadow', path: string): ContractFinding =>
  ({ kind: 'contract', side, path, schemaPath: '#/paths/~1orders/get/responses/200/content/application~1json/schema/properties/id/type', message: 'must be integer' })

// 10 compared pairs of one route, all matches; 4 carry findings (one twice at two indexes of the same folded path)
const records = Array.from({ length: 10 }, (_, i) => makeRecord(i, {
  route: 'orders',
  outcome: 'match',
  differences: [],
  ...(i < 3 ? { contract: [finding('shadow', `$.items[${i}].id`), finding('shadow', `$.items[${i + 1}].id`)] } : {}),
  ...(i === 3 ? { contract: [finding('primary', '$status')] } : {})
}))
// an older record kept its finding among the differences
records.push(makeRecord(10, { route: 'orders', outcome: 'mismatch', differences: [finding('shadow', '$.items[0].id')] }))

describe('the report shows contract findings apart from parity', () => {
  it('counts records with findings per route and the most frequent findings by side and folded path', async () => {
    const report = await aggregateRecords(records)
    const r = report.routes[0]!
    expect(r).toMatchObject({ route: 'orders', compared: 11, matched: 10, mismatched: 1, contract: 5 })
    expect(r.topContract).toEqual([
      { side: 'shadow', path: '$.items[*].id', count: 4, examples: ['r0', 'r1', 'r2'], schemaPath: finding('shadow', '').schemaPath, message: 'must be integer' },
      { side: 'primary', path: '$status', count: 1, examples: ['r3'], schemaPath: finding('shadow', '').schemaPath, message: 'must be integer' }
    ])
  })

  it('every format carries them: json fields, a column and a section in text, md and html', async () => {
    const report = await aggregateRecords(records)
    const json = toReportJson(report) as { routes: Array<Record<string, unknown>> }
    expect(json.routes[0]).toMatchObject({ contract: 5, topContract: [{ side: 'shadow', path: '$.items[*].id', count: 4 }, { side: 'primary', path: '$status', count: 1 }] })

    const text = renderText(report)
    const header = text.split('\n').find(l => l.startsWith('ROUTE '))!
    expect(header).toMatch(/PARITY\s+CONTRACT\s+PRIMARY/)
    expect(text.split('\n').find(l => l.startsWith('orders '))).toMatch(/90\.91%\s+5\s/)
    expect(text).toContain('contract findings (not counted in parity; 5 of 11 compared records)')
    expect(text).toMatch(/4\s+shadow\s+\$\.items\[\*\]\.id\s+#\/paths\/~1orders.*: must be integer\s+r0, r1, r2/)

    const md = renderMarkdown(report)
    expect(md).toContain('| Parity | Contract | Primary p50 / p99 |')
    expect(md).toMatch(/\| shadow \| `\$\.items\[\*\]\.id` \| 4 \|/)

    const html = renderHtml(report)
    expect(html).toContain('<th class="n">contract</th>')
    expect(html).toContain('<table class="contract">')
  })

  it('without findings the summary has no contract column', async () => {
    const report = await aggregateRecords([makeRecord(1, { route: 'orders' })])
    expect(report.routes[0]).toMatchObject({ contract: 0, topContract: [] })
    expect(renderText(report)).not.toContain('CONTRACT')
    expect(renderMarkdown(report)).not.toContain('Contract')
    expect(renderHtml(report)).not.toContain('class="contract"')
  })
})
