import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

let fixture: ProxyFixture
let legacy: FakeUpstream
let admin: FakeUpstream
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo', admin: { echo: 'admin-service' } },
    rules: `
serve: legacy
routes:
  - name: public
    match: { path: "/public/**" }
    serve: admin
`
  })
  legacy = fixture.upstream('legacy')
  admin = fixture.upstream('admin')
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

const attacks: Array<[string, string]> = [
  ['dot-dot segment', '/public/../admin/secret'],
  ['dot segment', '/public/./x'],
  ['trailing dot-dot', '/public/..'],
  ['encoded dot-dot', '/public/%2e%2e/admin'],
  ['upper-case encoded dot-dot', '/public/%2E%2E/admin'],
  ['half-encoded dot-dot', '/public/.%2e/admin'],
  ['encoded dot', '/public/%2e/admin'],
  ['encoded slash', '/public%2F..%2Fadmin'],
  ['lower-case encoded slash', '/public%2f..%2fadmin'],
  ['encoded backslash', '/public/..%5Cadmin'],
  ['lower-case encoded backslash', '/public/..%5cadmin'],
  ['raw backslash', '/public\\..\\admin'],
  ['encoded NUL', '/public/file%00.json'],
  ['malformed percent-encoding', '/public/%zz'],
  ['percent-encoding that is not UTF-8', '/public/%ff'],
  // forms some backends turn into a dot segment or a slash after the proxy matched (issue 12)
  ['dot-dot with a parameter (Tomcat, Spring)', '/public/..;/admin/secret'],
  ['dot-dot with a named parameter', '/public/..;jsessionid=1/admin'],
  ['dot with a parameter', '/public/.;/admin'],
  ['encoded dot-dot with a parameter', '/public/%2e%2e;/admin'],
  ['dot-dot with an encoded semicolon', '/public/..%3b/admin'],
  ['double-encoded dot-dot', '/public/%252e%252e/admin'],
  ['double-encoded slash', '/public/..%252fadmin'],
  ['double-encoded backslash', '/public/..%255cadmin'],
  ['double encoding spelled with encoded digits', '/public/%25%32%65%25%32%65/admin'],
  ['two dot leader (NFKC "..")', '/public/%E2%80%A5/admin'],
  ['fullwidth full stops', '/public/%EF%BC%8E%EF%BC%8E/admin'],
  ['one dot leaders', '/public/%E2%80%A4%E2%80%A4/admin'],
  ['fullwidth solidus', '/public/..%EF%BC%8Fadmin'],
  ['fullwidth reverse solidus', '/public/..%EF%BC%BCadmin'],
  ['account-of sign (NFKC "a/c")', '/public/%E2%84%80'],
  ['dot-dot with a fullwidth semicolon', '/public/..%EF%BC%9B/admin']
]

describe('path attacks', () => {
  for (const [what, target] of attacks) {
    it(`answers 400 PATH_REJECTED and forwards nothing: ${what} (${target})`, async () => {
      const before = legacy.seen.length + admin.seen.length
      const res = await rawRequest(proxy.port, 'GET', target)
      expect(res.status).toBe(400)
      if (res.body.length > 0) {
        const body = JSON.parse(res.body) as { error: string }
        expect(body.error).toBe('PATH_REJECTED')
      }
      expect(legacy.seen.length + admin.seen.length).toBe(before)
    })
  }

  it('merges duplicate slashes for matching and forwarding alike', async () => {
    const res = await rawRequest(proxy.port, 'GET', '//public//a')
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body) as { upstream: string; url: string }
    expect(body.upstream).toBe('admin-service')
    expect(body.url).toBe('/public/a')
  })

  it('still forwards matrix parameters, a lone encoded percent and Unicode that does not fold to a dot or slash', async () => {
    for (const target of ['/public/a;v=1/b', '/public/100%25', '/public/report%EF%BC%8Epdf', '/public/wait%E2%80%A6', '/public/caf%C3%A9']) {
      const res = await rawRequest(proxy.port, 'GET', target)
      expect(res.status).toBe(200)
      expect((JSON.parse(res.body) as { url: string }).url).toBe(target)
    }
  })

  it('still forwards dots inside a segment (file names, versions)', async () => {
    const res = await rawRequest(proxy.port, 'GET', '/public/v1.2/report..final.json')
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body) as { url: string }
    expect(body.url).toBe('/public/v1.2/report..final.json')
  })
})
