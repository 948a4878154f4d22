import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { gate } from '../helpers/gate.js'

let legacy: FakeUpstream
let orders: FakeUpstream
let sp: ProxyFixture
const shadowArrived = gate()

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (req, res, body) => {
        // the primary answers only once the shadow has its copy: a mirror sent after
        // the primary answered would deadlock this test
        void shadowArrived.promise.then(() => {
          res.setHeader('content-type', 'application/json')
          res.end(JSON.stringify({ got: body.toString() }))
        })
      },
      orders: {
        handler: (req, res, body) => {
          shadowArrived.open()
          res.setHeader('content-type', 'application/json')
          res.end(JSON.stringify({ got: body.toString() }))
        },
        basePath: '/v2'
      }
    },
    rules: `
serve: legacy
routes:
  - name: reads
    match: { path: "/api/orders/**" }
    serve: legacy
    shadow: orders
    rewrite: { stripPrefix: /api }
  - name: writes
    match: { path: "/api/carts/**" }
    serve: legacy
    shadow: orders
    shadowWrites: true
  - name: canary
    match: { path: "/api/canary" }
    serve: { orders: 50, legacy: 50 }
    shadow: orders
`
  })
  legacy = sp.upstream('legacy')
  orders = sp.upstream('orders')
})
afterAll(async () => {
  shadowArrived.open()
  await sp.close()
})

describe('the mirror request', () => {
  it('starts together with the primary and carries x-strangler-shadow: 1, the same path rewrite and query', async () => {
    const res = await fetch(`${sp.proxy.url}/api/orders/7?expand=items&b=%20`, { headers: { 'x-custom': 'kept' } })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    const mirror = orders.seen.find((s) => s.url.startsWith('/v2/orders/7'))!
    expect(mirror.url).toBe('/v2/orders/7?expand=items&b=%20')
    expect(mirror.headers['x-strangler-shadow']).toBe('1')
    expect(mirror.headers['x-custom']).toBe('kept')
    const primary = legacy.seen.find((s) => s.url.startsWith('/orders/7'))!
    expect(primary.headers['x-strangler-shadow']).toBeUndefined()
  })

  it('does not mirror writes by default', async () => {
    const before = orders.seen.length
    const res = await fetch(`${sp.proxy.url}/api/orders/7`, { method: 'POST', body: '{"qty":1}', headers: { 'content-type': 'application/json' } })
    await res.arrayBuffer()
    await sp.records()
    expect(orders.seen.length).toBe(before)
  })

  it('mirrors writes with shadowWrites: true, sending both sides the same body bytes', async () => {
    const body = JSON.stringify({ qty: 2, note: 'naïve café' })
    const res = await fetch(`${sp.proxy.url}/api/carts/1`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
    expect(await res.json()).toEqual({ got: body })
    const mirror = orders.seen.find((s) => s.url === '/v2/api/carts/1')!
    expect(mirror.method).toBe('POST')
    expect(mirror.body.toString()).toBe(body)
    const r = (await sp.records()).find((x) => x.route === 'writes')!
    expect(r.outcome).toBe('match')
    expect(r.method).toBe('POST')
  })

  it('never mirrors a canary request to the upstream that already served it', async () => {
    for (let i = 0; i < 40; i++) await (await fetch(`${sp.proxy.url}/api/canary`)).arrayBuffer()
    const recs = (await sp.records()).filter((x) => x.route === 'canary')
    const servedByLegacy = legacy.seen.filter((s) => s.url === '/api/canary').length
    const servedByOrders = orders.seen.filter((s) => s.url === '/v2/api/canary' && s.headers['x-strangler-shadow'] === undefined).length
    expect(servedByLegacy + servedByOrders).toBe(40)
    expect(recs).toHaveLength(servedByLegacy)
    expect(recs.every((r) => r.primary.upstream === 'legacy' && r.shadow.upstream === 'orders')).toBe(true)
  })
})
