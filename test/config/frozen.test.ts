import { expect, test } from 'vitest'
import { loadOk, HEAD } from './helpers.js'

test('the loaded rules are deeply frozen', async () => {
  const { rules } = await loadOk(HEAD + `routes:
  - name: a
    match: { method: GET, path: "/files/{f}.{e}" }
    serve: { orders: 1, legacy: 1 }
    fallback: legacy
`)
  const route = rules.routes[0]!
  const frozen = [rules, rules.upstreams, rules.upstreams['legacy'], rules.shadow, rules.compare, rules.compare.headers,
    rules.redact.headers, rules.limits, rules.routes, route, route.match, route.match.methods, route.match.path,
    route.match.path.segments, route.match.path.segments[1], route.serve, route.fallback, route.fallback!.methods, route.compare, route.redact]
  for (const value of frozen) expect(Object.isFrozen(value)).toBe(true)
  expect(() => { (rules.routes as unknown as unknown[]).push({}) }).toThrow(TypeError)
  expect(() => { (route as { name: string }).name = 'b' }).toThrow(TypeError)
})

test('two loads share nothing mutable: defaults are not one shared object', async () => {
  const one = await loadOk(HEAD)
  const two = await loadOk(HEAD)
  expect(one.rules.shadow).toEqual(two.rules.shadow)
  expect(one.rules).not.toBe(two.rules)
})
