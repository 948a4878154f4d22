import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let legacy: FakeUpstream
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: {
      legacy: 'echo',
      broken: (_req, res) => {
        res.statusCode = 503
        res.setHeader('content-type', 'application/json')
        res.setHeader('x-only-on-failure', 'yes')
        res.end('{"error":"down for maintenance"}')
      },
      down: 'dead',
      slow: { handler: (_req, res) => { setTimeout(() => res.end('late'), 3000).unref() }, timeout: '200ms' }
    },
    rules: `
serve: legacy
routes:
  - name: on-5xx
    match: { path: "/five/**" }
    serve: broken
    fallback: legacy
  - name: on-connect-error
    match: { path: "/down/**" }
    serve: down
    fallback: legacy
  - name: on-timeout
    match: { path: "/slow/**" }
    serve: slow
    fallback: legacy
  - name: writes-opt-in
    match: { path: "/items/**" }
    serve: broken
    fallback: { upstream: legacy, methods: [GET, PUT, DELETE] }
  - name: no-fallback
    match: { path: "/plain/**" }
    serve: broken
`
  })
  legacy = fixture.upstream('legacy')
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

async function metric (name: string): Promise<string[]> {
  return (await proxy.metrics.text()).split('\n').filter((l) => l.startsWith(name))
}

describe('fallback', () => {
  it('retries a GET on the fallback when the serving upstream answers 5xx, without its headers', async () => {
    const res = await fetch(`${proxy.url}/five/a?q=1`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-upstream')).toBe('legacy')
    expect(res.headers.get('x-only-on-failure')).toBeNull()
    const body = await res.json() as { url: string }
    expect(body.url).toBe('/five/a?q=1')
  })

  it('retries a GET on a connect error', async () => {
    const res = await fetch(`${proxy.url}/down/a`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-upstream')).toBe('legacy')
  })

  it('retries a GET on a timeout', async () => {
    const res = await fetch(`${proxy.url}/slow/a`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-upstream')).toBe('legacy')
  })

  it('never retries a POST: the client gets the serving upstream\'s answer', async () => {
    const before = legacy.seen.length
    const res = await fetch(`${proxy.url}/five/a`, { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(503)
    expect(await res.text()).toBe('{"error":"down for maintenance"}')
    expect(legacy.seen.length).toBe(before)
  })

  it('does not retry a PUT unless the route opts in, and then replays the same body', async () => {
    const before = legacy.seen.length
    const plain = await fetch(`${proxy.url}/five/a`, { method: 'PUT', body: 'x' })
    expect(plain.status).toBe(503)
    expect(legacy.seen.length).toBe(before)

    const res = await fetch(`${proxy.url}/items/9`, { method: 'PUT', body: '{"name":"café"}', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(200)
    const echoed = await res.json() as { body: string; method: string; headers: Record<string, string> }
    expect(echoed.method).toBe('PUT')
    expect(echoed.body).toBe('{"name":"café"}')
    expect(echoed.headers['content-type']).toBe('application/json')
  })

  it('answers the serving upstream\'s 5xx when the route has no fallback', async () => {
    const res = await fetch(`${proxy.url}/plain/a`)
    expect(res.status).toBe(503)
    await res.arrayBuffer()
  })

  it('counts fallbacks in metrics by route, from, to and reason', async () => {
    const lines = await metric('strangler_fallbacks_total{')
    expect(lines.some((l) => l.includes('route="on-5xx"') && l.includes('from="broken"') && l.includes('to="legacy"') && l.includes('reason="status-503"'))).toBe(true)
    expect(lines.some((l) => l.includes('route="on-connect-error"') && l.includes('reason="error"'))).toBe(true)
    expect(lines.some((l) => l.includes('route="on-timeout"') && l.includes('reason="timeout"'))).toBe(true)
  })
})
