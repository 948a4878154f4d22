import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { gate } from '../helpers/gate.js'

let stalled: FakeUpstream
let sp: ProxyFixture
const hold = gate()
const BODY = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `item ${i}` })) })

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (_req, res) => {
        res.setHeader('content-type', 'application/json')
        res.end(BODY)
      },
      down: 'dead',
      // answers only when the test opens the gate, long after the client got its answer
      stalled: (_req, res) => { void hold.promise.then(() => res.end('{}')) },
      resets: { tcp: (s) => { s.once('data', () => s.resetAndDestroy()) } },
      garbage: { tcp: (s) => { s.once('data', () => s.end('\u0000\u0001 not http at all \r\n\r\n')) } },
      truncated: (_req, res) => {
        res.setHeader('content-type', 'application/json')
        res.end('{"items": [')
      }
    },
    rules: `
serve: legacy
shadow: { timeout: 300ms }
routes:
  - { name: to-down, match: { path: /down }, serve: legacy, shadow: down }
  - { name: to-stalled, match: { path: /stalled }, serve: legacy, shadow: stalled }
  - { name: to-resets, match: { path: /resets }, serve: legacy, shadow: resets }
  - { name: to-garbage, match: { path: /garbage }, serve: legacy, shadow: garbage }
  - { name: to-truncated, match: { path: /truncated }, serve: legacy, shadow: truncated }
`
  })
  stalled = sp.upstream('stalled')
})
afterAll(async () => {
  hold.open()
  await sp.close()
})

async function clientGets (path: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(sp.proxy.url + path)
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') }
}

describe('a failing shadow never touches the client', () => {
  for (const path of ['/down', '/resets', '/garbage']) {
    it(`${path}: the client gets the primary's bytes; the pair is a shadow-error record`, async () => {
      expect(await clientGets(path)).toEqual({ status: 200, body: BODY, type: 'application/json' })
      const r = (await sp.records()).find((x) => x.url === path)!
      expect(r.outcome).toBe('shadow-error')
      expect(typeof r.error).toBe('string')
      expect(r.differences).toEqual([])
      expect(r.primary.status).toBe(200)
    })
  }

  it('/truncated: JSON that does not parse on the shadow side is a type difference, not a crash', async () => {
    expect(await clientGets('/truncated')).toEqual({ status: 200, body: BODY, type: 'application/json' })
    const r = (await sp.records()).find((x) => x.url === '/truncated')!
    expect(r.outcome).toBe('mismatch')
    expect(r.differences).toEqual([{ kind: 'type', path: '$', primary: 'json', shadow: 'invalid-json' }])
  })

  it('/stalled: the client is answered while the shadow is still stalled; past its timeout the pair is a shadow-error', async () => {
    // the shadow upstream never answers until the gate opens (after this test), so a
    // client response here proves the client did not wait for the shadow
    const got = await clientGets('/stalled')
    expect(got).toEqual({ status: 200, body: BODY, type: 'application/json' })
    expect(stalled.seen.length).toBeGreaterThan(0)
    const r = (await sp.records()).find((x) => x.url === '/stalled')!
    expect(r.outcome).toBe('shadow-error')
    expect(r.error).toContain('timeout')
  })
})
