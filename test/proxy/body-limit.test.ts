import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import http from 'node:http'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let legacy: FakeUpstream
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo' },
    rules: `
serve: legacy
limits: { requestBody: 1kb }
`
  })
  legacy = fixture.upstream('legacy')
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

describe('request body limit', () => {
  it('answers 413 BODY_TOO_LARGE for a declared length over the limit and forwards nothing', async () => {
    const before = legacy.seen.length
    const res = await fetch(`${proxy.url}/upload`, { method: 'POST', body: 'x'.repeat(2048), headers: { 'content-type': 'text/plain' } })
    expect(res.status).toBe(413)
    const body = await res.json() as { error: string }
    expect(body.error).toBe('BODY_TOO_LARGE')
    expect(legacy.seen.length).toBe(before)
  })

  it('answers 413 for a chunked body that grows past the limit', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${proxy.url}/upload`, { method: 'POST', headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } })
      req.on('response', (res) => { res.resume(); resolve(res.statusCode!) })
      req.on('error', reject)
      for (let i = 0; i < 8; i++) req.write('y'.repeat(256))
      req.end()
    })
    expect(status).toBe(413)
  })

  it('forwards a body under the limit', async () => {
    const res = await fetch(`${proxy.url}/upload`, { method: 'POST', body: 'small', headers: { 'content-type': 'text/plain' } })
    expect(res.status).toBe(200)
    expect((await res.json() as { body: string }).body).toBe('small')
  })
})
