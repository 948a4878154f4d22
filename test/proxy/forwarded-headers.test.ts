import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

let fixture: ProxyFixture
let legacy: FakeUpstream
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: {
      legacy: 'echo',
      users: { echo: 'users', basePath: '/v2' },
      hopper: (_req, res) => {
        res.setHeader('connection', 'keep-alive, x-private-hop')
        res.setHeader('x-private-hop', 'secret')
        res.setHeader('keep-alive', 'timeout=5')
        res.setHeader('x-kept', 'yes')
        res.end('ok')
      }
    },
    rules: `
serve: legacy
routes:
  - name: users
    match: { path: "/api/users/**" }
    serve: users
    rewrite: { stripPrefix: /api }
  - name: hop
    match: { path: "/hop" }
    serve: hopper
`
  })
  legacy = fixture.upstream('legacy')
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

describe('forwarded headers', () => {
  it('sets x-forwarded-for, -proto and -host', async () => {
    const res = await rawRequest(proxy.port, 'GET', '/x', { host: 'shop.example.com' })
    const seen = JSON.parse(res.body) as { headers: Record<string, string> }
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1')
    expect(seen.headers['x-forwarded-proto']).toBe('http')
    expect(seen.headers['x-forwarded-host']).toBe('shop.example.com')
  })

  it('appends to an x-forwarded-for chain', async () => {
    const res = await rawRequest(proxy.port, 'GET', '/x', { 'x-forwarded-for': '203.0.113.7' })
    const seen = JSON.parse(res.body) as { headers: Record<string, string> }
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1')
  })

  it('drops hop-by-hop request headers, those named in Connection, and a client-sent x-strangler-shadow', async () => {
    const res = await rawRequest(proxy.port, 'GET', '/x', {
      connection: 'close, x-drop-me',
      'x-drop-me': '1',
      'keep-alive': 'timeout=1',
      'proxy-authorization': 'Basic abc',
      upgrade: 'websocket',
      'x-strangler-shadow': '1',
      'x-keep-me': '1'
    })
    const seen = JSON.parse(res.body) as { headers: Record<string, string> }
    expect(seen.headers['x-drop-me']).toBeUndefined()
    expect(seen.headers['keep-alive']).toBeUndefined()
    expect(seen.headers['proxy-authorization']).toBeUndefined()
    expect(seen.headers.upgrade).toBeUndefined()
    expect(seen.headers['x-strangler-shadow']).toBeUndefined()
    expect(seen.headers['x-keep-me']).toBe('1')
  })

  it('forwards a GET that carried a body without the body or its content-length, and sets host to the upstream', async () => {
    const res = await rawRequest(proxy.port, 'GET', '/with-body', { host: 'shop.example' }, 'ignored')
    expect(res.status).toBe(200)
    const seen = JSON.parse(res.body) as { headers: Record<string, string>; body: string }
    expect(seen.headers['content-length']).toBeUndefined()
    expect(seen.body).toBe('')
    expect(seen.headers.host).toBe(new URL(legacy.url).host)
    expect(seen.headers['x-forwarded-host']).toBe('shop.example')
  })

  it('drops hop-by-hop response headers and those the upstream names in Connection', async () => {
    const res = await rawRequest(proxy.port, 'GET', '/hop')
    const head = res.head.toLowerCase()
    expect(head).not.toContain('x-private-hop')
    expect(head).not.toContain('keep-alive: timeout=5')
    expect(head).toContain('x-kept: yes')
  })

  it('applies stripPrefix and the upstream base path, and forwards the query unchanged', async () => {
    const res = await fetch(`${proxy.url}/api/users/42/roles?b=2&a=1&q=%20x`)
    const seen = await res.json() as { upstream: string; url: string }
    expect(seen.upstream).toBe('users')
    expect(seen.url).toBe('/v2/users/42/roles?b=2&a=1&q=%20x')
  })
})
