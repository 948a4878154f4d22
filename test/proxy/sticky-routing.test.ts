import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import type { RunningProxy } from '../../src/app/start-proxy.js'
import { hashKey } from '../../src/routing/pick-upstream.js'

let fixture: ProxyFixture

const rules = `
serve: legacy
routes:
  - name: by-header
    match: { path: "/h" }
    serve: { orders: 50, legacy: 50 }
    sticky: header:X-User-Id
  - name: by-cookie
    match: { path: "/c" }
    serve: { orders: 50, legacy: 50 }
    sticky: cookie:session
`

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' } })
})
afterAll(async () => { await fixture.close() })

async function assignments (proxy: RunningProxy, path: string, headers: (k: string) => Record<string, string>, keys: string[]): Promise<string[]> {
  return await Promise.all(keys.map(async (k) => {
    const res = await fetch(proxy.url + path, { headers: headers(k) })
    await res.arrayBuffer()
    return res.headers.get('x-upstream')!
  }))
}

describe('sticky routing', () => {
  const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`)

  it('sends one header key to one upstream every time', async () => {
    const proxy = await fixture.start(rules)
    try {
      const first = await assignments(proxy, '/h', (k) => ({ 'x-user-id': k }), keys)
      for (let round = 0; round < 5; round++) {
        expect(await assignments(proxy, '/h', (k) => ({ 'x-user-id': k }), keys)).toEqual(first)
      }
      expect(new Set(first).size).toBe(2)
    } finally {
      await proxy.close()
    }
  })

  it('reads the key from a cookie among others', async () => {
    const proxy = await fixture.start(rules)
    try {
      const a = await assignments(proxy, '/c', (k) => ({ cookie: `theme=dark; session=${k}; lang=en` }), keys)
      const b = await assignments(proxy, '/c', (k) => ({ cookie: `session=${k}` }), keys)
      expect(b).toEqual(a)
    } finally {
      await proxy.close()
    }
  })

  it('agrees across restarts and instances (same key, same upstream)', async () => {
    const one = await fixture.start(rules)
    const two = await fixture.start(rules)
    try {
      const a = await assignments(one, '/h', (k) => ({ 'x-user-id': k }), keys)
      const b = await assignments(two, '/h', (k) => ({ 'x-user-id': k }), keys)
      expect(b).toEqual(a)
    } finally {
      await one.close()
      await two.close()
    }
  })

  it('hashes with a fixed function, so a fleet on another machine agrees too', () => {
    // pinned values: changing the hash would move users between upstreams
    expect(hashKey('user-1')).toBe(hashKey('user-1'))
    expect([hashKey(''), hashKey('user-1'), hashKey('alice')]).toMatchInlineSnapshot(`
      [
        2872998923,
        2005895916,
        3927234078,
      ]
    `)
  })
})
