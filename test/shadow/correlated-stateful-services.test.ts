import { afterEach, describe, expect, it } from 'vitest'
import { ARTICLE_ROUTES, runArticlesFlow, startArticles, type ArticlesSetup } from '../helpers/articles-flow.js'
import type { DiffRecord } from '../../src/store/record.js'

const COMPARE = `
shadow: { sample: 1.0, timeout: 2s }
compare:
  typeOnly: ["$..createdAt", "$..updatedAt"]
`
const CORRELATE = `
correlate:
  - name: session-token
    learn: ["$.user.token"]
  - name: article-slug
    learn: ["$.article.slug", "$.articles[*].slug"]
  - name: article-id
    learn: ["$.article.id", "$.articles[*].id"]
`

let setup: ArticlesSetup | null = null
afterEach(async () => { await setup?.close(); setup = null })

const byRoute = (records: DiffRecord[]): Map<string, DiffRecord[]> => {
  const m = new Map<string, DiffRecord[]>()
  for (const r of records) m.set(r.route, [...(m.get(r.route) ?? []), r])
  return m
}
const statusPair = (r: DiffRecord): string => `${r.primary.status} -> ${r.shadow.status}`

describe('two services that issue their own tokens, ids and slugs', () => {
  it('with correlate, every pair matches but the planted differences (bio "" vs null, DELETE 200 vs 204)', async () => {
    setup = await startArticles(COMPARE + CORRELATE + ARTICLE_ROUTES)
    const statuses = await runArticlesFlow(setup.proxy.url)
    expect(statuses).toEqual([201, 200, 200, 201, 200, 200, 200, 200, 200, 404])
    const records = await setup.records()
    expect(records).toHaveLength(10)
    expect(records.every((r) => r.outcome === 'match' || r.outcome === 'mismatch')).toBe(true)
    // the only differences left are the planted ones
    const paths = new Set(records.flatMap((r) => r.differences.map((d) => `${r.route} ${d.kind} ${d.path.replace(/\[\d+\]/g, '[*]')}`)))
    expect([...paths].sort()).toEqual([
      'create-article type $.article.author.bio',
      'current-user type $.user.bio',
      'delete-article status $status',
      'delete-article type $',
      'get-article type $.article.author.bio',
      'list-articles type $.articles[*].author.bio',
      'login type $.user.bio',
      'register type $.user.bio',
      'update-article type $.article.author.bio'
    ])
    // no 401 or 404 cascade on the new side: the mirrors carried its own token and slug
    for (const r of records) {
      if (r.route === 'delete-article') expect(statusPair(r)).toBe('200 -> 204')
      else expect(r.primary.status).toBe(r.shadow.status)
    }
    // the token, slug and id differences were explained by learned pairs, and counted
    const correlated = records.reduce((n, r) => n + (r.correlated ?? 0), 0)
    expect(correlated).toBeGreaterThanOrEqual(6)
    expect(byRoute(records).get('login')![0]!.correlated).toBe(1)
    expect(byRoute(records).get('create-article')![0]!.correlated).toBe(2)
    const stats = setup.proxy.correlation.stats()
    expect(stats.learned).toBeGreaterThanOrEqual(4)
    expect(stats.applied).toBeGreaterThanOrEqual(6)
  })

  it('accepting the planted bio difference leaves DELETE as the one mismatch, which the report names', async () => {
    setup = await startArticles(COMPARE + `  accept:\n    - { path: "$..bio", primary: "", shadow: null }\n` + CORRELATE + ARTICLE_ROUTES)
    await runArticlesFlow(setup.proxy.url)
    const records = await setup.records()
    const mismatched = records.filter((r) => r.outcome === 'mismatch').map((r) => r.route)
    expect(mismatched).toEqual(['delete-article'])
    const del = records.find((r) => r.route === 'delete-article')!
    // 200 with `{}` against 204 with no body: the status, and JSON against an empty body at $
    expect(del.differences.map((d) => `${d.kind} ${d.path}`).sort()).toEqual(['status $status', 'type $'])
    expect(records.filter((r) => r.outcome === 'match')).toHaveLength(9)
  })

  it('without correlate, the same flow shows the 401 and 404 cascade the issue reported', async () => {
    setup = await startArticles(COMPARE + `  accept:\n    - { path: "$..bio", primary: "", shadow: null }\n` + ARTICLE_ROUTES)
    const statuses = await runArticlesFlow(setup.proxy.url)
    expect(statuses).toEqual([201, 200, 200, 201, 200, 200, 200, 200, 200, 404])
    const records = await setup.records()
    const pairs = new Map(records.map((r) => [`${r.method} ${r.route}`, statusPair(r)]))
    expect(pairs.get('GET current-user')).toBe('200 -> 401')
    expect(pairs.get('POST create-article')).toBe('201 -> 401')
    expect(pairs.get('PUT update-article')).toBe('200 -> 401')
    expect(pairs.get('DELETE delete-article')).toBe('200 -> 401')
    const gets = records.filter((r) => r.route === 'get-article')
    expect(gets.map(statusPair)).toEqual(['200 -> 404', '200 -> 404', '404 -> 404'])
    expect(records.filter((r) => r.outcome === 'mismatch').length).toBeGreaterThanOrEqual(7)
    expect(records.every((r) => r.correlated === undefined)).toBe(true)
  })
})
