import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { rawExchange } from '../helpers/raw-http.js'

// A monolith and the new orders service, each answering in its own format:
// the monolith's order ids are `ORD-000042`, the new service's `ord_42`.

function json (res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function monolith (req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://monolith')
  const order = /^\/api\/orders\/(\d+)$/.exec(url.pathname)
  if (req.method === 'GET' && order !== null) {
    json(res, 200, { orderId: `ORD-${order[1]!.padStart(6, '0')}`, state: 'SHIPPED', total: '12.50' })
  } else if (req.method === 'GET' && url.pathname === '/api/orders') {
    json(res, 200, { orders: [{ orderId: 'ORD-000001' }, { orderId: 'ORD-000002' }], page: Number(url.searchParams.get('page') ?? 1) })
  } else {
    json(res, 404, { error: 'no such page' })
  }
}

function ordersService (req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://orders')
  const order = /^\/api\/orders\/(\d+)$/.exec(url.pathname)
  if (req.method === 'GET' && order !== null) {
    json(res, 200, { id: `ord_${order[1]}`, status: 'shipped', total: { amount: 1250, currency: 'EUR' } })
  } else if (req.method === 'GET' && url.pathname === '/api/orders') {
    json(res, 200, { data: [{ id: 'ord_1' }, { id: 'ord_2' }], next: null })
  } else {
    json(res, 404, { code: 'not_found' })
  }
}

let fx: ProxyFixture

beforeAll(async () => {
  fx = await startProxyFixture({
    upstreams: { legacy: monolith, orders: ordersService },
    rules: `
serve: legacy
routes:
  - name: get-order-acme
    match: { method: GET, path: "/api/orders/{id}", headers: { x-tenant: acme } }
    serve: orders
    shadow: legacy
  - name: list-orders-beta
    match: { method: GET, path: /api/orders, query: { beta: "1" } }
    serve: orders
  - name: orders-eu
    match: { path: "/api/orders/**", host: "*.eu.example.com" }
    serve: orders
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: legacy
`
  })
})
afterAll(async () => { await fx.close() })

/** A GET through the proxy with these headers (Host included: fetch may not set it); the answer's JSON. */
async function get (path: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  return await new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: fx.proxy.port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        try {
          expect(res.statusCode).toBe(200)
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        } catch (err) { reject(err) }
      })
    })
    req.on('error', reject)
  })
}

describe('a canary for one audience: the same path, the new service for some, the monolith for the rest', () => {
  it('x-tenant: acme reaches the new orders service; other tenants and no tenant reach the monolith', async () => {
    expect(await get('/api/orders/42', { 'x-tenant': 'acme' })).toMatchObject({ id: 'ord_42' })
    expect(await get('/api/orders/42', { 'X-Tenant': 'acme' })).toMatchObject({ id: 'ord_42' })
    expect(await get('/api/orders/42', { 'x-tenant': 'globex' })).toMatchObject({ orderId: 'ORD-000042' })
    expect(await get('/api/orders/42', { 'x-tenant': 'Acme' })).toMatchObject({ orderId: 'ORD-000042' })
    expect(await get('/api/orders/42')).toMatchObject({ orderId: 'ORD-000042' })
  })

  it('a tenant header sent twice reaches the canary when one of its values is acme', async () => {
    const res = await rawExchange(fx.proxy.port, 'GET /api/orders/7 HTTP/1.1\r\nhost: api.example.com\r\nx-tenant: globex\r\nx-tenant: acme\r\nconnection: close\r\n\r\n')
    expect(res.status).toBe(200)
    // the body may come chunked: look for the new service's id in it
    expect(res.body).toContain('"id":"ord_7"')
  })

  it('the query flag picks its route, and the query is still forwarded unchanged', async () => {
    expect(await get('/api/orders?beta=1&page=2')).toEqual({ data: [{ id: 'ord_1' }, { id: 'ord_2' }], next: null })
    expect(fx.upstream('orders').seen.at(-1)!.url).toBe('/api/orders?beta=1&page=2')
    expect(await get('/api/orders?page=2&beta=%31')).toMatchObject({ data: [{ id: 'ord_1' }, { id: 'ord_2' }] })
    expect(await get('/api/orders?beta=0&page=2')).toEqual({ orders: [{ orderId: 'ORD-000001' }, { orderId: 'ORD-000002' }], page: 2 })
    expect(await get('/api/orders?beta=%zz')).toMatchObject({ page: 1 })
  })

  it('a wildcard host takes the names below it (port left out), not the domain itself', async () => {
    expect(await get('/api/orders/5', { host: 'shop.eu.example.com:8443' })).toMatchObject({ id: 'ord_5' })
    expect(await get('/api/orders/5', { host: 'eu.example.com' })).toMatchObject({ orderId: 'ORD-000005' })
    expect(await get('/api/orders/5', { host: 'shop.us.example.com' })).toMatchObject({ orderId: 'ORD-000005' })
  })

  it('a route with conditions shadows and compares as any route does', async () => {
    await get('/api/orders/99', { 'x-tenant': 'acme' })
    const record = (await fx.records()).find(r => r.url === '/api/orders/99')
    expect(record).toMatchObject({
      route: 'get-order-acme',
      primary: { upstream: 'orders', status: 200 },
      shadow: { upstream: 'legacy', status: 200 },
      outcome: 'mismatch'
    })
    expect(record!.differences).toContainEqual({ kind: 'removed', path: '$.id', primary: 'ord_99' })
    // requests outside the audience are served by the route without a shadow: no record
    expect((await fx.records()).filter(r => r.route !== 'get-order-acme')).toEqual([])
  })
})
