import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

const BIG = JSON.stringify({ blob: 'x'.repeat(8 * 1024) })
let orders: FakeUpstream
let sp: ProxyFixture

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (req, res, body) => {
        res.setHeader('content-type', 'application/json')
        if (req.url === '/big') { res.end(BIG); return }
        res.end(JSON.stringify({ received: body.length }))
      },
      orders: (req, res, body) => {
        res.setHeader('content-type', 'application/json')
        if (req.url === '/big-shadow') { res.end(BIG); return }
        res.end(JSON.stringify({ received: body.length }))
      }
    },
    rules: `
serve: legacy
shadow: { maxBodyBytes: 4kb }
routes:
  - name: capped-with-fallback
    match: { path: "/replayable/**" }
    serve: legacy
    shadow: orders
    shadowWrites: true
    fallback: { upstream: orders, methods: [PUT] }
  - { name: capped, match: { path: "/**" }, serve: legacy, shadow: orders, shadowWrites: true }
`
  })
  orders = sp.upstream('orders')
})
afterAll(async () => { await sp.close() })

describe('bodies over shadow.maxBodyBytes', () => {
  it('a primary response over the cap streams whole to the client; the pair is skipped as too-large', async () => {
    const res = await fetch(`${sp.proxy.url}/big`)
    expect(await res.text()).toBe(BIG)
    const r = (await sp.records()).find((x) => x.url === '/big')!
    expect(r.outcome).toBe('skipped')
    expect(r.skipped).toBe('too-large')
  })

  it('a shadow response over the cap is abandoned; the pair is skipped as too-large', async () => {
    const res = await fetch(`${sp.proxy.url}/big-shadow`)
    expect(await res.json()).toEqual({ received: 0 })
    const r = (await sp.records()).find((x) => x.url === '/big-shadow')!
    expect(r.skipped).toBe('too-large')
  })

  it('a request body over the cap still reaches the primary whole; no mirror is sent', async () => {
    const before = orders.seen.length
    const body = 'y'.repeat(10 * 1024)
    const res = await fetch(`${sp.proxy.url}/upload`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } })
    expect(await res.json()).toEqual({ received: body.length })
    const recs = await sp.records()
    expect(orders.seen.length).toBe(before)
    expect(recs.some((r) => r.skipped === 'too-large' && r.route === 'capped' && r.method === 'POST' && r.url === '/upload')).toBe(true)
  })

  it('a body buffered whole for a fallback replay is still not mirrored when over the cap', async () => {
    const before = orders.seen.length
    const body = 'z'.repeat(10 * 1024)
    const res = await fetch(`${sp.proxy.url}/replayable/1`, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } })
    expect(await res.json()).toEqual({ received: body.length })
    const recs = await sp.records()
    expect(orders.seen.length).toBe(before)
    expect(recs.some((r) => r.skipped === 'too-large' && r.route === 'capped-with-fallback' && r.method === 'PUT')).toBe(true)
  })
})
