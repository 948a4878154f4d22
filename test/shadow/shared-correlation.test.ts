import http from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pino } from 'pino'
import type { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startProxy, type RunningProxy } from '../../src/app/start-proxy.js'
import { startArticlesMonolith, startArticlesRewrite, type RunningService } from '../../src/cli/demo/articles-services.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { DiffRecord } from '../../src/store/record.js'
import { runArticlesFlow as runFlow } from '../../src/cli/demo/articles-flow.js'
import { ARTICLE_ROUTES, runArticlesFlow } from '../helpers/articles-flow.js'
import { tempDir } from '../helpers/temp-dir.js'
import { REDIS_URL, connectionCount, dropPrefix, keysUnder, killConnections, redisClient, testPrefix } from '../helpers/redis.js'

const RULES = `
shadow: { sample: 1.0, timeout: 2s }
compare:
  typeOnly: ["$..createdAt", "$..updatedAt"]
  accept:
    - { path: "$..bio", primary: "", shadow: null }
correlate:
  - name: session-token
    learn: ["$.user.token"]
  - name: article-slug
    learn: ["$.article.slug", "$.articles[*].slug"]
  - name: article-id
    learn: ["$.article.id", "$.articles[*].id"]
` + ARTICLE_ROUTES

/** the article flow's statuses, whatever Redis does */
const FLOW = [201, 200, 200, 201, 200, 200, 200, 200, 200, 404]

interface Proxy { readonly proxy: RunningProxy; readonly store: MemoryStore; records (): Promise<DiffRecord[]> }

interface Fleet {
  readonly legacy: RunningService
  readonly rewrite: RunningService
  readonly prefix: string
  /** another proxy in front of the same services, sharing correlation through `url` */
  add (url?: string): Promise<Proxy>
  close (): Promise<void>
}

let redis: Redis | null = null
let fleet: Fleet | null = null

beforeAll(async () => { redis = await redisClient() })
afterAll(() => { redis?.disconnect() })
afterEach(async () => { await fleet?.close(); fleet = null })

/** `rewrite`, with its answers to a login held back `ms` (a slow new service) */
async function slowLogins (rewrite: RunningService, ms: number): Promise<{ url: string; close (): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection' && k !== 'content-length')) as Record<string, string>
      const body = chunks.length === 0 ? undefined : Buffer.concat(chunks)
      const forward = async (): Promise<void> => {
        const answer = await fetch(rewrite.url + req.url!, { method: req.method, headers, body })
        const text = Buffer.from(await answer.arrayBuffer())
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json', 'content-length': text.length })
        res.end(text)
      }
      setTimeout(() => { forward().catch(() => res.destroy()) }, req.url === '/api/users/login' ? ms : 0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => { server.closeAllConnections(); await new Promise<void>((resolve) => server.close(() => resolve())) }
  }
}

async function startFleet (opts: { slowLoginMs?: number } = {}): Promise<Fleet> {
  const legacy = await startArticlesMonolith()
  const rewrite = await startArticlesRewrite()
  const slow = opts.slowLoginMs === undefined ? null : await slowLogins(rewrite, opts.slowLoginMs)
  const dir = await tempDir()
  const rulesFile = join(dir, 'rules.yaml')
  await writeFile(rulesFile, `version: 1\nupstreams:\n  legacy: { url: ${legacy.url} }\n  rewrite: { url: ${slow?.url ?? rewrite.url} }\nserve: legacy\n${RULES}`)
  const prefix = testPrefix()
  const proxies: RunningProxy[] = []
  return {
    legacy,
    rewrite,
    prefix,
    add: async (url = REDIS_URL) => {
      const store = new MemoryStore()
      const proxy = await startProxy({ rulesFile, port: 0, host: '127.0.0.1', store, logger: pino({ level: 'silent' }), watch: false, correlation: { url, prefix } })
      proxies.push(proxy)
      return { proxy, store, records: async () => { await proxy.settled(); return store.records() } }
    },
    close: async () => {
      for (const p of proxies) await p.close()
      await slow?.close()
      await Promise.all([legacy.close(), rewrite.close()])
      if (redis !== null) await dropPrefix(redis, prefix)
      await rm(dir, { recursive: true, force: true })
    }
  }
}

async function call (base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: { user?: { token?: unknown } } }> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (token !== undefined) headers.authorization = `Token ${token}`
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, json: text === '' ? {} : JSON.parse(text) as { user?: { token?: unknown } } }
}

/** register and log in through `base`; the monolith's session token */
async function login (base: string, name: string): Promise<string> {
  const user = { username: name, email: `${name}@example.com`, password: 'correct horse' }
  expect((await call(base, 'POST', '/api/users', { user })).status).toBe(201)
  const res = await call(base, 'POST', '/api/users/login', { user: { email: user.email, password: user.password } })
  expect(res.status).toBe(200)
  return String(res.json.user?.token)
}

/** wait (at most 5 s) until `ok` holds */
async function until (what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const shared = (p: Proxy): ReturnType<NonNullable<RunningProxy['sharedCorrelation']>['stats']> => p.proxy.sharedCorrelation!.stats()
const lastOf = (records: DiffRecord[], route: string): DiffRecord => records.filter((r) => r.route === route).at(-1)!

describe('learned correlation shared through Redis', () => {
  it('a login through proxy A, a read through proxy B: B mirrors the rewrite\'s own token, and Redis holds only hashes and sealed values', async (ctx) => {
    if (redis === null) { ctx.skip(); return }
    fleet = await startFleet()
    const a = await fleet.add()
    const b = await fleet.add()
    const token = await login(a.proxy.url, 'ada')
    await a.proxy.settled()
    const shadowToken = a.proxy.correlation.entry(token)?.shadow
    expect(typeof shadowToken).toBe('string')
    expect(shadowToken).not.toBe(token)
    // register and login each taught A the pair of their token: announced to B
    await until('B received A\'s pairs', () => shared(b).received >= 2)
    expect(shared(a).published).toBeGreaterThanOrEqual(2)

    const read = await call(b.proxy.url, 'GET', '/api/user', undefined, token)
    expect(read.status).toBe(200)
    const rec = lastOf(await b.records(), 'current-user')
    // without the shared pair the rewrite would answer 401 to the monolith's token
    expect(rec.shadow.status).toBe(200)
    expect(rec.outcome).toBe('match')
    expect(shared(b).adopted).toBeGreaterThanOrEqual(1)
    expect(b.proxy.correlation.stats().applied).toBeGreaterThanOrEqual(1)

    // a proxy started after the announcement reads the pair from Redis (GET by hash) on its first mirror
    const c = await fleet.add()
    expect((await call(c.proxy.url, 'GET', '/api/user', undefined, token)).status).toBe(200)
    expect(lastOf(await c.records(), 'current-user').shadow.status).toBe(200)
    expect(shared(c).fetched).toBeGreaterThanOrEqual(1)
    expect(shared(c).received).toBe(0)

    // what Redis holds: keys are hashes, values name neither token
    const keys = await keysUnder(redis, fleet.prefix)
    expect(keys.length).toBeGreaterThanOrEqual(2)
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^${fleet.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[0-9a-f]{64}$`))
      const value = (await redis.get(key))!
      for (const secret of [token, String(shadowToken)]) {
        expect(key).not.toContain(secret)
        expect(value).not.toContain(secret)
        expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain(secret)
      }
      const ttl = await redis.ttl(key)
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(3600)
    }
  })

  it('a read through proxy B while proxy A is still learning the login\'s pair: B\'s mirror waits for it instead of going out uncorrelated', async (ctx) => {
    if (redis === null) { ctx.skip(); return }
    // the rewrite answers logins 600 ms late: the client has its token, and
    // reads through B, long before A has compared the login and learned its pair
    fleet = await startFleet({ slowLoginMs: 600 })
    const a = await fleet.add()
    const b = await fleet.add()
    const channel = `${fleet.prefix}learning`
    await until('both proxies subscribed', async () => Number(((await redis!.pubsub('NUMSUB', channel)) as [string, number])[1]) === 2)
    const token = await login(a.proxy.url, 'ada')
    expect(a.proxy.correlation.entry(token)).toBeUndefined()

    const read = await call(b.proxy.url, 'GET', '/api/user', undefined, token)
    expect(read.status).toBe(200)
    const rec = lastOf(await b.records(), 'current-user')
    // uncorrelated, the rewrite would have answered 401 to the monolith's token
    expect(rec.shadow.status).toBe(200)
    expect(rec.outcome).toBe('match')
    expect(shared(b).waited).toBe(1)
    expect(shared(b).waitTimeouts).toBe(0)
    expect(await b.proxy.metrics.text()).toMatch(/strangler_correlation_shared_total\{event="waits"\} 1/)
  })

  it('Redis unreachable: every answer is the same, the proxy learns locally, and the failures are counted', async (ctx) => {
    if (redis === null) { ctx.skip(); return }
    fleet = await startFleet()
    const dead = await freePort()
    const a = await fleet.add(`redis://:hunter2-secret@127.0.0.1:${dead}/0`)
    expect(await runArticlesFlow(a.proxy.url)).toEqual(FLOW)
    const records = await a.records()
    // local-only correlation still works: no 401/404 cascade on the rewrite
    for (const r of records) {
      if (r.route === 'delete-article') expect(`${r.primary.status} -> ${r.shadow.status}`).toBe('200 -> 204')
      else expect(r.shadow.status).toBe(r.primary.status)
    }
    const s = shared(a)
    expect(s.published).toBe(0)
    expect(s.errors.set).toBeGreaterThanOrEqual(4)
    expect(s.errors.get).toBeGreaterThanOrEqual(1)
    const metrics = await a.proxy.metrics.text()
    expect(metrics).toMatch(/strangler_correlation_shared_errors_total\{op="set"\} [1-9]/)
    expect(metrics).not.toContain('hunter2-secret')
  })

  it('Redis connections killed mid-run: clients see nothing, and sharing comes back once ioredis reconnects', async (ctx) => {
    if (redis === null) { ctx.skip(); return }
    fleet = await startFleet()
    const a = await fleet.add()
    const b = await fleet.add()
    const channel = `${fleet.prefix}learned`
    const subscribers = async (): Promise<number> => Number(((await redis!.pubsub('NUMSUB', channel)) as [string, number])[1])
    await until('both proxies subscribed', async () => await subscribers() === 2)
    const first = await login(a.proxy.url, 'ada')
    await until('B received A\'s pairs', () => shared(b).received >= 2)

    expect(await killConnections(redis, a.proxy.sharedCorrelation!.instance)).toBe(2)
    expect(await killConnections(redis, b.proxy.sharedCorrelation!.instance)).toBe(2)
    // through the outage and the reconnect: the same answers as ever
    const [flowA, flowB] = await Promise.all([
      runFlow(a.proxy.url, { username: 'ann', email: 'ann@example.com', password: 'pw one' }, { checkGone: true }),
      runFlow(b.proxy.url, { username: 'bob', email: 'bob@example.com', password: 'pw two' }, { checkGone: true })
    ])
    expect(flowA).toEqual(FLOW)
    expect(flowB).toEqual(FLOW)
    expect((await call(b.proxy.url, 'GET', '/api/user', undefined, first)).status).toBe(200)

    // reconnected and resubscribed without help: a new login through A is applied by B
    await until('both reconnected', async () => await connectionCount(redis!, a.proxy.sharedCorrelation!.instance) === 2 && await connectionCount(redis!, b.proxy.sharedCorrelation!.instance) === 2)
    await until('both resubscribed', async () => await subscribers() === 2)
    const received = shared(b).received
    const second = await login(a.proxy.url, 'grace')
    await until('B received the new pairs', () => shared(b).received >= received + 2)
    expect((await call(b.proxy.url, 'GET', '/api/user', undefined, second)).status).toBe(200)
    expect(lastOf(await b.records(), 'current-user').shadow.status).toBe(200)
    // what was lost is what the counters say: every pair learned was written to Redis or counted failed
    for (const p of [a, b]) {
      await p.proxy.settled()
      await until('every learned pair accounted for', () => shared(p).published + shared(p).errors.set === p.proxy.correlation.stats().learned)
    }
  })
})

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
