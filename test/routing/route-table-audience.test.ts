import { describe, expect, it } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import { RouteTable } from '../../src/routing/route-table.js'

const loaded = loadRulesText(`version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
serve: legacy
routes:
  - name: acme-orders
    match: { method: GET, path: "/api/orders/{id}", headers: { x-tenant: acme } }
    serve: orders
  - name: beta-orders
    match: { path: "/api/orders/**", query: { beta: "1" } }
    serve: orders
  - name: eu-anything
    match: { path: "/**", host: "*.eu.example.com" }
    serve: orders
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: legacy
`, 'rules.yaml')
if (!loaded.ok) throw new Error(loaded.errors.map(e => e.message).join('\n'))
const table = new RouteTable(loaded.rules)

const routeOf = (method: string, path: string, headers: string[] = [], query = ''): string | null =>
  table.match(method, path, headers, query)?.name ?? null

describe('RouteTable.match with audience conditions: first match in file order, conditions and all', () => {
  it('an audience route takes its audience; everybody else reaches the later route on the same path', () => {
    expect(routeOf('GET', '/api/orders/7', ['Host', 'api.example.com', 'X-Tenant', 'acme'])).toBe('acme-orders')
    expect(routeOf('GET', '/api/orders/7', ['Host', 'api.example.com', 'X-Tenant', 'globex'])).toBe('get-order')
    expect(routeOf('GET', '/api/orders/7', ['Host', 'api.example.com'])).toBe('get-order')
  })

  it('method and path still come first: the tenant header on another method or path does nothing', () => {
    expect(routeOf('POST', '/api/orders/7', ['x-tenant', 'acme'])).toBeNull()
    expect(routeOf('GET', '/api/users/7', ['x-tenant', 'acme'])).toBeNull()
  })

  it('a query flag, and a wildcard host, each pick their route', () => {
    expect(routeOf('GET', '/api/orders/7', [], '?beta=1')).toBe('beta-orders')
    expect(routeOf('DELETE', '/api/orders', [], '?x=2&beta=1')).toBe('beta-orders')
    expect(routeOf('GET', '/api/orders/7', ['host', 'shop.eu.example.com:8443'])).toBe('eu-anything')
    expect(routeOf('GET', '/health', ['host', 'eu.example.com'])).toBeNull()
  })

  it('the earlier audience wins when a request meets several', () => {
    expect(routeOf('GET', '/api/orders/7', ['host', 'shop.eu.example.com', 'x-tenant', 'acme'], '?beta=1')).toBe('acme-orders')
  })
})
