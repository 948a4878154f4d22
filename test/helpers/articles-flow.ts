import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pino } from 'pino'
import { startProxy, type RunningProxy } from '../../src/app/start-proxy.js'
import { startArticlesMonolith, startArticlesRewrite, type RunningService } from '../../src/cli/demo/articles-services.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { DiffRecord } from '../../src/store/record.js'
import { tempDir } from './temp-dir.js'

/** The articles monolith shadowed by its rewrite through a proxy; `rules` is what follows the upstreams head. */
export interface ArticlesSetup {
  readonly proxy: RunningProxy
  readonly legacy: RunningService
  readonly rewrite: RunningService
  readonly store: MemoryStore
  records (): Promise<DiffRecord[]>
  close (): Promise<void>
}

export const ARTICLE_ROUTES = `
routes:
  - { name: register, match: { method: POST, path: /api/users }, serve: legacy, shadow: rewrite, shadowWrites: true }
  - { name: login, match: { method: POST, path: /api/users/login }, serve: legacy, shadow: rewrite, shadowWrites: true }
  - { name: current-user, match: { method: GET, path: /api/user }, serve: legacy, shadow: rewrite }
  - { name: list-articles, match: { method: GET, path: /api/articles }, serve: legacy, shadow: rewrite }
  - { name: create-article, match: { method: POST, path: /api/articles }, serve: legacy, shadow: rewrite, shadowWrites: true }
  - { name: get-article, match: { method: GET, path: "/api/articles/{slug}" }, serve: legacy, shadow: rewrite }
  - { name: update-article, match: { method: PUT, path: "/api/articles/{slug}" }, serve: legacy, shadow: rewrite, shadowWrites: true }
  - { name: delete-article, match: { method: DELETE, path: "/api/articles/{slug}" }, serve: legacy, shadow: rewrite, shadowWrites: true }
`

export async function startArticles (rules: string): Promise<ArticlesSetup> {
  const legacy = await startArticlesMonolith()
  const rewrite = await startArticlesRewrite()
  const dir = await tempDir()
  const rulesFile = join(dir, 'rules.yaml')
  await writeFile(rulesFile, `version: 1\nupstreams:\n  legacy: { url: ${legacy.url} }\n  rewrite: { url: ${rewrite.url} }\nserve: legacy\n${rules}`)
  const store = new MemoryStore()
  const proxy = await startProxy({ rulesFile, port: 0, host: '127.0.0.1', store, logger: pino({ level: 'silent' }), watch: false })
  return {
    proxy,
    legacy,
    rewrite,
    store,
    records: async () => { await proxy.settled(); return store.records() },
    close: async () => {
      await proxy.close()
      await Promise.all([legacy.close(), rewrite.close()])
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** What a client of the API does: register, log in, write and read an article, update it, delete it. */
export async function runArticlesFlow (base: string): Promise<number[]> {
  const statuses: number[] = []
  const call = async (method: string, path: string, body?: unknown, token?: string): Promise<Record<string, any> | null> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (token !== undefined) headers.authorization = `Token ${token}`
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    statuses.push(res.status)
    const text = await res.text()
    return text === '' ? null : JSON.parse(text)
  }
  const user = { username: 'ada', email: 'ada@example.com', password: 'correct horse' }
  await call('POST', '/api/users', { user })
  const { user: me } = (await call('POST', '/api/users/login', { user: { email: user.email, password: user.password } }))!
  await call('GET', '/api/user', undefined, me.token)
  const { article } = (await call('POST', '/api/articles', { article: { title: 'How to train your dragon', description: 'Ever wonder how?', body: 'You have to believe' } }, me.token))!
  await call('GET', `/api/articles/${article.slug}`)
  await call('GET', '/api/articles?author=ada')
  await call('PUT', `/api/articles/${article.slug}`, { article: { body: 'With two hands' } }, me.token)
  await call('GET', `/api/articles/${article.slug}`)
  await call('DELETE', `/api/articles/${article.slug}`, undefined, me.token)
  await call('GET', `/api/articles/${article.slug}`)
  return statuses
}
