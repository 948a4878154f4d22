import { expect, test } from 'vitest'
import { formatProblem } from '../../src/config/format-problem.js'
import { HEAD, loadErrors } from './helpers.js'

test('every place an upstream is named is checked: serve, weights, shadow, fallback', async () => {
  const errors = await loadErrors(`version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
serve: legasy
routes:
  - name: a
    match: { path: /a }
    serve: order
  - name: b
    match: { path: /b }
    serve: { payments: 1, legacy: 9 }
    shadow: users
  - name: c
    match: { path: /c }
    serve: orders
    fallback: old
  - name: d
    match: { path: /d }
    serve: orders
    fallback: { upstream: old }
`)
  expect(errors.every(e => e.code === 'RULES_UNKNOWN_UPSTREAM')).toBe(true)
  expect(errors.map(e => [e.at, e.line, e.route])).toEqual([
    ['serve', 5, null],
    ['routes[0].serve', 9, 'a'],
    ['routes[1].serve.payments', 12, 'b'],
    ['routes[1].shadow', 13, 'b'],
    ['routes[2].fallback', 17, 'c'],
    ['routes[3].fallback.upstream', 21, 'd']
  ])
})

test('the formatted line names file, position, code, route, the known upstreams and a close spelling', async () => {
  const errors = await loadErrors(HEAD + `routes:
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: order
`)
  expect(errors).toHaveLength(1)
  const line = formatProblem(errors[0]!)
  expect(line).toBe(`${errors[0]!.file}:9:12 error RULES_UNKNOWN_UPSTREAM route "get-order": serve names upstream "order" which is not under upstreams (known: legacy, orders); did you mean "orders"?`)
})
