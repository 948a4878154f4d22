import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let slow: FakeUpstream
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: {
      legacy: 'dead',
      slow: { handler: (_req, res) => { setTimeout(() => res.end('late'), 5000).unref() }, timeout: '300ms' },
      resets: { tcp: (s) => { s.once('data', () => s.resetAndDestroy()) } },
      garbage: { tcp: (s) => { s.once('data', () => s.end('this is not http\r\n\r\n')) } },
      'bad-status': { tcp: (s) => { s.once('data', () => s.end('HTTP/1.1 099 Odd\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok')) } },
      'bad-header': { tcp: (s) => { s.once('data', () => s.end('HTTP/1.1 200 OK\r\nx-bad: a\x01b\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok')) } }
    },
    rules: `
serve: legacy
routes:
  - name: slow-route
    match: { path: "/slow" }
    serve: slow
  - name: reset-route
    match: { path: "/reset" }
    serve: resets
  - name: garbage-route
    match: { path: "/garbage" }
    serve: garbage
  - name: bad-status-route
    match: { path: "/bad-status" }
    serve: bad-status
  - name: bad-header-route
    match: { path: "/bad-header" }
    serve: bad-header
`
  })
  slow = fixture.upstream('slow')
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

async function errorOf (path: string): Promise<{ status: number; body: { error: string; message: string; route: string | null } }> {
  const res = await fetch(proxy.url + path)
  expect(res.headers.get('content-type')).toContain('application/json')
  return { status: res.status, body: await res.json() as { error: string; message: string; route: string | null } }
}

describe('upstream errors', () => {
  it('answers 502 UPSTREAM_UNREACHABLE when the upstream is down', async () => {
    const r = await errorOf('/anything')
    expect(r.status).toBe(502)
    expect(r.body.error).toBe('UPSTREAM_UNREACHABLE')
    expect(r.body.route).toBeNull()
    expect(r.body.message).toContain('legacy')
  })

  it('answers 504 to a POST whose body was sent when the upstream then stays silent', async () => {
    const res = await fetch(proxy.url + '/slow', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 1 }) })
    expect(res.status).toBe(504)
    expect(((await res.json()) as { error: string }).error).toBe('UPSTREAM_TIMEOUT')
    expect(slow.seen.some((r) => r.method === 'POST' && r.body.toString() === '{"n":1}')).toBe(true)
  })

  it('answers 504 UPSTREAM_TIMEOUT past the upstream timeout, naming the route', async () => {
    const r = await errorOf('/slow')
    expect(r.status).toBe(504)
    expect(r.body.error).toBe('UPSTREAM_TIMEOUT')
    expect(r.body.route).toBe('slow-route')
  })

  it('answers 502 when the upstream resets the connection', async () => {
    const r = await errorOf('/reset')
    expect(r.status).toBe(502)
    expect(r.body.error).toBe('UPSTREAM_UNREACHABLE')
    expect(r.body.route).toBe('reset-route')
  })

  it('answers 502 UPSTREAM_BAD_RESPONSE when the upstream answers garbage', async () => {
    const r = await errorOf('/garbage')
    expect(r.status).toBe(502)
    expect(r.body.error).toBe('UPSTREAM_BAD_RESPONSE')
  })

  it('answers 502 UPSTREAM_BAD_RESPONSE for a status line below 100', async () => {
    const r = await errorOf('/bad-status')
    expect(r.status).toBe(502)
    expect(r.body.error).toBe('UPSTREAM_BAD_RESPONSE')
  })

  it('answers 502 UPSTREAM_BAD_RESPONSE for a header value with a control character', async () => {
    const r = await errorOf('/bad-header')
    expect(r.status).toBe(502)
    expect(r.body.error).toBe('UPSTREAM_BAD_RESPONSE')
  })
})
