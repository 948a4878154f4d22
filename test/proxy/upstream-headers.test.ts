import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream, Handler } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

/** An upstream that answers with the raw header list it received (every copy, in order). */
function rawEcho (name: string, status = 200): Handler {
  return (req, res) => {
    res.statusCode = status
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ upstream: name, raw: req.rawHeaders }))
  }
}

type Pairs = Array<[string, string]>
const pairsOf = (raw: string[]): Pairs => raw.flatMap((v, i) => i % 2 === 0 ? [[v.toLowerCase(), raw[i + 1]!] as [string, string]] : [])
const named = (pairs: Pairs, name: string): string[] => pairs.filter(([n]) => n === name).map(([, v]) => v)

async function send (path: string): Promise<{ status: number; upstream: string; pairs: Pairs }> {
  // the client sends two copies of authorization, cookie and x-debug, in different cases
  const res = await rawRequest(proxy.port, 'GET', path, {
    Authorization: 'Basic Y2xpZW50',
    authorization: 'Basic b3RoZXI=',
    Cookie: 'legacy_session=abc',
    cookie: 'theme=dark',
    'X-Debug': '1',
    'x-debug': '2',
    'x-request-id': 'req-7'
  })
  const body = JSON.parse(res.body) as { upstream: string; raw: string[] }
  return { status: res.status, upstream: body.upstream, pairs: pairsOf(body.raw) }
}

let fixture: ProxyFixture
let orders: FakeUpstream
let broken: FakeUpstream
let proxy: TestProxy

beforeAll(async () => {
  process.env['TEST_UH_ORDERS_TOKEN'] = 'orders-token-1'
  fixture = await startProxyFixture({
    upstreams: {
      legacy: { handler: rawEcho('legacy'), headers: '{ set: { x-legacy-client: strangler } }' },
      orders: {
        handler: rawEcho('orders'),
        headers: `{ set: { Authorization: "Bearer \${TEST_UH_ORDERS_TOKEN}", x-client: "strangler $\${not-a-var}" }, remove: [cookie, X-DEBUG] }`
      },
      broken: { handler: rawEcho('broken', 503), headers: '{ set: { x-broken-only: "yes" }, remove: [x-request-id] }' },
      plain: rawEcho('plain')
    },
    rules: `
serve: legacy
routes:
  - { name: to-orders, match: { path: "/orders/**" }, serve: orders }
  - { name: falls-to-orders, match: { path: "/fb-orders/**" }, serve: broken, fallback: orders }
  - { name: falls-to-plain, match: { path: "/fb-plain/**" }, serve: broken, fallback: plain }
  - { name: pass-through, match: { path: "/plain/**" }, serve: plain }
`
  })
  orders = fixture.upstream('orders')
  broken = fixture.upstream('broken')
  proxy = fixture.proxy
})
afterAll(async () => {
  await fixture.close()
  delete process.env['TEST_UH_ORDERS_TOKEN']
})

describe('upstreams.NAME.headers on served requests', () => {
  it('set replaces every copy the client sent, with ${NAME} from the environment; remove drops every copy', async () => {
    const r = await send('/orders/1')
    expect(r.upstream).toBe('orders')
    expect(named(r.pairs, 'authorization')).toEqual(['Bearer orders-token-1'])
    expect(named(r.pairs, 'x-client')).toEqual(['strangler ${not-a-var}'])
    expect(named(r.pairs, 'cookie')).toEqual([])
    expect(named(r.pairs, 'x-debug')).toEqual([])
    expect(named(r.pairs, 'x-request-id')).toEqual(['req-7'])
    expect(named(r.pairs, 'host')).toEqual([`127.0.0.1:${orders.port}`])
    expect(named(r.pairs, 'x-forwarded-for')).toEqual(['127.0.0.1'])
  })

  it('the default upstream gets its own edit and keeps what it does not name', async () => {
    const r = await send('/anything')
    expect(r.upstream).toBe('legacy')
    expect(named(r.pairs, 'x-legacy-client')).toEqual(['strangler'])
    expect(named(r.pairs, 'cookie')).toEqual(['legacy_session=abc', 'theme=dark'])
    expect(named(r.pairs, 'authorization')).toEqual(['Basic Y2xpZW50', 'Basic b3RoZXI='])
  })

  it('a fallback gets the headers of the upstream it falls back to, not those of the first one', async () => {
    const r = await send('/fb-orders/1')
    expect([r.status, r.upstream]).toEqual([200, 'orders'])
    expect(named(r.pairs, 'authorization')).toEqual(['Bearer orders-token-1'])
    expect(named(r.pairs, 'cookie')).toEqual([])
    expect(named(r.pairs, 'x-broken-only')).toEqual([])
    expect(named(r.pairs, 'x-request-id')).toEqual(['req-7'])
    // the first try got broken's own edit
    const tried = broken.seen.at(-1)!
    expect(tried.headers['x-broken-only']).toBe('yes')
    expect(tried.headers['x-request-id']).toBeUndefined()
    // (Node keeps the first of repeated authorization headers)
    expect(tried.headers['authorization']).toBe('Basic Y2xpZW50')
  })

  it('a fallback to an upstream without headers gets the client\'s headers as they were', async () => {
    const fell = await send('/fb-plain/1')
    const direct = await send('/plain/1')
    expect([fell.status, fell.upstream]).toEqual([200, 'plain'])
    expect(fell.pairs).toEqual(direct.pairs)
  })

  it('an upstream without headers is a pass-through: the client\'s headers in order, nothing added', async () => {
    const r = await send('/plain/1')
    // (connection: keep-alive is undici's own)
    expect(r.pairs.map(([n]) => n).filter(n => n !== 'connection')).toEqual([
      'host', 'authorization', 'authorization', 'cookie', 'cookie', 'x-debug', 'x-debug', 'x-request-id',
      'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'
    ])
    expect(named(r.pairs, 'x-debug')).toEqual(['1', '2'])
    expect(named(r.pairs, 'x-legacy-client')).toEqual([])
  })
})
