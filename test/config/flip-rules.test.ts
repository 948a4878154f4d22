import { describe, expect, it } from 'vitest'
import { HEAD, loadErrors, loadOk } from './helpers.js'

describe('gates, rollout and audience matching in the rules file', () => {
  it('fills gate defaults, merges a route\'s gates over the top-level ones, and normalizes match audiences', async () => {
    const { rules } = await loadOk(HEAD + `gates: { minPairs: 50, window: 1h }
routes:
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}", headers: { X-Tenant: acme, x-beta: { present: true } }, query: { beta: 1 }, host: "*.Example.com" }
    serve: { orders: 10, legacy: 90 }
    gates: { parity: 0.99 }
    rollout: { to: orders, steps: [10, 25, 50, 100], every: 30m, rollbackOn: { errorRate: 0.01, p99: 1.5 } }
  - name: plain
    match: { path: /plain }
    serve: legacy
`)
    const [order, plain] = rules.routes
    expect(rules.gates).toEqual({ minPairs: 50, parity: 0.999, maxShadowErrors: 0.001, windowMs: 3_600_000 })
    expect(order!.gates).toEqual({ minPairs: 50, parity: 0.99, maxShadowErrors: 0.001, windowMs: 3_600_000 })
    expect(plain!.gates).toEqual(rules.gates)
    expect(order!.match.headers).toEqual([{ name: 'x-tenant', equals: 'acme' }, { name: 'x-beta', present: true }])
    expect(order!.match.query).toEqual([{ name: 'beta', equals: '1' }])
    expect(order!.match.host).toEqual({ suffix: '.example.com' })
    expect(order!.rollout).toEqual({ to: 'orders', steps: [10, 25, 50, 100], everyMs: 1_800_000, rollbackErrorRate: 0.01, rollbackP99: 1.5, halted: null })
    expect(plain!.match).toMatchObject({ headers: [], query: [], host: null })
    expect(plain!.rollout).toBeNull()
  })

  it('uses the documented defaults when no gates are written', async () => {
    const { rules } = await loadOk(HEAD + 'routes: []\n')
    expect(rules.gates).toEqual({ minPairs: 100, parity: 0.999, maxShadowErrors: 0.001, windowMs: 86_400_000 })
  })

  it('reports every bad flip key with its line and column', async () => {
    const errors = await loadErrors(HEAD + `gates: { parity: 2, window: 10 }
routes:
  - name: bad
    match: { path: /x, host: "http://x", headers: { "a b": 1 } }
    serve: legacy
    rollout: { to: nope, steps: [50, 10], rollbackOn: { latency: 2 } }
`)
    const lines = errors.map(e => `${e.line}:${e.column} ${e.code} ${e.message}`)
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^6:18 RULES_INVALID_VALUE gates\.parity/),
      expect.stringMatching(/^6:29 RULES_BAD_DURATION gates\.window/),
      expect.stringMatching(/^9:30 RULES_INVALID_VALUE match\.host: host "http:\/\/x" is a host name/),
      expect.stringMatching(/^9:53 RULES_INVALID_VALUE match\.headers\["a b"\]: "a b" is not a header name/),
      expect.stringMatching(/^11:20 RULES_UNKNOWN_UPSTREAM rollout\.to names upstream "nope"/),
      expect.stringMatching(/^11:38 RULES_INVALID_VALUE rollout\.steps\[1\]: rollout steps go up: 10 follows 50/),
      expect.stringMatching(/^11:57 RULES_UNKNOWN_KEY unknown key "latency" \(known: errorRate, p99\)/)
    ]))
    expect(errors.every(e => e.line! < 9 || e.route === 'bad')).toBe(true)
  })
})
