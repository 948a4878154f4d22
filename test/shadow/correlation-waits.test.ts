import { afterEach, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import type { Handler } from '../helpers/upstream.js'

/**
 * One side of a small API: `POST /login` answers `{ token: "<prefix>-tok" }`, `POST /items` answers
 * `{ id: "<prefix>-item" }`, anything else `{ ok: true }`. The shadow side may answer its login and
 * its create late.
 */
function side (prefix: string, delays: { login?: number; create?: number } = {}): Handler {
  return (req, res) => {
    const answer = (body: unknown): void => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(body))
    }
    if (req.url === '/login') setTimeout(() => answer({ token: `${prefix}-tok` }), delays.login ?? 0)
    else if (req.url === '/items' && req.method === 'POST') setTimeout(() => answer({ id: `${prefix}-item` }), delays.create ?? 0)
    else answer({ ok: true })
  }
}

const routes = (timeout: string): string => `
serve: legacy
shadow: { sample: 1.0, timeout: ${timeout} }
correlate:
  - { name: token, learn: ["$.token"], routes: [login] }
  - { name: item, learn: ["$.id"], routes: [create] }
routes:
  - { name: login, match: { method: POST, path: /login }, serve: legacy, shadow: rewrite, shadowWrites: true }
  - { name: create, match: { method: POST, path: /items }, serve: legacy, shadow: rewrite, shadowWrites: true }
  - { name: read, match: { method: GET, path: "/items/{id}" }, serve: legacy, shadow: rewrite }
  - { name: me, match: { method: GET, path: /me }, serve: legacy, shadow: rewrite }
`

let sp: ProxyFixture | null = null
afterEach(async () => { await sp?.close(); sp = null })

async function metrics (fixture: ProxyFixture): Promise<string> {
  const res = await fetch(fixture.proxy.adminUrl! + '/metrics')
  expect(res.status).toBe(200)
  return await res.text()
}

const count = (text: string, event: string): number => {
  const m = new RegExp(`^strangler_correlation_total\\{event="${event}"\\} (\\d+)$`, 'm').exec(text)
  return m === null ? NaN : Number(m[1])
}

const seenBy = (fixture: ProxyFixture, name: string, url: string): string[] =>
  fixture.upstream(name).seen.filter((s) => s.url === url).map((s) => String(s.headers.authorization))

describe('a mirror carrying a value still being learned waits for it; the client never does', () => {
  it('the mirror waits for the late shadow login and carries the shadow\'s token; the client is answered at once', async () => {
    const DELAY = 600
    sp = await startProxyFixture({ upstreams: { legacy: side('p'), rewrite: side('s', { login: DELAY }) }, rules: routes('5s'), options: { adminPort: 0 } })
    const { url } = sp.proxy
    const login = await fetch(url + '/login', { method: 'POST' })
    expect(await login.json()).toEqual({ token: 'p-tok' })
    expect(sp.proxy.correlation.learning).toBe(1) // the shadow's login answer is still on its way

    // a request that carries nothing being learned is mirrored at once, without waiting
    const other = await fetch(url + '/me')
    await other.text()

    const started = performance.now()
    const me = await fetch(url + '/me', { headers: { authorization: 'Token p-tok' } })
    expect(await me.json()).toEqual({ ok: true })
    const clientMs = performance.now() - started
    expect(clientMs).toBeLessThan(DELAY / 2)
    // answered by the primary while the shadow has not seen this mirror yet
    expect(seenBy(sp, 'legacy', '/me')).toEqual(['undefined', 'Token p-tok'])
    expect(seenBy(sp, 'rewrite', '/me')).toEqual(['undefined'])

    const records = await sp.records()
    expect(seenBy(sp, 'rewrite', '/me')).toEqual(['undefined', 'Token s-tok'])
    expect(records.map((r) => `${r.route} ${r.outcome}`).sort()).toEqual(['login match', 'me match', 'me match'])
    const text = await metrics(sp)
    expect(count(text, 'waits')).toBe(1)
    expect(count(text, 'wait-timeouts')).toBe(0)
    expect(count(text, 'applied')).toBe(1)
  })

  it('a login answered later than shadow.timeout: the mirror goes anyway with the primary\'s token, and the wait is counted', async () => {
    sp = await startProxyFixture({ upstreams: { legacy: side('p'), rewrite: side('s', { login: 1500 }) }, rules: routes('300ms'), options: { adminPort: 0 } })
    const { url } = sp.proxy
    await (await fetch(url + '/login', { method: 'POST' })).text()
    const started = performance.now()
    const me = await fetch(url + '/me', { headers: { authorization: 'Token p-tok' } })
    await me.text()
    expect(performance.now() - started).toBeLessThan(300)

    const records = await sp.records()
    expect(seenBy(sp, 'rewrite', '/me')).toEqual(['Token p-tok'])
    expect(records.map((r) => `${r.route} ${r.outcome}`).sort()).toEqual(['login shadow-error', 'me match'])
    expect(sp.proxy.correlation.size).toBe(0)
    const text = await metrics(sp)
    expect(count(text, 'waits')).toBe(1)
    expect(count(text, 'applied')).toBe(0)
  })

  it('a wait is bounded by shadow.timeout: a pair still being learned after it is given up on, and the timeout counted', async () => {
    // login's shadow answer takes 500 ms; create's mirror waits for it, then takes 500 ms more;
    // the read of the created item (its primary id in the path) can wait 700 ms only
    sp = await startProxyFixture({ upstreams: { legacy: side('p'), rewrite: side('s', { login: 500, create: 500 }) }, rules: routes('700ms'), options: { adminPort: 0 } })
    const { url } = sp.proxy
    const { token } = await (await fetch(url + '/login', { method: 'POST' })).json() as { token: string }
    const { id } = await (await fetch(url + '/items', { method: 'POST', headers: { authorization: `Token ${token}` } })).json() as { id: string }
    expect(id).toBe('p-item')
    const started = performance.now()
    await (await fetch(`${url}/items/${id}`, { headers: { authorization: `Token ${token}` } })).text()
    expect(performance.now() - started).toBeLessThan(300)

    const records = await sp.records()
    const rewrite = sp.upstream('rewrite').seen
    // create waited for the login and got the shadow's token
    expect(rewrite.find((s) => s.url === '/items')?.headers.authorization).toBe('Token s-tok')
    // the read gave up waiting for the create: the primary's id, but the token learned by then
    const read = rewrite.find((s) => s.url.startsWith('/items/'))
    expect(read?.url).toBe('/items/p-item')
    expect(read?.headers.authorization).toBe('Token s-tok')
    expect(records.map((r) => r.route).sort()).toEqual(['create', 'login', 'read'])
    expect(sp.proxy.correlation.entry('p-item')?.shadow).toBe('s-item')

    const text = await metrics(sp)
    expect(count(text, 'waits')).toBe(2)
    expect(count(text, 'wait-timeouts')).toBe(1)
    expect(text).toMatch(/^strangler_correlation_pairs 2$/m)
  })
})
