import { afterEach, describe, expect, it } from 'vitest'
import { Correlation } from '../../src/shadow/correlation.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import type { Handler } from '../helpers/upstream.js'

describe('Correlation holds at most maxEntries pairs, least recently learned or used evicted first', () => {
  it('learning past the bound evicts the oldest pairs and counts them', () => {
    const c = new Correlation()
    c.learn([['a', 'A'], ['b', 'B'], ['c', 'C']], 3)
    expect(c.size).toBe(3)
    c.learn([['d', 'D'], ['e', 'E']], 3)
    expect(c.size).toBe(3)
    expect(c.entry('a')).toBeUndefined()
    expect(c.entry('b')).toBeUndefined()
    expect(['c', 'd', 'e'].map((k) => c.lookup(k))).toEqual(['C', 'D', 'E'])
    expect(c.stats()).toMatchObject({ learned: 5, evicted: 2, pairs: 3 })
  })

  it('a pair a mirror used is kept over one learned after it', () => {
    const c = new Correlation()
    c.learn([['a', 'A'], ['b', 'B'], ['c', 'C']], 3)
    c.used('a', c.entry('a')!)
    c.learn([['d', 'D']], 3)
    expect(c.lookup('a')).toBe('A')
    expect(c.lookup('b')).toBeUndefined()
    expect(c.stats()).toMatchObject({ applied: 1, evicted: 1, pairs: 3 })
  })

  it('learning a primary value again replaces its pair and makes it recent; a lookup for a comparison does not', () => {
    const c = new Correlation()
    c.learn([['a', 'A'], ['b', 'B']], 2)
    expect(c.lookup('a')).toBe('A') // comparisons read without touching recency
    c.learn([['b', 'B2']], 2)
    c.learn([['a', 'A2']], 2)
    expect(c.size).toBe(2)
    c.learn([['c', 'C']], 2)
    expect(c.lookup('b')).toBeUndefined()
    expect(c.lookup('a')).toBe('A2')
    expect(c.stats()).toMatchObject({ learned: 5, evicted: 1, pairs: 2 })
  })
})

// ---------------------------------------------------------------------------
// The same bound through the proxy: shadow.correlationEntries, with /metrics counting.

/** `/login?n=K` answers this side's token for K; anything else echoes the authorization header it got. */
function side (prefix: string): Handler {
  return (req, res) => {
    const url = new URL(req.url!, 'http://x')
    res.setHeader('content-type', 'application/json')
    res.end(url.pathname === '/login' ? JSON.stringify({ token: `${prefix}-${url.searchParams.get('n')}` }) : JSON.stringify({ ok: true }))
  }
}

let sp: ProxyFixture | null = null
afterEach(async () => { await sp?.close(); sp = null })

describe('shadow.correlationEntries bounds the pairs a proxy holds', () => {
  it('the pair a mirror used survives; the one nobody used is evicted, counted in /metrics, and no longer substituted', async () => {
    sp = await startProxyFixture({
      upstreams: { legacy: side('p'), rewrite: side('s') },
      rules: `
serve: legacy
shadow: { sample: 1.0, timeout: 2s, correlationEntries: 2 }
correlate:
  - { name: token, learn: ["$.token"] }
routes:
  - { name: login, match: { method: POST, path: /login }, serve: legacy, shadow: rewrite, shadowWrites: true }
  - { name: me, match: { method: GET, path: /me }, serve: legacy, shadow: rewrite }
`
    })
    const proxy = sp.proxy
    const login = async (n: number): Promise<void> => {
      const res = await fetch(`${proxy.url}/login?n=${n}`, { method: 'POST' })
      expect(await res.json()).toEqual({ token: `p-${n}` })
      await proxy.records()
    }
    const me = async (token: string): Promise<string> => {
      const res = await fetch(`${proxy.url}/me`, { headers: { authorization: `Token ${token}` } })
      await res.text()
      await proxy.records()
      const seen = sp!.upstream('rewrite').seen.filter((s) => s.url === '/me')
      return String(seen[seen.length - 1]!.headers.authorization)
    }

    await login(1)
    await login(2)
    expect(await me('p-1')).toBe('Token s-1') // p-1 used: now the most recent
    await login(3) // one too many: p-2, learned before p-1 was used, goes
    expect(proxy.correlation.size).toBe(2)
    expect(await me('p-1')).toBe('Token s-1')
    expect(await me('p-3')).toBe('Token s-3')
    expect(await me('p-2')).toBe('Token p-2') // evicted: the mirror carries the primary's value

    const text = await proxy.metrics.text()
    expect(text).toMatch(/^strangler_correlation_total\{event="learned"\} 3$/m)
    expect(text).toMatch(/^strangler_correlation_total\{event="evicted"\} 1$/m)
    expect(text).toMatch(/^strangler_correlation_total\{event="applied"\} 3$/m)
    expect(text).toMatch(/^strangler_correlation_pairs 2$/m)
  })
})
