import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pino } from 'pino'
import { startProxy, type RunningProxy } from '../../src/app/start-proxy.js'
import { startArticlesMonolith, startArticlesRewrite, type RunningService } from '../../src/cli/demo/articles-services.js'
import { runArticlesFlow as runDemoFlow } from '../../src/cli/demo/articles-flow.js'
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

/** The articles flow of the demo for user ada, ending with a read of the deleted article (404). */
export async function runArticlesFlow (base: string): Promise<number[]> {
  return await runDemoFlow(base, { username: 'ada', email: 'ada@example.com', password: 'correct horse' }, { checkGone: true })
}
