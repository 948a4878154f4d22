import { expect, test } from 'vitest'
import { formatProblem } from '../../src/config/format-problem.js'
import { HEAD, loadOk } from './helpers.js'

test('a route covered by an earlier one is a warning naming the earlier route', async () => {
  const { warnings } = await loadOk(HEAD + `routes:
  - name: users
    match: { path: /api/users/** }
    serve: legacy
  - name: one-user
    match: { method: GET, path: "/api/users/{id}" }
    serve: orders
  - name: any-order
    match: { method: [GET, POST], path: "/api/orders/{id}" }
    serve: orders
  - name: get-order
    match: { method: GET, path: /api/orders/42 }
    serve: legacy
  - name: order-list
    match: { method: GET, path: /api/orders }
    serve: legacy
`)
  expect(warnings.map(w => [w.code, w.route, w.line, w.severity])).toEqual([
    ['RULES_UNREACHABLE_ROUTE', 'one-user', 11, 'warning'],
    ['RULES_UNREACHABLE_ROUTE', 'get-order', 17, 'warning']
  ])
  expect(warnings[0]!.message).toMatch(/"users"/)
  expect(warnings[1]!.message).toMatch(/"any-order"/)
  expect(formatProblem(warnings[0]!)).toMatch(/:11:\d+ warning RULES_UNREACHABLE_ROUTE route "one-user": /)
})

test('a narrower method list or a longer path first is not a warning', async () => {
  const { warnings } = await loadOk(HEAD + `routes:
  - { name: a, match: { method: GET, path: "/x/{id}" }, serve: orders }
  - { name: b, match: { path: "/x/{id}" }, serve: legacy }
  - { name: c, match: { path: "/y/z/**" }, serve: orders }
  - { name: d, match: { path: "/y/**" }, serve: legacy }
`)
  expect(warnings).toEqual([])
})

test('a shadow that is the only served upstream is a warning', async () => {
  const { warnings } = await loadOk(HEAD + `routes:
  - { name: a, match: { path: /a }, serve: orders, shadow: orders }
  - { name: b, match: { path: /b }, serve: { orders: 5 }, shadow: orders }
  - { name: c, match: { path: /c }, serve: { orders: 5, legacy: 5 }, shadow: orders }
`)
  expect(warnings.map(w => [w.code, w.route, w.at])).toEqual([
    ['RULES_SHADOW_SELF', 'a', 'routes[0].shadow'],
    ['RULES_SHADOW_SELF', 'b', 'routes[1].shadow']
  ])
})
