import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let orders: FakeUpstream
let sp: ProxyFixture

const legacyOrders = { items: [{ id: 1, price: 10, name: 'pen' }, { id: 2, price: 3, name: 'ink' }], total: 2, currency: 'EUR' }
const newOrders = { items: [{ id: 1, price: 10.5, name: 'pen' }, { id: 2, price: 3, name: 'ink', sku: 'I-2' }], total: '2' }

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (req, res) => {
        res.setHeader('content-type', 'application/json')
        if (req.url!.startsWith('/api/orders/same')) { res.end('{"ok":true,"n":[1,2,3]}'); return }
        if (req.url!.startsWith('/api/orders/gone')) { res.statusCode = 404; res.end('{"error":"not found"}'); return }
        res.end(JSON.stringify(legacyOrders))
      },
      orders: (req, res) => {
        res.setHeader('content-type', 'application/json')
        if (req.url!.startsWith('/api/orders/same')) { res.end('{ "n": [1, 2, 3], "ok": true }'); return }
        if (req.url!.startsWith('/api/orders/gone')) { res.statusCode = 200; res.end('{"error":"not found"}'); return }
        res.end(JSON.stringify(newOrders))
      }
    },
    rules: `
serve: legacy
routes:
  - name: orders
    match: { path: "/api/orders/**" }
    serve: legacy
    shadow: orders
`
  })
  orders = sp.upstream('orders')
})
afterAll(async () => { await sp.close() })

describe('match and mismatch records', () => {
  it('records a match for structurally equal JSON (key order and spacing differ)', async () => {
    const res = await fetch(`${sp.proxy.url}/api/orders/same?x=1`)
    expect(await res.text()).toBe('{"ok":true,"n":[1,2,3]}')
    const recs = (await sp.records()).filter((r) => r.url === '/api/orders/same?x=1')
    expect(recs).toHaveLength(1)
    const r = recs[0]!
    expect(r).toMatchObject({
      v: 1,
      route: 'orders',
      method: 'GET',
      outcome: 'match',
      differences: [],
      stage: 'shadowing',
      primary: { upstream: 'legacy', status: 200 },
      shadow: { upstream: 'orders', status: 200 }
    })
    expect(typeof r.id).toBe('string')
    expect(new Date(r.at).toISOString()).toBe(r.at)
    expect(r.primary.ms).toBeGreaterThan(0)
    expect(r.primary.bytes).toBe(23)
  })

  it('records a mismatch with typed differences keyed by JSON path', async () => {
    const res = await fetch(`${sp.proxy.url}/api/orders`)
    expect(await res.json()).toEqual(legacyOrders)
    const r = (await sp.records()).find((x) => x.url === '/api/orders')!
    expect(r.outcome).toBe('mismatch')
    const byPath = new Map(r.differences.map((d) => [d.path, d]))
    expect(byPath.get('$.items[0].price')).toEqual({ kind: 'changed', path: '$.items[0].price', primary: 10, shadow: 10.5 })
    expect(byPath.get('$.items[1].sku')).toEqual({ kind: 'added', path: '$.items[1].sku', shadow: 'I-2' })
    expect(byPath.get('$.currency')).toEqual({ kind: 'removed', path: '$.currency', primary: 'EUR' })
    expect(byPath.get('$.total')).toMatchObject({ kind: 'type', path: '$.total' })
    expect(r.differences).toHaveLength(4)
  })

  it('records a status difference', async () => {
    await (await fetch(`${sp.proxy.url}/api/orders/gone`)).arrayBuffer()
    const r = (await sp.records()).find((x) => x.url === '/api/orders/gone')!
    expect(r.outcome).toBe('mismatch')
    expect(r.differences).toContainEqual({ kind: 'status', path: '$status', primary: 404, shadow: 200 })
  })

  it('does not mirror a request the route does not match', async () => {
    const before = orders.seen.length
    await (await fetch(`${sp.proxy.url}/api/users`)).arrayBuffer()
    await sp.records()
    expect(orders.seen.length).toBe(before)
  })

  it('counts comparisons in metrics and shows live parity on /routes data', async () => {
    const text = await sp.proxy.metrics.text()
    expect(text).toMatch(/strangler_comparisons_total\{route="orders",outcome="match"\} [1-9]/)
    expect(text).toMatch(/strangler_comparisons_total\{route="orders",outcome="mismatch"\} [1-9]/)
    const p = sp.proxy.parity.parity('orders')!
    expect(p.compared).toBe(p.matched + p.mismatched)
    expect(p.parity).toBeCloseTo(p.matched / p.compared)
  })
})
