import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawExchange } from '../helpers/raw-http.js'

// Regression (issue 12): TRACE got fastify's 404 and CONNECT a closed socket.
// Both, and any other method strangler does not forward, are answered
// 405 METHOD_NOT_ALLOWED with the proxy's JSON and an Allow header; a
// target that is not a path gets 400 PATH_REJECTED. Nothing is forwarded.
let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo' }, rules: 'serve: legacy' })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

const cases: Array<[string, string, number, string]> = [
  ['TRACE', 'TRACE /a HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n', 405, 'METHOD_NOT_ALLOWED'],
  ['CONNECT', 'CONNECT internal.example:443 HTTP/1.1\r\nhost: internal.example:443\r\n\r\n', 405, 'METHOD_NOT_ALLOWED'],
  ['PROPFIND', 'PROPFIND /a HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n', 405, 'METHOD_NOT_ALLOWED'],
  ['an absolute-form target', 'GET http://internal.example/a HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n', 400, 'PATH_REJECTED'],
  ['the asterisk target', 'OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n', 400, 'PATH_REJECTED']
]

describe('methods and targets strangler does not forward', () => {
  for (const [what, text, status, code] of cases) {
    it(`answers ${status} ${code} and forwards nothing: ${what}`, async () => {
      const legacy = fixture.upstream('legacy')
      const before = legacy.seen.length
      const res = await rawExchange(proxy.port, text)
      expect(res.status).toBe(status)
      expect(JSON.parse(res.body)).toMatchObject({ error: code, route: null })
      if (status === 405) expect(res.head.toLowerCase()).toContain('allow: get, head, post, put, delete, options, patch')
      expect(legacy.seen.length).toBe(before)
    })
  }
})
