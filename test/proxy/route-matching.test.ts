import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo', orders: 'echo', users: 'echo' },
    rules: `
serve: legacy
routes:
  - name: create-order
    match: { method: POST, path: /api/orders }
    serve: orders
  - name: order-by-id
    match: { method: [GET, HEAD], path: "/api/orders/{id}" }
    serve: orders
  - name: order-items
    match: { path: "/api/orders/{id}/items" }
    serve: users
  - name: users-tree
    match: { path: "/api/users/**" }
    serve: users
  - name: everything-under-api-v2
    match: { path: "/v2/**" }
    serve: orders
  - name: shadowed-by-earlier
    match: { path: "/v2/things" }
    serve: users
`
  })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

async function servedBy (method: string, path: string): Promise<string | null> {
  const res = await fetch(proxy.url + path, { method })
  await res.arrayBuffer()
  return res.headers.get('x-upstream')
}

describe('route matching', () => {
  it('matches a single method and an exact path', async () => {
    expect(await servedBy('POST', '/api/orders')).toBe('orders')
    expect(await servedBy('GET', '/api/orders')).toBe('legacy')
  })
  it('matches a method list and a {param} segment, one segment only', async () => {
    expect(await servedBy('GET', '/api/orders/42')).toBe('orders')
    expect(await servedBy('HEAD', '/api/orders/42')).toBe('orders')
    expect(await servedBy('DELETE', '/api/orders/42')).toBe('legacy')
    expect(await servedBy('GET', '/api/orders/42/extra/deep')).toBe('legacy')
  })
  it('matches any method when method is omitted', async () => {
    expect(await servedBy('PATCH', '/api/orders/7/items')).toBe('users')
  })
  it('matches a final /** on the prefix itself and everything below', async () => {
    expect(await servedBy('GET', '/api/users')).toBe('users')
    expect(await servedBy('GET', '/api/users/1/roles/2')).toBe('users')
    expect(await servedBy('GET', '/api/usersx')).toBe('legacy')
  })
  it('lets the first match in file order win', async () => {
    expect(await servedBy('GET', '/v2/things')).toBe('orders')
  })
  it('sends what matches no route to the top-level serve', async () => {
    expect(await servedBy('GET', '/')).toBe('legacy')
    expect(await servedBy('GET', '/nothing/here')).toBe('legacy')
  })
  it('matches the normalized path (encoded unreserved characters decoded) and forwards that same path', async () => {
    const res = await fetch(proxy.url + '/api/%6Frders/42?x=%2F')
    const body = await res.json() as { upstream: string; url: string }
    expect(body.upstream).toBe('orders')
    expect(body.url).toBe('/api/orders/42?x=%2F')
  })
})
