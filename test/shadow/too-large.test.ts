import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { startShadowProxy, type ShadowProxy } from '../helpers/shadow.js'

const BIG = JSON.stringify({ blob: 'x'.repeat(8 * 1024) })
let legacy: FakeUpstream
let orders: FakeUpstream
let sp: ShadowProxy

beforeAll(async () => {
  legacy = await startUpstream((req, res, body) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/big') { res.end(BIG); return }
    res.end(JSON.stringify({ received: body.length }))
  })
  orders = await startUpstream((req, res, body) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/big-shadow') { res.end(BIG); return }
    res.end(JSON.stringify({ received: body.length }))
  })
  sp = await startShadowProxy(`
version: 1
upstreams:
  legacy: { url: ${legacy.url} }
  orders: { url: ${orders.url} }
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
`)
})
afterAll(async () => {
  await sp.close()
  await Promise.all([legacy.close(), orders.close()])
})

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
