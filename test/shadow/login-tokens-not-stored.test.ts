import { afterAll, beforeAll, expect, it } from 'vitest'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Handler } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

// regression (issue 12): the JWTs a login endpoint returns were stored in
// clear in the differences of its records
const jwt = (side: string): string => `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbm4iLCJzaWRlIjoi${side}In0.LoginSig-${side}-Qm9x`

const login = (side: string): Handler => (_req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ accessToken: jwt(side), refresh_token: `opaque-${side}-r`, user: 'ann', page: { token: `cursor-${side}` } }))
}

let fixture: ProxyFixture

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: login('legacy'), auth: login('auth') },
    rules: `
serve: legacy
routes:
  - name: login
    match: { method: POST, path: /login }
    serve: legacy
    shadow: auth
    shadowWrites: true
    redact: { keep: ["$.page.token"] }
`,
    options: { store: 'disk' }
  })
})
afterAll(async () => { await fixture.close() })

it('stores no login token, yet counts the differing tokens and keeps a path opted out with redact.keep', async () => {
  const proxy = fixture.proxy
  const res = await fetch(`${proxy.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"ann","password":"pw-1"}' })
  expect(await res.json()).toMatchObject({ accessToken: jwt('legacy') })
  await proxy.close()

  const files = (await readdir(proxy.storeDir)).filter(f => f.endsWith('.ndjson'))
  const text = (await Promise.all(files.map(async f => await readFile(join(proxy.storeDir, f), 'utf8')))).join('')
  const record = JSON.parse(text.trim()) as { outcome: string; differences: Array<{ path: string; primary: unknown; shadow: unknown }> }
  expect(record.outcome).toBe('mismatch')
  expect(record.differences).toEqual([
    { kind: 'changed', path: '$.accessToken', primary: '[redacted]', shadow: '[redacted]' },
    { kind: 'changed', path: '$.refresh_token', primary: '[redacted]', shadow: '[redacted]' },
    { kind: 'changed', path: '$.page.token', primary: 'cursor-legacy', shadow: 'cursor-auth' }
  ])
  expect(text).not.toContain('LoginSig')
  expect(text).not.toContain('opaque-')
})
