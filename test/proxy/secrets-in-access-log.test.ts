import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

// regression (issue 12): a request the proxy answered itself (400
// PATH_REJECTED, 413) was logged with its raw url, secrets in the query included
const SECRET = 'acclog-9d1f7e3b5a2c4e6f8a0b'
const lines: string[] = []
let fixture: ProxyFixture
let port: number

beforeAll(async () => {
  const dest = new Writable({ write (chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo' },
    rules: `
serve: legacy
limits: { requestBody: 16 }
routes:
  - name: tenants
    match: { path: "/tenants/**" }
    serve: legacy
    redact: { query: [tenant_pin] }
`,
    options: { logger: pino({ level: 'info' }, dest) }
  })
  port = Number(new URL(fixture.proxy.url).port)
})
afterAll(async () => { await fixture.close() })

/** The access line of the request whose url contains `marker`, once written. */
async function accessLine (marker: string): Promise<{ url: string; status: number }> {
  for (let i = 0; i < 100; i++) {
    const line = lines.join('').split('\n').find((l) => l.includes('"msg":"request"') && l.includes(marker))
    if (line !== undefined) return JSON.parse(line) as { url: string; status: number }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`no access line for ${marker}:\n${lines.join('')}`)
}

describe('secrets in the access log of answers the proxy gives itself', () => {
  it('a rejected path (400 PATH_REJECTED) is logged with its query secrets redacted', async () => {
    const res = await rawRequest(port, 'GET', `/a/%2e%2e/b?m=rejected&token=${SECRET};pw=${SECRET}`)
    expect(res.status).toBe(400)
    expect(res.body).toContain('PATH_REJECTED')
    const line = await accessLine('m=rejected')
    expect(line.status).toBe(400)
    expect(line.url).toBe('/a/%2e%2e/b?m=rejected&token=[redacted];pw=[redacted]')
  })

  it('a body over limits.requestBody (413) is logged with its query secrets redacted', async () => {
    const res = await rawRequest(port, 'POST', `/upload?m=too-large&access_token=${SECRET}`, { 'content-type': 'text/plain' }, 'x'.repeat(64))
    expect(res.status).toBe(413)
    const line = await accessLine('m=too-large')
    expect(line.status).toBe(413)
    expect(line.url).toBe('/upload?m=too-large&access_token=[redacted]')
  })

  it('a name only one route lists under redact.query is redacted too, before any route is settled', async () => {
    const res = await rawRequest(port, 'GET', `/tenants/%2e%2e/admin?m=route-name&tenant_pin=${SECRET}`)
    expect(res.status).toBe(400)
    const line = await accessLine('m=route-name')
    expect(line.url).toBe('/tenants/%2e%2e/admin?m=route-name&tenant_pin=[redacted]')
  })

  it('a JWT in the path of a rejected request is masked', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWFjY2xvZw'
    const res = await rawRequest(port, 'GET', `/verify/${jwt}/%2e%2e/x?m=jwt-path`)
    expect(res.status).toBe(400)
    const line = await accessLine('m=jwt-path')
    expect(line.url).toBe('/verify/[redacted]/%2e%2e/x?m=jwt-path')
  })

  it('the secrets appear in no log line', () => {
    expect(lines.join('')).not.toContain(SECRET)
    expect(lines.join('')).not.toContain('c2lnbmF0dXJlLWFjY2xvZw')
  })
})
