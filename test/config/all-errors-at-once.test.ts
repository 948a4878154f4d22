import { expect, test } from 'vitest'
import { loadErrors } from './helpers.js'

const FILE = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
serve: legacy
routes:
  - name: list-orders
    match: { method: GET, path: /api/orders }
    serve: legacy
    shadow: ordrs
  - name: get-order
    match: { method: GET, path: "/api/orders/{id" }
    serve: { orders: 10, legacy: -5 }
  - name: list-orders
    match: { path: /api/users/** }
    serve: legacy
    compare:
      ignore: ["items"]
  - name: search
    match: { path: /api/search }
    serve: legacy
    retries: 3
`

test('every error in the file is reported, in file order, with line, column and route', async () => {
  const errors = await loadErrors(FILE)
  expect(errors.map(e => ({ code: e.code, line: e.line, route: e.route, at: e.at }))).toEqual([
    { code: 'RULES_UNKNOWN_UPSTREAM', line: 10, route: 'list-orders', at: 'routes[0].shadow' },
    { code: 'RULES_BAD_PATH_PATTERN', line: 12, route: 'get-order', at: 'routes[1].match.path' },
    { code: 'RULES_BAD_WEIGHTS', line: 13, route: 'get-order', at: 'routes[1].serve.legacy' },
    { code: 'RULES_DUPLICATE_ROUTE', line: 14, route: 'list-orders', at: 'routes[2].name' },
    { code: 'RULES_BAD_JSON_PATH', line: 18, route: 'list-orders', at: 'routes[2].compare.ignore[0]' },
    { code: 'RULES_UNKNOWN_KEY', line: 22, route: 'search', at: 'routes[3].retries' }
  ])
  expect(errors.every(e => e.severity === 'error' && e.file.endsWith('rules.yaml'))).toBe(true)
})

test('columns point at the offending value or key', async () => {
  const errors = await loadErrors(FILE)
  const col = (code: string): number | null => errors.find(e => e.code === code)!.column
  expect(col('RULES_UNKNOWN_UPSTREAM')).toBe(13)   // "ordrs" after "    shadow: "
  expect(col('RULES_BAD_WEIGHTS')).toBe(34)        // -5
  expect(col('RULES_UNKNOWN_KEY')).toBe(5)         // the key "retries"
})
