import { afterEach, describe, expect, it } from 'vitest'
import { hostname } from 'node:os'
import { request } from 'node:http'
import { writeFile } from 'node:fs/promises'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { openStore } from '../../src/store/open-store.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { ServedRollups } from '../../src/proxy/served-rollups.js'
import { LatencyBuckets } from '../../src/metrics/latency-buckets.js'
import type { Rollup } from '../../src/store/rollup.js'
import type { Handler } from '../helpers/upstream.js'

let fixture: ProxyFixture | null = null
afterEach(async () => { await fixture?.close(); fixture = null })

/** answers 200, or the status named by `?status=`, with a JSON body naming the upstream */
const answering = (name: string): Handler => (req, res) => {
  const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200)
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ upstream: name }))
}

const RULES = `
serve: legacy
routes:
  - name: list-orders
    match: { method: GET, path: /api/orders }
    serve: legacy
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: orders
  - name: broken
    match: { path: "/broken/**" }
    serve: dead
`

async function get (url: string): Promise<number> {
  const res = await fetch(url)
  await res.arrayBuffer()
  return res.status
}

/** A raw request with a path fetch would normalize: refused by the proxy before any upstream. */
async function rawGet (base: string, path: string): Promise<number> {
  const { hostname: host, port } = new URL(base)
  return await new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET' }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)) })
    req.on('error', reject)
    req.end()
  })
}

const key = (r: Rollup): string => `${r.route} ${r.upstream}`

describe('rollups of served requests', () => {
  it('counts each route and upstream by status class, proxy-made errors and latency, across a reload, and writes the last interval on close', async () => {
    fixture = await startProxyFixture({ upstreams: { legacy: answering('legacy'), orders: answering('orders'), dead: 'dead' } })
    // one long interval: everything below lands in the one rollup each (route, upstream) gets on close
    const proxy = await fixture.start(RULES, { store: 'disk', rollupIntervalMs: 3_600_000 })
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push(await get(`${proxy.url}/api/orders`))
    statuses.push(await get(`${proxy.url}/api/orders?status=503`))
    statuses.push(await get(`${proxy.url}/api/orders/1`), await get(`${proxy.url}/api/orders/2`), await get(`${proxy.url}/api/orders/3?status=404`))
    statuses.push(await get(`${proxy.url}/broken/a`), await get(`${proxy.url}/broken/b`))
    statuses.push(await get(`${proxy.url}/elsewhere`))
    expect(statuses).toEqual([200, 200, 200, 503, 200, 200, 404, 502, 502, 200])
    // refused before any upstream: not a served request
    expect(await rawGet(proxy.url, '/api/%2e%2e/orders')).toBe(400)

    // a reload swaps the route table; the counters are the route's, by name
    await writeFile(proxy.rulesFile, fixture.rules(RULES + '  - name: extra\n    match: { path: /extra }\n    serve: orders\n'))
    const reloaded = await proxy.reloader.reload('test')
    expect(reloaded.ok).toBe(true)
    expect(proxy.live.table.rules.routes.map((r) => r.name)).toContain('extra')
    statuses.push(await get(`${proxy.url}/api/orders`), await get(`${proxy.url}/api/orders`))
    expect(statuses.slice(-2)).toEqual([200, 200])

    const started = Date.now()
    await proxy.close()
    const store = openStore(proxy.storeDir)
    const rollups: Rollup[] = []
    for await (const r of store.readRollups()) rollups.push(r)
    await store.close()

    const by = new Map(rollups.map((r) => [key(r), r]))
    expect([...by.keys()].sort()).toEqual(['(default) legacy', 'broken dead', 'get-order orders', 'list-orders legacy'])
    expect(rollups).toHaveLength(4)

    const list = by.get('list-orders legacy')!
    expect(list).toMatchObject({ v: 1, route: 'list-orders', upstream: 'legacy', requests: 6, status: { '2xx': 5, '5xx': 1 }, errors: 0, proxy: `${hostname()}:${process.pid}` })
    // an upstream's own 503 is not a proxy-made error; it has a latency like any answer
    expect(Object.values(list.latency).reduce((a, b) => a + b, 0)).toBe(6)

    const order = by.get('get-order orders')!
    expect(order).toMatchObject({ requests: 3, status: { '2xx': 2, '4xx': 1 }, errors: 0 })

    const broken = by.get('broken dead')!
    expect(broken).toMatchObject({ requests: 2, status: { '5xx': 2 }, errors: 2 })
    // no upstream answered: no latency
    expect(broken.latency).toEqual({})

    expect(by.get('(default) legacy')).toMatchObject({ requests: 1, status: { '2xx': 1 }, errors: 0 })

    for (const r of rollups) {
      // one interval, from the proxy's start to its close
      expect(Date.parse(r.at)).toBeLessThanOrEqual(started)
      expect(Date.parse(r.at) + r.ms).toBeGreaterThanOrEqual(started)
      const h = new LatencyBuckets()
      h.merge(r.latency)
      if (h.count > 0) expect(h.quantile(0.99)!).toBeGreaterThan(0)
    }
  })

  it('writes one rollup per interval that saw requests, stamped with the interval start, on its own timer', async () => {
    fixture = await startProxyFixture({ upstreams: { legacy: answering('legacy'), orders: answering('orders'), dead: 'dead' } })
    const proxy = await fixture.start(RULES, { rollupIntervalMs: 200 })
    expect(await get(`${proxy.url}/api/orders/1`)).toBe(200)
    const store = fixture.store
    const written = async (): Promise<Rollup[]> => {
      const out: Rollup[] = []
      for await (const r of store.readRollups()) out.push(r)
      return out
    }
    // the timer writes it, without a close
    for (let i = 0; i < 400 && (await written()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    const first = await written()
    expect(first).toHaveLength(1)
    expect(first[0]).toMatchObject({ route: 'get-order', upstream: 'orders', requests: 1 })
    // the interval ends on a multiple of 200 ms
    expect((Date.parse(first[0]!.at) + first[0]!.ms) % 200).toBe(0)
    // quiet intervals write nothing
    await proxy.close()
    expect(await written()).toHaveLength(1)
  })
})

describe('ServedRollups', () => {
  it('stamps each rollup with its interval start and length on the clock it is given, and resets its counters', async () => {
    const store = new MemoryStore()
    let now = Date.parse('2026-11-21T10:00:00.000Z')
    const rollups = new ServedRollups({ store, intervalMs: 10_000, proxy: 'p1:1', now: () => now })
    rollups.served('orders', 'new', 200, 12)
    rollups.served('orders', 'new', 500, 30)
    rollups.served('orders', 'new', 504, -1)
    rollups.served('orders', 'legacy', 201, 8)
    now += 10_000
    rollups.flush()
    rollups.served('orders', 'new', 200, 10)
    now += 4_000
    rollups.close()
    rollups.close()
    const all: Rollup[] = []
    for await (const r of store.readRollups()) all.push(r)
    expect(all.map((r) => [r.at, r.ms, r.route, r.upstream, r.requests, r.status, r.errors, r.proxy])).toEqual([
      ['2026-11-21T10:00:00.000Z', 10_000, 'orders', 'new', 3, { '2xx': 1, '5xx': 2 }, 1, 'p1:1'],
      ['2026-11-21T10:00:00.000Z', 10_000, 'orders', 'legacy', 1, { '2xx': 1 }, 0, 'p1:1'],
      ['2026-11-21T10:00:10.000Z', 4_000, 'orders', 'new', 1, { '2xx': 1 }, 0, 'p1:1']
    ])
    const h = new LatencyBuckets()
    h.merge(all[0]!.latency)
    expect(h.count).toBe(2)
    expect(h.quantile(1)! / 30).toBeCloseTo(1, 1)
  })
})
