import { afterAll, beforeAll, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import type { Handler } from '../helpers/upstream.js'

/**
 * `GET /orders/{n}`: each side names the order with its own reference and batch; the code is the
 * same on both; the shadow's total is off for order 7 (a real difference, to be kept).
 */
function side (name: 'p' | 's'): Handler {
  return (req, res) => {
    const n = Number(req.url!.split('/').pop())
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({
      ref: `${name}-ref-${n}`,
      batch: name === 'p' ? 1000 : 2000,
      lines: [{ code: 'SKU-1', qty: 2 }],
      total: name === 's' && n === 7 ? 11 : 10
    }))
  }
}

const N = 20
let sp: ProxyFixture
beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: { legacy: side('p'), rewrite: side('s') },
    rules: `
serve: legacy
shadow: { sample: 1.0, timeout: 2s }
correlate:
  - { name: order-ref, learn: ["$.ref"] }
  - { name: batch, learn: ["$.batch"], routes: [order] }
  - { name: line-code, learn: ["$..code"] }
routes:
  - { name: order, match: { method: GET, path: "/orders/{n}" }, serve: legacy, shadow: rewrite }
`
  })
})
afterAll(async () => { await sp.close() })

it('a route with 3 correlate entries whose pairs never occur in a request records every pair as usual', async () => {
  const answers = await Promise.all(Array.from({ length: N }, async (_, i) => {
    const res = await fetch(`${sp.proxy.url}/orders/${i + 1}`)
    return (await res.json() as { ref: string }).ref
  }))
  expect(answers).toEqual(Array.from({ length: N }, (_, i) => `p-ref-${i + 1}`))
  const records = await sp.records()
  expect(records).toHaveLength(N)

  // mirrors went as the client sent them: nothing learned stands in them
  expect(sp.upstream('rewrite').seen.map((s) => s.url).sort()).toEqual(Array.from({ length: N }, (_, i) => `/orders/${i + 1}`).sort())
  const stats = sp.proxy.correlation.stats()
  expect(stats.applied).toBe(0)
  // each pair taught its reference and its batch; equal codes taught nothing
  expect(stats.learned).toBe(2 * N)
  expect(sp.proxy.correlation.size).toBe(N + 1)

  for (const r of records) {
    const n = Number(r.url.split('/').pop())
    expect(r.route).toBe('order')
    expect(r.primary.status).toBe(200)
    expect(r.shadow.status).toBe(200)
    // the reference and batch differences are explained by the pairs the same answers taught
    expect(r.correlated).toBe(2)
    if (n === 7) {
      expect(r.outcome).toBe('mismatch')
      expect(r.differences).toEqual([{ kind: 'changed', path: '$.total', primary: 10, shadow: 11 }])
    } else {
      expect(r.outcome).toBe('match')
      expect(r.differences).toEqual([])
    }
  }
})
