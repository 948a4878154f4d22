import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { pickUpstream } from '../../src/routing/pick-upstream.js'

let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo', orders: 'echo' },
    rules: `
serve: legacy
routes:
  - name: sticky-canary
    match: { path: "/api/orders/{id}" }
    serve: { orders: 10, legacy: 90 }
    sticky: header:x-user-id
  - name: random-canary
    match: { path: "/api/random" }
    serve: { orders: 30, legacy: 70 }
`
  })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

describe('canary weights', () => {
  it('splits 2,000 distinct sticky keys close to 10/90', async () => {
    let toOrders = 0
    const n = 2000
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, async (_, j) => {
        const res = await fetch(`${proxy.url}/api/orders/1`, { headers: { 'x-user-id': `user-${i + j}` } })
        await res.arrayBuffer()
        return res.headers.get('x-upstream')
      }))
      toOrders += batch.filter((u) => u === 'orders').length
    }
    // 10% of 2000 = 200; binomial sd ≈ 13.4; allow ±4.5 sd
    expect(toOrders).toBeGreaterThan(140)
    expect(toOrders).toBeLessThan(260)
  })

  it('splits keyless requests at random by weight (30/70 over 1,000 requests)', async () => {
    let toOrders = 0
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, async () => {
        const res = await fetch(`${proxy.url}/api/random`)
        await res.arrayBuffer()
        return res.headers.get('x-upstream')
      }))
      toOrders += batch.filter((u) => u === 'orders').length
    }
    // 300 expected, sd ≈ 14.5
    expect(toOrders).toBeGreaterThan(230)
    expect(toOrders).toBeLessThan(370)
  })

  it('follows the weight bands exactly for a given random point', () => {
    const serve = { kind: 'weighted' as const, total: 100, targets: [{ upstream: 'orders', weight: 10 }, { upstream: 'legacy', weight: 90 }] }
    expect(pickUpstream(serve, null, () => 0)).toBe('orders')
    expect(pickUpstream(serve, null, () => 0.0999)).toBe('orders')
    expect(pickUpstream(serve, null, () => 0.1)).toBe('legacy')
    expect(pickUpstream(serve, null, () => 0.9999)).toBe('legacy')
  })
})
