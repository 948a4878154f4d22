import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

// A route with `allowEncodedPaths: true` is forwarded double-encoded and
// Unicode-lookalike paths (its backend is known not to decode them again),
// exactly as received; every other route, and the default, refuses them.
// Dot segments, `..;` and single-encoded slashes stay refused everywhere.
let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo', files: 'echo' },
    rules: `
serve: legacy
routes:
  - { name: files, match: { path: "/files/**" }, serve: files, allowEncodedPaths: true }
  - { name: other, match: { path: "/other/**" }, serve: legacy }
`
  })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

describe('allowEncodedPaths', () => {
  it('forwards double-encoded and lookalike paths to the route that allows them, unchanged', async () => {
    for (const target of ['/files/a%252Fb', '/files/%EF%BC%8E%EF%BC%8E/x', '/files/%E2%80%A5']) {
      const res = await rawRequest(proxy.port, 'GET', target)
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body)).toMatchObject({ upstream: 'files', url: target })
    }
  })

  it('refuses them on other routes and the default, naming the route and the key', async () => {
    const other = await rawRequest(proxy.port, 'GET', '/other/a%252Fb')
    expect(other.status).toBe(400)
    expect(JSON.parse(other.body)).toMatchObject({ error: 'PATH_REJECTED', route: 'other' })
    expect((JSON.parse(other.body) as { message: string }).message).toContain('allowEncodedPaths')
    const fallthrough = await rawRequest(proxy.port, 'GET', '/x/%E2%80%A5')
    expect(fallthrough.status).toBe(400)
    expect(JSON.parse(fallthrough.body)).toMatchObject({ error: 'PATH_REJECTED', route: null })
  })

  it('still refuses dot segments, ..; and encoded slashes on that route', async () => {
    const files = fixture.upstream('files')
    const before = files.seen.length
    for (const target of ['/files/../admin', '/files/..;/admin', '/files/a%2Fb', '/files/%2e%2e/admin']) {
      const res = await rawRequest(proxy.port, 'GET', target)
      expect(res.status).toBe(400)
    }
    expect(files.seen.length).toBe(before)
  })
})
