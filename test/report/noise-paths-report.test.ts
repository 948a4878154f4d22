import { expect, it } from 'vitest'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import { toReportJson } from '../../src/report/render-json.js'
import { renderMarkdown } from '../../src/report/render-md.js'
import { renderText } from '../../src/report/render-text.js'
import { makeRecord } from '../store/make-record.js'

it('lists noise paths per route and keeps noise differences out of the differing paths', async () => {
  const records = [
    makeRecord(1, { route: 'r', outcome: 'match', differences: [{ kind: 'changed', path: '$.items[3].at', primary: 'a', shadow: 'b', noise: true }] }),
    makeRecord(2, { route: 'r', outcome: 'mismatch', differences: [{ kind: 'changed', path: '$.items[0].at', primary: 'a', shadow: 'b', noise: true }, { kind: 'changed', path: '$.price', primary: 1, shadow: 2 }] })
  ]
  const report = await aggregateRecords(records)
  const r = report.routes[0]!
  expect(r.noise).toEqual(['$.items[*].at'])
  expect(r.topDifferences.map((d) => d.path)).toEqual(['$.price'])
  expect((toReportJson(report) as { routes: Array<{ noise: string[] }> }).routes[0]!.noise).toEqual(['$.items[*].at'])
  expect(renderText(report)).toContain('noise    (calibration')
  expect(renderMarkdown(report)).toContain('`$.items[*].at`')
})
