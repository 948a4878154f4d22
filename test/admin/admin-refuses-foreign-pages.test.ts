import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

let sp: ProxyFixture
let port: number

const rulesBody = (serve: string): string => `
serve: ${serve}
routes:
  - { name: orders, match: { path: /api/orders }, serve: ${serve} }
`

beforeAll(async () => {
  sp = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' }, rules: rulesBody('legacy'), options: { adminPort: 0 } })
  port = Number(new URL(sp.proxy.adminUrl!).port)
})
afterAll(async () => { await sp.close() })

function errorBody (text: string): { error: string; message: string; route: null } {
  const body = JSON.parse(text) as { error: string; message: string; route: null }
  expect(Object.keys(body).sort()).toEqual(['error', 'message', 'route'])
  expect(body.route).toBeNull()
  return body
}

describe('the admin listener trusts no foreign page', () => {
  it('refuses a cross-site text/plain POST /reload with a foreign Origin, and reloads nothing', async () => {
    await writeFile(sp.proxy.rulesFile, sp.rules(rulesBody('orders')))
    const res = await rawRequest(port, 'POST', '/reload', { host: `127.0.0.1:${port}`, origin: 'http://evil.example', 'content-type': 'text/plain' }, '{}')
    expect(res.status).toBe(403)
    expect(errorBody(res.body).error).toBe('ADMIN_ORIGIN_REFUSED')
    expect(sp.proxy.reloader.last).toBeNull()
    expect(sp.proxy.live.table.rules.serve).toBe('legacy')
    expect(await sp.proxy.metrics.text()).toMatch(/strangler_reloads_total\{result="ok"\} 0/)
  })

  it('refuses a Host that is not its own (DNS rebinding) on reads and writes', async () => {
    for (const [method, path] of [['GET', '/routes'], ['GET', '/metrics'], ['GET', '/healthz'], ['POST', '/reload']]) {
      const res = await rawRequest(port, method!, path!, { host: `rebound.evil.example:${port}` })
      expect(res.status, `${method} ${path}`).toBe(403)
      const body = errorBody(res.body)
      expect(body.error).toBe('ADMIN_HOST_REFUSED')
      expect(body.message).toContain('rebound.evil.example')
      expect(res.body).not.toContain('strangler_requests_total')
    }
    // its own names, but another port: not this listener either
    expect((await rawRequest(port, 'GET', '/routes', { host: `127.0.0.1:${port + 1}` })).status).toBe(403)
    expect((await rawRequest(port, 'GET', '/routes', { host: `localhost.evil.example:${port}` })).status).toBe(403)
    expect((await rawRequest(port, 'GET', '/routes', { host: `[::2]:${port}` })).status).toBe(403)
  })

  it('answers its own Host forms: localhost, 127.0.0.1 and [::1], with its port or none', async () => {
    for (const host of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost', '127.0.0.1', '[::1]']) {
      const res = await rawRequest(port, 'GET', '/routes', { host })
      expect(res.status, host).toBe(200)
      expect(JSON.parse(res.body)).toMatchObject({ default: 'legacy' })
    }
  })

  it('answers a request from its own origin, and refuses other origins even for reads', async () => {
    const own = await rawRequest(port, 'GET', '/healthz', { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` })
    expect(own.status).toBe(200)
    for (const origin of ['null', `http://localhost:${port}`, `https://127.0.0.1:${port}`, 'http://127.0.0.1']) {
      const res = await rawRequest(port, 'GET', '/metrics', { host: `127.0.0.1:${port}`, origin })
      expect(res.status, origin).toBe(403)
      expect(errorBody(res.body).error).toBe('ADMIN_ORIGIN_REFUSED')
    }
  })

  it('takes a write with no body or a JSON one, and refuses any other content-type (415)', async () => {
    const form = await rawRequest(port, 'POST', '/reload', { host: `127.0.0.1:${port}`, 'content-type': 'text/plain;charset=UTF-8' }, 'x')
    expect(form.status).toBe(415)
    expect(errorBody(form.body).error).toBe('ADMIN_CONTENT_TYPE')
    const emptyForm = await rawRequest(port, 'POST', '/reload', { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' })
    expect(emptyForm.status).toBe(415)
    const untyped = await rawRequest(port, 'POST', '/reload', { host: `127.0.0.1:${port}` }, 'x=1')
    expect(untyped.status).toBe(415)
    expect(sp.proxy.reloader.last).toBeNull()

    await writeFile(sp.proxy.rulesFile, sp.rules(rulesBody('orders')))
    const json = await rawRequest(port, 'POST', '/reload', { host: `127.0.0.1:${port}`, 'content-type': 'application/json' }, '{}')
    expect(json.status).toBe(200)
    expect(JSON.parse(json.body)).toMatchObject({ ok: true, routes: 1 })
    const emptyJson = await rawRequest(port, 'POST', '/reload', { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'content-length': '0' })
    expect(emptyJson.status).toBe(200)
    await writeFile(sp.proxy.rulesFile, sp.rules(rulesBody('legacy')))
    const bare = await rawRequest(port, 'POST', '/reload', { host: `127.0.0.1:${port}`, 'content-length': '0' })
    expect(bare.status).toBe(200)
    expect(JSON.parse(bare.body)).toMatchObject({ ok: true })
    expect(sp.proxy.live.table.rules.serve).toBe('legacy')
  })

  it('answers unknown endpoints with 404 in the proxy\'s error shape', async () => {
    for (const [method, path] of [['GET', '/nope'], ['GET', '/reload'], ['DELETE', '/routes']]) {
      const res = await rawRequest(port, method!, path!, { host: `127.0.0.1:${port}` })
      expect(res.status, `${method} ${path}`).toBe(404)
      const body = errorBody(res.body)
      expect(body.error).toBe('ADMIN_NOT_FOUND')
      expect(body.message).toContain(path)
    }
  })
})

describe('an admin listener bound to every address (0.0.0.0)', () => {
  it('answers any IP address of the machine as its Host, and still no DNS name but localhost', async () => {
    const wide = await sp.start(rulesBody('legacy'), { adminPort: 0, adminHost: '0.0.0.0' })
    const p = Number(new URL(wide.adminUrl!).port)
    for (const host of [`10.1.2.3:${p}`, `0.0.0.0:${p}`, `[fe80::1]:${p}`, `localhost:${p}`]) {
      expect((await rawRequest(p, 'GET', '/healthz', { host })).status, host).toBe(200)
    }
    expect((await rawRequest(p, 'GET', '/healthz', { host: `proxy.example.com:${p}` })).status).toBe(403)
  })
})
