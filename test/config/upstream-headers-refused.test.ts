import { expect, test } from 'vitest'
import { HOP_BY_HOP } from '../../src/upstream/hop-by-hop.js'
import { loadRulesText } from '../../src/config/load.js'

const rules = (headers: string): string => `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders:
    url: http://127.0.0.1:4000
    headers:
${headers}
serve: legacy
`

const errorsOf = (text: string) => {
  const r = loadRulesText(text, 'rules.yaml', {})
  if (r.ok) throw new Error('expected errors, the rules loaded')
  return r.errors
}

test('host cannot be set: a load error naming it, at its key', () => {
  const errors = errorsOf(rules('      set: { Host: api.example.com }'))
  expect(errors.map(e => [e.code, e.at, e.line, e.column])).toEqual([['RULES_INVALID_VALUE', 'upstreams.orders.headers.set.Host', 7, 14]])
  expect(errors[0]!.message).toBe('upstreams.orders.headers.set.Host: host cannot be set or removed: the proxy sends each upstream its own host')
})

test('every hop-by-hop header, the body framing, expect, x-forwarded-* and the shadow marker are refused in set and in remove', () => {
  const owned = [...HOP_BY_HOP, 'content-length', 'transfer-encoding', 'expect', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-strangler-shadow']
  for (const name of owned) {
    const set = errorsOf(rules(`      set: { ${name.toUpperCase()}: x }`))
    expect(set.map(e => e.message)).toEqual([expect.stringContaining(`${name} cannot be set or removed: `)])
    const removed = errorsOf(rules(`      remove: [${name}]`))
    expect(removed.map(e => e.at)).toEqual(['upstreams.orders.headers.remove[0]'])
    expect(removed[0]!.message).toContain(`${name} cannot be set or removed`)
  }
})

test('names are case-insensitive: the same header twice in set, or set and removed, is an error', () => {
  const twice = errorsOf(rules('      set: { X-Api-Key: a, x-api-key: b }'))
  expect(twice.map(e => [e.at, e.message])).toEqual([
    ['upstreams.orders.headers.set.x-api-key', 'upstreams.orders.headers.set.x-api-key: "x-api-key" is the same header as "X-Api-Key": names are case-insensitive']
  ])
  const both = errorsOf(rules('      set: { Cookie: a=1 }\n      remove: [COOKIE]'))
  expect(both.map(e => [e.at, e.message])).toEqual([
    ['upstreams.orders.headers.remove[0]', 'upstreams.orders.headers.remove[0]: cookie is both set and removed: set already replaces every copy the client sent']
  ])
})

test('a value that is not a header value, a name that is not a header name, an unknown key', () => {
  const errors = errorsOf(rules('      set: { x-a: { b: 1 }, x-c: "line\\nbreak" }\n      drop: [cookie]'))
  expect(errors.map(e => [e.code, e.at])).toEqual([
    ['RULES_INVALID_VALUE', 'upstreams.orders.headers.set.x-a'],
    ['RULES_INVALID_VALUE', 'upstreams.orders.headers.set.x-c'],
    ['RULES_UNKNOWN_KEY', 'upstreams.orders.headers.drop']
  ])
  expect(errors[0]!.message).toMatch(/a header value is a string, got/)
  expect(errors[1]!.message).toMatch(/cannot hold a line break/)
  const names = errorsOf(rules('      set: { "x b": c }'))
  expect(names.map(e => e.message)).toEqual(['upstreams.orders.headers.set["x b"]: "x b" is not a header name'])
})
