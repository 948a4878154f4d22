import { expect, test } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import type { Rules } from '../../src/config/types.js'

const TEXT = `version: 1
upstreams:
  legacy:
    url: http://127.0.0.1:3000
    headers: { remove: [X-Debug, x-debug] }
  orders:
    url: http://127.0.0.1:4000
    headers:
      set: { Authorization: "Bearer \${ORDERS_TOKEN}", X-Client: strangler, X-Version: 2 }
      remove: [Cookie]
  billing: { url: http://127.0.0.1:5000 }
  empty: { url: http://127.0.0.1:6000, headers: {} }
serve: legacy
routes:
  - { name: to-orders, match: { path: /o }, serve: orders }
  - { name: mirrored, match: { path: /m }, serve: legacy, shadow: orders }
  - { name: falls-back, match: { path: /f }, serve: billing, fallback: orders }
  - { name: weighted, match: { path: /w }, serve: { billing: 1, orders: 1 } }
  - { name: plain, match: { path: /p }, serve: billing, shadow: legacy }
`

function load (): Rules {
  const r = loadRulesText(TEXT, 'rules.yaml', { ORDERS_TOKEN: 's3cret-token' })
  if (!r.ok) throw new Error(r.errors.map(e => e.message).join('\n'))
  return r.rules
}

test('set and remove compile per upstream: lower-case names, values resolved, set names dropped from the client too', () => {
  const orders = load().upstreams['orders']!.headers!
  expect(orders.set).toEqual(['authorization', 'Bearer s3cret-token', 'x-client', 'strangler', 'x-version', '2'])
  expect([...orders.drop]).toEqual(['authorization', 'x-client', 'x-version', 'cookie'])
  expect(orders.setNames).toEqual(['authorization', 'x-client', 'x-version'])
  expect(orders.removeNames).toEqual(['cookie'])
  expect(load().upstreams['legacy']!.headers!.removeNames).toEqual(['x-debug'])
  expect(Object.isFrozen(orders)).toBe(true)
})

test('an upstream without headers, or with an empty edit, has none: nothing to do per request', () => {
  const rules = load()
  expect(rules.upstreams['billing']!.headers).toBeNull()
  expect(rules.upstreams['empty']!.headers).toBeNull()
})

test('serialized, the rules show the names an edit sets, never the values', () => {
  const json = JSON.stringify(load())
  expect(json).not.toContain('s3cret-token')
  expect(JSON.parse(json).upstreams.orders.headers).toEqual({ set: ['authorization', 'x-client', 'x-version'], remove: ['cookie'] })
})

test('a route redacts in its records the headers set on any upstream it sends to: served, mirrored, fallback, weighted', () => {
  const redacted = Object.fromEntries(load().routes.map(r => [r.name, r.redact.headers.includes('x-client') && r.redact.headers.includes('x-version')]))
  expect(redacted).toEqual({ 'to-orders': true, mirrored: true, 'falls-back': true, weighted: true, plain: false })
})
