import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let orders: FakeUpstream
let sp: ProxyFixture

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: { legacy: 'echo', orders: 'echo', users: 'echo' },
    rules: `
serve: legacy
routes:
  - name: order-head
    match: { method: HEAD, path: "/api/orders/special" }
    serve: users
  - name: orders
    match: { method: GET, path: "/api/orders/{id}" }
    serve: orders
  - name: reports
    match: { method: GET, path: /api/reports }
    serve: legacy
    shadow: orders
`
  })
  orders = sp.upstream('orders')
})
afterAll(async () => { await sp.close() })

async function servedBy (method: string, path: string): Promise<string | null> {
  const res = await fetch(sp.proxy.url + path, { method })
  await res.arrayBuffer()
  return res.headers.get('x-upstream')
}

describe('a match.method GET route also takes HEAD', () => {
  it('HEAD goes where GET goes, not to the default upstream; other methods still do not match', async () => {
    expect(await servedBy('GET', '/api/orders/7')).toBe('orders')
    expect(await servedBy('HEAD', '/api/orders/7')).toBe('orders')
    expect(orders.seen.some(r => r.method === 'HEAD' && r.url === '/api/orders/7')).toBe(true)
    expect(await servedBy('DELETE', '/api/orders/7')).toBe('legacy')
  })

  it('an explicit HEAD route listed first still wins', async () => {
    expect(await servedBy('HEAD', '/api/orders/special')).toBe('users')
    expect(await servedBy('GET', '/api/orders/special')).toBe('orders')
  })

  it('a HEAD request on a shadowed GET route is mirrored and compared', async () => {
    expect(await servedBy('HEAD', '/api/reports')).toBe('legacy')
    const rec = (await sp.records()).find(r => r.method === 'HEAD' && r.url === '/api/reports')
    expect(rec).toMatchObject({ route: 'reports', primary: { upstream: 'legacy', status: 200 }, shadow: { upstream: 'orders', status: 200 }, outcome: 'match' })
  })
})
