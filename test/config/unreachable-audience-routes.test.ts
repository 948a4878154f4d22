import { expect, test } from 'vitest'
import { HEAD, loadOk, loadText } from './helpers.js'

const unreachable = async (routes: string): Promise<Array<[string | null, string]>> => {
  const { warnings } = await loadOk(HEAD + 'routes:\n' + routes)
  return warnings.filter(w => w.code === 'RULES_UNREACHABLE_ROUTE').map(w => [w.route, w.message.match(/route "([^"]+)"/)![1]!])
}

test('a tenant canary before the route everybody else takes is no warning', async () => {
  expect(await unreachable(`
  - { name: acme, match: { method: GET, path: "/api/orders/{id}", headers: { x-tenant: acme } }, serve: orders }
  - { name: beta, match: { method: GET, path: "/api/orders/{id}", query: { beta: "1" } }, serve: orders }
  - { name: eu, match: { method: GET, path: "/api/orders/{id}", host: "*.eu.example.com" }, serve: orders }
  - { name: internal, match: { path: "/api/**", headers: { x-internal: { present: true } } }, serve: orders }
  - { name: get-order, match: { method: GET, path: "/api/orders/{id}" }, serve: legacy }
`)).toEqual([])
})

test('a later route meeting the same conditions, or stricter ones, is unreachable', async () => {
  expect(await unreachable(`
  - { name: acme, match: { path: "/api/orders/**", headers: { X-Tenant: acme } }, serve: orders }
  - { name: acme-again, match: { method: GET, path: "/api/orders/{id}", headers: { x-tenant: acme } }, serve: legacy }
  - { name: acme-beta, match: { method: GET, path: "/api/orders/{id}", headers: { x-tenant: acme, x-beta: { present: true } }, query: { v: "2" } }, serve: legacy }
  - { name: any-tenant, match: { path: "/api/users/**", headers: { x-tenant: { present: true } } }, serve: orders }
  - { name: globex-user, match: { path: "/api/users/7", headers: { x-tenant: globex } }, serve: legacy }
  - { name: eu, match: { path: "/api/eu/**", host: "*.example.com" }, serve: orders }
  - { name: eu-shop, match: { path: "/api/eu/cart", host: shop.example.com }, serve: legacy }
`)).toEqual([
    ['acme-again', 'acme'],
    ['acme-beta', 'acme'],
    ['globex-user', 'any-tenant'],
    ['eu-shop', 'eu']
  ])
})

test('a later route with conditions is unreachable behind an earlier route without any', async () => {
  expect(await unreachable(`
  - { name: orders, match: { path: "/api/orders/**" }, serve: legacy }
  - { name: acme, match: { method: GET, path: "/api/orders/{id}", headers: { x-tenant: acme } }, serve: orders }
`)).toEqual([['acme', 'orders']])
})

test('other values, other names, a wider host, or mere presence for an exact value are reachable', async () => {
  expect(await unreachable(`
  - { name: acme, match: { path: /a, headers: { x-tenant: acme } }, serve: orders }
  - { name: globex, match: { path: /a, headers: { x-tenant: globex } }, serve: orders }
  - { name: some-tenant, match: { path: /a, headers: { x-tenant: { present: true } } }, serve: orders }
  - { name: host, match: { path: /b, host: api.example.com } , serve: orders }
  - { name: any-sub, match: { path: /b, host: "*.example.com" }, serve: orders }
  - { name: bare, match: { path: /b, host: example.com }, serve: orders }
  - { name: no-debug, match: { path: /c, headers: { x-debug: { present: false } } }, serve: orders }
  - { name: debug, match: { path: /c, headers: { x-debug: "1" } }, serve: orders }
  - { name: flag, match: { path: /d, query: { beta: "1" } }, serve: orders }
  - { name: header-not-query, match: { path: /d, headers: { beta: "1" } }, serve: orders }
`)).toEqual([])
})

test('a route whose conditions are invalid reports its errors and does not crash the check', async () => {
  const result = await loadText(HEAD + `routes:
  - { name: bad, match: { path: /a, headers: { x-tenant: [acme] }, host: "http://x" }, serve: orders }
  - { name: ok, match: { path: /a }, serve: legacy }
`)
  expect(result.ok).toBe(false)
  expect(result.warnings.filter(w => w.code === 'RULES_UNREACHABLE_ROUTE')).toEqual([])
})
