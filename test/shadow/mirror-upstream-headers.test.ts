import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream, Handler } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

const SECRET = 'mirror-key-5d41402abc4b2a76'

type Pairs = Array<[string, string]>

interface Seen { readonly path: string; readonly pairs: Pairs }

/** Records the raw headers of each request; answers the same body, with the x-api-key it got echoed back as a header. */
function recordingUpstream (seen: Seen[]): Handler {
  return (req, res) => {
    const raw = req.rawHeaders
    seen.push({ path: req.url!, pairs: raw.flatMap((v, i) => i % 2 === 0 ? [[v.toLowerCase(), raw[i + 1]!] as [string, string]] : []) })
    const key = req.headers['x-api-key']
    if (typeof key === 'string') res.setHeader('x-api-key', key)
    res.setHeader('content-type', 'application/json')
    res.end('{"ok":true}')
  }
}

const named = (s: Seen | undefined, name: string): string[] => (s?.pairs ?? []).filter(([n]) => n === name).map(([, v]) => v)
const isMirror = (s: Seen): boolean => named(s, 'x-strangler-shadow').length > 0

const legacySeen: Seen[] = []
const ordersSeen: Seen[] = []
let orders: FakeUpstream
let sp: ProxyFixture

beforeAll(async () => {
  process.env['TEST_MUH_ORDERS_KEY'] = SECRET
  sp = await startProxyFixture({
    upstreams: {
      legacy: { handler: recordingUpstream(legacySeen), headers: '{ set: { x-legacy-client: strangler } }' },
      orders: { handler: recordingUpstream(ordersSeen), headers: `{ set: { x-api-key: "\${TEST_MUH_ORDERS_KEY}" }, remove: [cookie] }` }
    },
    rules: `
serve: legacy
compare: { headers: [x-api-key] }
routes:
  - { name: mirrored-to-orders, match: { path: "/a/**" }, serve: legacy, shadow: orders }
  - { name: mirrored-to-legacy, match: { path: "/b/**" }, serve: orders, shadow: legacy }
`
  })
  orders = sp.upstream('orders')
})
afterAll(async () => {
  await sp.close()
  delete process.env['TEST_MUH_ORDERS_KEY']
})

const send = async (path: string): Promise<void> => {
  const res = await rawRequest(sp.proxy.port, 'GET', path, { Cookie: 'legacy_session=abc', cookie: 'theme=dark', 'X-Api-Key': 'client-sent' })
  expect(res.status).toBe(200)
  await sp.records()
}

describe('upstreams.NAME.headers on mirrored requests', () => {
  it('the mirror to an upstream gets that upstream\'s headers; the primary keeps its own', async () => {
    await send('/a/1')
    const primary = legacySeen.find(s => s.path === '/a/1')
    const mirror = ordersSeen.find(s => s.path === '/a/1')
    expect(primary && isMirror(primary)).toBe(false)
    expect(named(primary, 'cookie')).toEqual(['legacy_session=abc', 'theme=dark'])
    expect(named(primary, 'x-api-key')).toEqual(['client-sent'])
    expect(named(primary, 'x-legacy-client')).toEqual(['strangler'])
    expect(mirror && isMirror(mirror)).toBe(true)
    expect(named(mirror, 'x-api-key')).toEqual([SECRET])
    expect(named(mirror, 'cookie')).toEqual([])
    expect(named(mirror, 'x-legacy-client')).toEqual([])
    expect(named(mirror, 'host')).toEqual([`127.0.0.1:${orders.port}`])
  })

  it('a mirror never carries the primary upstream\'s headers: it is built from the client\'s', async () => {
    await send('/b/1')
    const primary = ordersSeen.find(s => s.path === '/b/1')
    const mirror = legacySeen.find(s => s.path === '/b/1')
    expect(named(primary, 'x-api-key')).toEqual([SECRET])
    expect(named(primary, 'cookie')).toEqual([])
    expect(mirror && isMirror(mirror)).toBe(true)
    expect(named(mirror, 'x-api-key')).toEqual(['client-sent'])
    expect(named(mirror, 'cookie')).toEqual(['legacy_session=abc', 'theme=dark'])
    expect(named(mirror, 'x-legacy-client')).toEqual(['strangler'])
  })

  it('records redact a header set on the route\'s upstreams: the value an upstream echoes back is never stored', async () => {
    await send('/a/2')
    const records = await sp.records()
    const diff = records.filter(r => r.url === '/a/2').flatMap(r => r.differences)
    expect(diff).toEqual([{ kind: 'header', path: "$headers['x-api-key']", header: 'x-api-key', primary: '[redacted]', shadow: '[redacted]' }])
    expect(JSON.stringify(records)).not.toContain(SECRET)
  })
})
