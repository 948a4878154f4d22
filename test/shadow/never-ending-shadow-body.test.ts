import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

// The monolith's order export: a finite JSON list, read from its own table.
const orders = Array.from({ length: 2_000 }, (_, i) => ({ id: `ord_${i}`, total: (i * 37) % 1000, currency: 'EUR', note: 'x'.repeat(60) }))
const exportBody = JSON.stringify({ orders })

function monolith (req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json')
  if (req.url!.startsWith('/export')) { res.end(exportBody); return }
  res.end(JSON.stringify({ ok: true, path: req.url }))
}

// The rewrite: the same export served from its own paging cursor, with a bug on
// /export/stream (the cursor never ends: it streams the same page forever).
function rewrite (req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json')
  if (req.url!.startsWith('/export/stream')) {
    const page = Buffer.from(JSON.stringify(orders.slice(0, 100)).slice(1, -1) + ',')
    res.write('{"orders":[')
    let open = true
    res.on('close', () => { open = false })
    const pump = (): void => {
      while (open) {
        if (!res.write(page)) { res.once('drain', pump); return }
      }
    }
    pump()
    return
  }
  if (req.url!.startsWith('/export')) { res.end(exportBody); return }
  res.end(JSON.stringify({ ok: true, path: req.url }))
}

let sp: ProxyFixture
let shadow: FakeUpstream

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: { legacy: monolith, reports: { handler: rewrite, streaming: true } },
    rules: `
serve: legacy
shadow: { maxBodyBytes: 512kb, maxBufferedBytes: 256kb, maxConcurrent: 16, timeout: 3s }
routes:
  - { name: stream-export, match: { path: "/export/stream" }, serve: legacy, shadow: reports }
  - { name: export, match: { path: "/export/**" }, serve: legacy, shadow: reports }
`
  })
  shadow = sp.upstream('reports')
})
afterAll(async () => { await sp.close() })

async function get (path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${sp.proxy.url}${path}`)
  return { status: res.status, body: await res.text() }
}

describe('never-ending shadow body', () => {
  it('clients get the primary answer unchanged, memory held stays bounded, and the route backs off from its shadow', async () => {
    const answers: Array<{ status: number; body: string }> = []
    for (let i = 0; i < 10; i++) answers.push(...await Promise.all(Array.from({ length: 20 }, async () => await get('/export/stream'))))
    expect(answers).toHaveLength(200)
    expect(answers.every((a) => a.status === 200 && a.body === exportBody)).toBe(true)

    // each mirror is read at most to maxBodyBytes, and all of them together held at most
    // maxBufferedBytes + one body (the runner) + a read chunk per reader
    const budget = sp.proxy.shadow.budget
    expect(budget.peak).toBeGreaterThan(256 * 1024)
    expect(budget.peak).toBeLessThanOrEqual(256 * 1024 + 512 * 1024 + 16 * 64 * 1024)

    // after 3 answers over the cap the route stops mirroring for a while: far fewer than 200 mirrors
    expect(shadow.seen.length).toBeLessThan(60)
    const recs = await sp.records()
    const skipped = (reason: string): number => recs.filter((r) => r.route === 'stream-export' && r.skipped === reason).reduce((n, r) => n + (r.count ?? 1), 0)
    sp.proxy.shadow.flushSkips()
    const all = await sp.records()
    const backoff = all.filter((r) => r.route === 'stream-export' && r.skipped === 'too-large-backoff').reduce((n, r) => n + (r.count ?? 1), 0)
    expect(skipped('too-large')).toBeGreaterThanOrEqual(3)
    expect(backoff).toBeGreaterThan(100)
    expect(await sp.proxy.metrics.text()).toMatch(/strangler_shadow_skips_total\{route="stream-export",reason="too-large-backoff"\} \d{3}/)

    // nothing is left held or paused once the mirrors are over
    expect(budget.used).toBe(0)
    expect(budget.paused).toBe(0)
    expect(sp.proxy.shadow.shadowsInFlight).toBe(0)
    const metrics = await sp.proxy.metrics.text()
    expect(metrics).toMatch(/^strangler_shadow_buffered_bytes 0$/m)
    expect(metrics).toMatch(/^strangler_shadow_reads_paused 0$/m)
  })

  it('bodies bigger than their share of the budget are still read whole one after another, and compared', async () => {
    const before = (await sp.records()).length
    // 12 exports of ~200 KB at once: 2.4 MB to read through a 256 KB budget
    const answers = await Promise.all(Array.from({ length: 12 }, async (_, i) => await get(`/export/all?page=${i}`)))
    expect(answers.every((a) => a.status === 200 && a.body === exportBody)).toBe(true)
    const recs = (await sp.records()).slice(before).filter((r) => r.route === 'export')
    expect(recs).toHaveLength(12)
    expect(recs.map((r) => r.outcome)).toEqual(Array(12).fill('match'))
    expect(sp.proxy.shadow.budget.used).toBe(0)
  })
})
