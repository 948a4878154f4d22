import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { gate } from '../helpers/gate.js'

let stalled: FakeUpstream
let sp: ProxyFixture
const hold = gate()

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: 'echo',
      stalled: (_req, res) => { void hold.promise.then(() => res.end('{}')) }
    },
    rules: `
serve: legacy
shadow: { maxConcurrent: 2, timeout: 30s }
routes:
  - { name: stalled-shadow, match: { path: "/**" }, serve: legacy, shadow: stalled }
`
  })
  stalled = sp.upstream('stalled')
})
afterAll(async () => {
  hold.open()
  await sp.close()
})

describe('a stalled shadow with a small maxConcurrent', () => {
  it('keeps requests flowing, mirrors at most maxConcurrent, and counts the rest as skipped', async () => {
    const n = 50
    for (let i = 0; i < n; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, async (_, j) => {
        const res = await fetch(`${sp.proxy.url}/r/${i + j}`)
        await res.arrayBuffer()
        return res.status
      }))
      expect(batch.every((s) => s === 200)).toBe(true)
    }
    // every client answered while both shadow slots stayed taken by the stalled upstream
    expect(sp.proxy.shadow.shadowsInFlight).toBe(2)
    expect(stalled.seen.length).toBe(2)
    sp.proxy.shadow.flushSkips()
    const metrics = await sp.proxy.metrics.text()
    expect(metrics).toMatch(/strangler_shadow_skips_total\{route="stalled-shadow",reason="concurrency"\} 48/)
    const skipLines = sp.store.records().filter((r) => r.outcome === 'skipped' && r.skipped === 'concurrency')
    expect(skipLines.reduce((sum, r) => sum + (r.count ?? 1), 0)).toBe(48)

    // once the shadow answers, the two held pairs are compared and recorded
    hold.open()
    const recs = await sp.records()
    expect(recs.filter((r) => r.outcome !== 'skipped')).toHaveLength(2)
    expect(sp.proxy.shadow.shadowsInFlight).toBe(0)
  })
})
