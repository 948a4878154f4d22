import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

const SECRET = 'sk_live_7Hq2ZxVv9pWm4TtR'
let fixture: ProxyFixture
let proxy: TestProxy
let storeDir: string

beforeAll(async () => {
  fixture = await startProxyFixture({
    // both sides echo secrets back in differing ways so that differences carry them
    upstreams: {
      legacy: (req, res) => {
        res.setHeader('content-type', 'application/json')
        res.setHeader('x-api-key', SECRET)
        res.setHeader('set-cookie', `session=${SECRET}`)
        res.end(JSON.stringify({ user: { name: 'ann', password: SECRET, token: `${SECRET}-a` }, auth: req.headers.authorization, n: 1 }))
      },
      orders: (req, res) => {
        res.setHeader('content-type', 'application/json')
        res.setHeader('x-api-key', `${SECRET}-new`)
        res.setHeader('set-cookie', `session=${SECRET}-new`)
        res.end(JSON.stringify({ user: { name: 'ann', password: `${SECRET}!`, token: `${SECRET}-b` }, auth: `${req.headers.authorization ?? ''}!`, n: 2, extra: { secret: { token: SECRET } } }))
      }
    },
    rules: `
serve: legacy
compare:
  headers: [x-api-key, set-cookie, content-type]
redact:
  headers: [x-api-key]
  paths: ["$..password", "$..token"]
routes:
  - name: account
    match: { path: "/account" }
    serve: legacy
    shadow: orders
    redact:
      paths: ["$.auth"]
`,
    options: { store: 'disk' }
  })
  proxy = fixture.proxy
  storeDir = proxy.storeDir
})
afterAll(async () => { await fixture.close() })

describe('redaction before storing', () => {
  it('keeps a secret token out of every store file, while still comparing what it masks', async () => {
    const res = await fetch(`${proxy.url}/account?api_key=${SECRET}&page=1`, {
      headers: { authorization: `Bearer ${SECRET}`, cookie: `session=${SECRET}`, 'x-api-key': SECRET }
    })
    const clientBody = await res.text()
    // the client still gets the real response
    expect(clientBody).toContain(SECRET)
    await proxy.close()

    const files = (await readdir(storeDir)).filter((f) => f.endsWith('.ndjson'))
    expect(files.length).toBeGreaterThan(0)
    let all = ''
    for (const f of files) all += await readFile(join(storeDir, f), 'utf8')
    const record = JSON.parse(all.trim().split('\n')[0]!) as { outcome: string; url: string; differences: Array<{ path: string; primary?: unknown; shadow?: unknown }> }
    // the masked values did differ, so the pair is a mismatch...
    expect(record.outcome).toBe('mismatch')
    const paths = record.differences.map((d) => d.path)
    expect(paths).toContain('$.user.password')
    expect(paths).toContain("$headers['x-api-key']")
    expect(paths).toContain("$headers['set-cookie']")
    // ...but the secret's bytes appear nowhere in the store
    expect(all).not.toContain(SECRET)
    expect(all).not.toContain(SECRET.slice(3, 15))
    expect(all).toContain('[redacted]')
    expect(record.url).toBe('/account?api_key=[redacted]&page=1')
  })
})
