import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEchoUpstream, startUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { gate, startShadowProxy, type ShadowProxy } from '../helpers/shadow.js'

let legacy: FakeUpstream
let stalled: FakeUpstream
let sp: ShadowProxy
const hold = gate()

beforeAll(async () => {
  legacy = await startEchoUpstream('legacy')
  stalled = await startUpstream((_req, res) => { void hold.promise.then(() => res.end('{}')) })
  sp = await startShadowProxy(`
version: 1
upstreams:
  legacy: { url: ${legacy.url} }
  stalled: { url: ${stalled.url} }
serve: legacy
shadow: { maxConcurrent: 2, timeout: 30s }
routes:
  - { name: stalled-shadow, match: { path: "/**" }, serve: legacy, shadow: stalled }
`)
})
afterAll(async () => {
  hold.open()
  await sp.close()
  await Promise.all([legacy.close(), stalled.close()])
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
