import { afterEach, describe, expect, it } from 'vitest'
import { ARTICLE_ROUTES, runArticlesFlow, startArticles, type ArticlesSetup } from '../helpers/articles-flow.js'
import { aggregateRecords } from '../../src/report/aggregate-records.js'
import { toReportJson } from '../../src/report/render-json.js'
import { renderMarkdown } from '../../src/report/render-md.js'
import { renderText } from '../../src/report/render-text.js'
import { renderHtml } from '../../src/report/render-html.js'
import { makeRecord } from '../store/make-record.js'

let setup: ArticlesSetup | null = null
afterEach(async () => { await setup?.close(); setup = null })

describe('root causes: differences grouped by signature across routes', () => {
  it('links the auth failure of a shadow without correlation across the routes it breaks', async () => {
    // two real services, each issuing its own tokens; no correlate: every authenticated mirror gets 401
    setup = await startArticles('shadow: { sample: 1.0, timeout: 2s }\ncompare: { typeOnly: ["$..createdAt", "$..updatedAt"] }\n' + ARTICLE_ROUTES)
    await runArticlesFlow(setup.proxy.url)
    const report = await aggregateRecords(await setup.records())
    const auth = report.groups.find((g) => g.signature === 'status 200 → 401')!
    expect(auth).toBeDefined()
    expect(auth.kind).toBe('status')
    expect(auth.status).toEqual({ primary: 200, shadow: 401 })
    expect(auth.routes.map((r) => r.route).sort()).toEqual(['current-user', 'delete-article', 'update-article'])
    expect(auth.pairs).toBe(3)
    expect(auth.examples).toHaveLength(3)
    const missing = report.groups.find((g) => g.signature === 'status 200 → 404')!
    expect(missing.routes).toEqual([{ route: 'get-article', pairs: 2 }])
    // a route whose mismatches all carry one signature says so
    expect(report.routes.find((r) => r.route === 'current-user')!.explainedBy).toBe('status 200 → 401')
    expect(report.routes.find((r) => r.route === 'create-article')!.explainedBy).toBe('status 201 → 401')
    // every format shows the groups
    const json = toReportJson(report) as { groups: Array<{ signature: string; routes: Array<{ route: string }> }> }
    expect(json.groups.find((g) => g.signature === 'status 200 → 401')!.routes).toHaveLength(3)
    expect(renderText(report)).toMatch(/root causes[\s\S]*status 200 → 401/)
    expect(renderText(report)).toContain('every mismatch has: status 200 → 401')
    expect(renderMarkdown(report)).toContain('## Root causes')
    expect(renderHtml(report)).toContain('<h2>Root causes</h2>')
  })

  it('groups by kind and folded path, largest first, and leaves accepted and noise differences out', async () => {
    const d = (path: string, extra: object = {}): object => ({ kind: 'changed', path, primary: 1, shadow: 2, ...extra })
    const records = [
      makeRecord(1, { route: 'a', outcome: 'mismatch', differences: [d('$.items[0].price'), d('$.items[1].price')] as never }),
      makeRecord(2, { route: 'b', outcome: 'mismatch', differences: [d('$.items[4].price')] as never }),
      makeRecord(3, { route: 'b', outcome: 'mismatch', differences: [d('$.total'), d('$.x', { accepted: true }), d('$.y', { noise: true })] as never })
    ]
    const report = await aggregateRecords(records)
    expect(report.groups.map((g) => [g.signature, g.pairs, g.routes.length])).toEqual([
      ['changed $.items[*].price', 2, 2],
      ['changed $.total', 1, 1]
    ])
    expect(report.routes.find((r) => r.route === 'a')!.explainedBy).toBe('changed $.items[*].price')
    expect(report.routes.find((r) => r.route === 'b')!.explainedBy).toBeNull()
    // the md report shows both values of a top difference and short ids, so it reads as a PR comment
    const md = renderMarkdown(report)
    expect(md).toMatch(/\| `\$\.items\[\*\]\.price` \| 1 \| 100% \| changed \| `1` \| `2` \| `r1` \|/)
  })
})
