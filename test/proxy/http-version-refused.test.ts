import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawExchange } from '../helpers/raw-http.js'

// Regression (issue 12): an HTTP/2.0 or version-less (HTTP/0.9) request line
// was forwarded as if it were HTTP/1.x. Such requests, and any other version
// Node's parser refuses, get 505 HTTP_VERSION_UNSUPPORTED with the proxy's
// JSON; a request line that is not HTTP at all gets 400 REQUEST_MALFORMED.
let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo' }, rules: 'serve: legacy' })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

const cases: Array<[string, string, number, string]> = [
  ['an HTTP/2.0 request line', 'GET /a HTTP/2.0\r\nhost: x\r\n\r\n', 505, 'HTTP_VERSION_UNSUPPORTED'],
  ['a version-less request line (HTTP/0.9)', 'GET /a\r\n\r\n', 505, 'HTTP_VERSION_UNSUPPORTED'],
  ['an explicit HTTP/0.9', 'GET /a HTTP/0.9\r\n\r\n', 505, 'HTTP_VERSION_UNSUPPORTED'],
  ['an HTTP/3.0 request line', 'GET /a HTTP/3.0\r\nhost: x\r\n\r\n', 505, 'HTTP_VERSION_UNSUPPORTED'],
  ['the HTTP/2 connection preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 505, 'HTTP_VERSION_UNSUPPORTED'],
  ['a method Node does not know', 'FOO /a HTTP/1.1\r\nhost: x\r\n\r\n', 400, 'REQUEST_MALFORMED'],
  ['a header line without a colon', 'GET /a HTTP/1.1\r\nhost: x\r\nnot a header\r\n\r\n', 400, 'REQUEST_MALFORMED']
]

describe('request lines strangler does not forward', () => {
  for (const [what, text, status, code] of cases) {
    it(`answers ${status} ${code} and forwards nothing: ${what}`, async () => {
      const legacy = fixture.upstream('legacy')
      const before = legacy.seen.length
      const res = await rawExchange(proxy.port, text)
      expect(res.status).toBe(status)
      expect(res.head.toLowerCase()).toContain('content-type: application/json')
      expect(JSON.parse(res.body)).toMatchObject({ error: code, route: null })
      expect(legacy.seen.length).toBe(before)
    })
  }
})
