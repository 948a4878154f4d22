import { expect, test } from 'vitest'
import { loadOk } from './helpers.js'

const RULES = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
serve: legacy
compare:
  headers: [content-type]
  ignore: ["$..requestId"]
  tolerance: 0.5
redact:
  headers: [x-api-key]
  paths: ["$..password"]
routes:
  - name: legacy-only
    match: { path: /a }
    serve: legacy
  - name: shadowing
    match: { path: /b }
    serve: legacy
    shadow: orders
    compare:
      headers: [Content-Type, etag]
      ignore: ["$.meta", "$..requestId"]
      unordered: ["$.items"]
      tolerance: 0.001
    redact:
      headers: [Authorization, x-session]
      paths: ["$.ssn"]
  - name: canary
    match: { path: /c }
    serve: { orders: 1, legacy: 3 }
  - name: migrated
    match: { path: /d }
    serve: orders
  - name: verifying
    match: { path: /e }
    serve: orders
    shadow: legacy
`

test('stage follows serve and shadow, with the top-level serve as the legacy', async () => {
  const { rules } = await loadOk(RULES)
  expect(rules.routes.map(r => [r.name, r.stage])).toEqual([
    ['legacy-only', 'legacy'], ['shadowing', 'shadowing'], ['canary', 'canary'], ['migrated', 'migrated'], ['verifying', 'verifying']
  ])
})

test('route compare lists are appended to the global ones without repeats; tolerance replaces', async () => {
  const { rules } = await loadOk(RULES)
  expect(rules.routes[0]!.compare).toEqual({ headers: ['content-type'], ignore: ['$..requestId'], unordered: [], tolerance: 0.5, typeOnly: [], accept: [] })
  expect(rules.routes[1]!.compare).toEqual({
    headers: ['content-type', 'etag'],
    ignore: ['$..requestId', '$.meta'],
    unordered: ['$.items'],
    tolerance: 0.001,
    typeOnly: [],
    accept: []
  })
})

test('redact merges the same way and always holds the four secret headers', async () => {
  const { rules } = await loadOk(RULES)
  const always = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization']
  expect(rules.redact).toMatchObject({ headers: [...always, 'x-api-key'], paths: ['$..password'], keep: [] })
  expect(rules.routes[1]!.redact).toMatchObject({ headers: [...always, 'x-api-key', 'x-session'], paths: ['$..password', '$.ssn'], keep: [] })
})

test('each route knows its index and line', async () => {
  const { rules } = await loadOk(RULES)
  expect(rules.routes.map(r => [r.index, r.line])).toEqual([[0, 14], [1, 17], [2, 29], [3, 32], [4, 35]])
})
