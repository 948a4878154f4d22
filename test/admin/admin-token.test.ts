import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'
import { runCli, startServe } from '../helpers/cli.js'

const TOKEN = 'adm-7f3c1e9b2d'
let sp: ProxyFixture

const rulesBody = (serve: string): string => `
serve: ${serve}
routes: []
`

beforeAll(async () => {
  sp = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' }, rules: rulesBody('legacy'), options: { adminPort: 0, adminToken: TOKEN } })
})
afterAll(async () => { await sp.close() })

describe('the admin token', () => {
  it('is required for reads when set: 401 in the error shape without it or with a wrong one', async () => {
    const port = Number(new URL(sp.proxy.adminUrl!).port)
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      for (const path of ['/healthz', '/routes', '/metrics']) {
        const res = await rawRequest(port, 'GET', path, authorization === undefined ? {} : { authorization })
        expect(res.status, `${path} with ${authorization ?? 'no authorization'}`).toBe(401)
        expect(res.head.toLowerCase()).toContain('www-authenticate: bearer')
        expect(JSON.parse(res.body)).toMatchObject({ error: 'ADMIN_UNAUTHORIZED', route: null })
        expect(res.body).not.toContain(TOKEN)
      }
    }
    const ok = await rawRequest(port, 'GET', '/routes', { authorization: `Bearer ${TOKEN}` })
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({ default: 'legacy' })
    expect((await rawRequest(port, 'GET', '/healthz', { authorization: `bearer   ${TOKEN}` })).status).toBe(200)
  })

  it('is required for writes: POST /reload without it reloads nothing', async () => {
    const port = Number(new URL(sp.proxy.adminUrl!).port)
    await writeFile(sp.proxy.rulesFile, sp.rules(rulesBody('orders')))
    const refused = await rawRequest(port, 'POST', '/reload', { 'content-type': 'application/json' }, '{}')
    expect(refused.status).toBe(401)
    expect(sp.proxy.live.table.rules.serve).toBe('legacy')
    const done = await rawRequest(port, 'POST', '/reload', { authorization: `Bearer ${TOKEN}`, 'content-length': '0' })
    expect(done.status).toBe(200)
    expect(sp.proxy.live.table.rules.serve).toBe('orders')
  })
})

describe('strangler serve --admin-token / STRANGLER_ADMIN_TOKEN (child process)', () => {
  it('takes the token from the flag or from the environment; an empty flag is bad usage', async () => {
    const rulesFile = await sp.writeRules(rulesBody('legacy'))
    const env = { ...process.env, STRANGLER_ADMIN_TOKEN: undefined }
    const viaFlag = await startServe(['--rules', rulesFile, '--admin-port', '0', '--admin-token', TOKEN, '--store', `${sp.dir}/diffs`], { env })
    const viaEnv = await startServe(['--rules', rulesFile, '--admin-port', '0', '--store', `${sp.dir}/diffs`], { env: { ...env, STRANGLER_ADMIN_TOKEN: TOKEN } })
    const open = await startServe(['--rules', rulesFile, '--admin-port', '0', '--store', `${sp.dir}/diffs`], { env: { ...env, STRANGLER_ADMIN_TOKEN: '' } })
    try {
      for (const p of [viaFlag, viaEnv]) {
        expect((await rawRequest(p.adminPort!, 'GET', '/healthz')).status).toBe(401)
        expect((await rawRequest(p.adminPort!, 'GET', '/healthz', { authorization: `Bearer ${TOKEN}` })).status).toBe(200)
      }
      // an empty variable is no token
      expect((await rawRequest(open.adminPort!, 'GET', '/healthz')).status).toBe(200)
    } finally {
      for (const p of [viaFlag, viaEnv, open]) p.child.kill('SIGTERM')
      expect(await Promise.all([viaFlag.exited, viaEnv.exited, open.exited])).toEqual([0, 0, 0])
    }
    const empty = await runCli(['serve', '--rules', rulesFile, '--port', '0', '--admin-port', '0', '--admin-token', ''], { env })
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('--admin-token is empty')
  })
})
