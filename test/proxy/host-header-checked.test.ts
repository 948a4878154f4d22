import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawExchange } from '../helpers/raw-http.js'

// Regression (issue 12): a request with two Host headers was forwarded (the
// first one won). Two Host headers, or none on HTTP/1.1, are answered
// 400 HOST_INVALID with the proxy's JSON and never forwarded.
let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo' }, rules: 'serve: legacy' })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

describe('the Host header', () => {
  it('answers two Host headers with 400 HOST_INVALID and forwards nothing', async () => {
    const legacy = fixture.upstream('legacy')
    const before = legacy.seen.length
    const res = await rawExchange(proxy.port, 'GET /a HTTP/1.1\r\nhost: a.example\r\nHost: b.example\r\nconnection: close\r\n\r\n')
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toEqual({ error: 'HOST_INVALID', message: 'the request has more than one Host header', route: null })
    expect(legacy.seen.length).toBe(before)
  })

  it('answers an HTTP/1.1 request without Host with 400 HOST_INVALID', async () => {
    const legacy = fixture.upstream('legacy')
    const before = legacy.seen.length
    const res = await rawExchange(proxy.port, 'GET /a HTTP/1.1\r\nconnection: close\r\n\r\n')
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({ error: 'HOST_INVALID', message: 'an HTTP/1.1 request needs a Host header' })
    expect(legacy.seen.length).toBe(before)
  })

  it('forwards a request with one Host header, and an HTTP/1.0 request without one', async () => {
    const one = await rawExchange(proxy.port, 'GET /a HTTP/1.1\r\nhost: a.example\r\nconnection: close\r\n\r\n')
    expect(one.status).toBe(200)
    expect(JSON.parse(one.body)).toMatchObject({ url: '/a', headers: { 'x-forwarded-host': 'a.example' } })
    const old = await rawExchange(proxy.port, 'GET /b HTTP/1.0\r\n\r\n')
    expect(old.status).toBe(200)
    expect(JSON.parse(old.body)).toMatchObject({ url: '/b' })
  })
})
