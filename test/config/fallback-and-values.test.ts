import { expect, test } from 'vitest'
import { HEAD, loadErrors, loadOk } from './helpers.js'

test('fallback: a name means GET, HEAD, OPTIONS; PUT and DELETE may be opted in', async () => {
  const { rules } = await loadOk(HEAD + `routes:
  - { name: a, match: { path: /a }, serve: orders, fallback: legacy }
  - { name: b, match: { path: /b }, serve: orders, fallback: { upstream: legacy, methods: [get, PUT, DELETE] } }
`)
  expect(rules.routes[0]!.fallback).toEqual({ upstream: 'legacy', methods: ['GET', 'HEAD', 'OPTIONS'] })
  expect(rules.routes[1]!.fallback).toEqual({ upstream: 'legacy', methods: ['GET', 'PUT', 'DELETE'] })
})

test('fallback of POST or PATCH is refused: never retried, not idempotent', async () => {
  const errors = await loadErrors(HEAD + `routes:
  - { name: a, match: { path: /a }, serve: orders, fallback: { upstream: legacy, methods: [GET, POST, patch] } }
`)
  expect(errors.map(e => [e.at, e.message])).toEqual([
    ['routes[0].fallback.methods[1]', 'fallback.methods[1]: POST is never retried: not idempotent'],
    ['routes[0].fallback.methods[2]', 'fallback.methods[2]: PATCH is never retried: not idempotent']
  ])
})

test('wrong values: version, sample, weights, sticky, stripPrefix, url, top-level weights', async () => {
  const errors = await loadErrors(`version: 2
upstreams:
  legacy: { url: ftp://127.0.0.1:3000 }
serve: { legacy: 1 }
shadow: { sample: 1.5, maxConcurrent: 0 }
routes:
  - name: a
    match: { path: /a, method: [] }
    serve: { legacy: 0 }
    sticky: ip:x
    rewrite: { stripPrefix: api }
    shadowWrites: yes
`)
  expect(errors.map(e => [e.code, e.at])).toEqual([
    ['RULES_INVALID_VALUE', 'version'],
    ['RULES_INVALID_VALUE', 'upstreams.legacy.url'],
    ['RULES_INVALID_VALUE', 'serve'],
    ['RULES_INVALID_VALUE', 'shadow.sample'],
    ['RULES_INVALID_VALUE', 'shadow.maxConcurrent'],
    ['RULES_INVALID_VALUE', 'routes[0].match.method'],
    ['RULES_BAD_WEIGHTS', 'routes[0].serve.legacy'],
    ['RULES_INVALID_VALUE', 'routes[0].sticky'],
    ['RULES_INVALID_VALUE', 'routes[0].rewrite.stripPrefix'],
    ['RULES_INVALID_VALUE', 'routes[0].shadowWrites']
  ])
  expect(errors.find(e => e.at === 'serve')!.message).toMatch(/weights belong in a route/)
  expect(errors.find(e => e.at === 'shadow.sample')!.message).toBe('shadow.sample: must be at most 1, got 1.5')
})

test('methods upper case, header names lower case, sticky, stripPrefix and upstream url parts', async () => {
  const { rules } = await loadOk(`version: 1
upstreams:
  legacy: { url: "http://127.0.0.1:3000/base/" }
serve: legacy
compare: { headers: [Content-Type] }
routes:
  - name: a
    match: { path: /api/a/**, method: [get, Post] }
    serve: legacy
    sticky: header:X-User-Id
    rewrite: { stripPrefix: /api/ }
  - name: b
    match: { path: /b }
    serve: legacy
    sticky: cookie:SessionId
`)
  expect(rules.upstreams['legacy']).toEqual({ name: 'legacy', url: 'http://127.0.0.1:3000/base/', origin: 'http://127.0.0.1:3000', basePath: '/base', timeoutMs: 30_000, headers: null })
  expect(rules.compare.headers).toEqual(['content-type'])
  const [a, b] = rules.routes
  expect(a!.match.methods).toEqual(['GET', 'POST'])
  expect(a!.sticky).toEqual({ from: 'header', name: 'x-user-id' })
  expect(a!.rewrite).toEqual({ stripPrefix: '/api' })
  expect(b!.sticky).toEqual({ from: 'cookie', name: 'SessionId' })
  expect(b!.match.methods).toBeNull()
  expect(b!.rewrite).toEqual({ stripPrefix: null })
})

test('a number where an upstream name belongs asks for a string', async () => {
  const errors = await loadErrors(HEAD + `routes:
  - { name: a, match: { path: /a }, serve: 1, fallback: 2 }
`)
  expect(errors.map(e => e.message)).toEqual(['serve: expected a string, got 1', 'fallback: expected a string, got 2'])
})
