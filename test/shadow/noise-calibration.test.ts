import { afterEach, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

// Both sides answer the same catalog; each stamps its own time and request id (no rule says so).
// The new service also has one real difference: a price.
const catalog = (req: IncomingMessage, res: ServerResponse, price: number): void => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({
    generatedAt: new Date(Date.now() + Math.floor(Math.random() * 1000)).toISOString(),
    requestId: randomUUID(),
    items: [{ sku: 'a', price }, { sku: 'b', price: 2 }],
    path: req.url
  }))
}

let sp: ProxyFixture | null = null
afterEach(async () => { await sp?.close(); sp = null })

const rules = (calibrate: string): string => `
serve: legacy
shadow: { sample: 1.0, timeout: 2s${calibrate} }
routes:
  - { name: same, match: { path: /same }, serve: legacy, shadow: orders }
  - { name: priced, match: { path: /priced }, serve: legacy, shadow: orders }
`

async function send (paths: string[]): Promise<void> {
  for (const p of paths) await (await fetch(sp!.proxy.url + p)).arrayBuffer()
}

describe('noise calibration (shadow.calibrate)', () => {
  it('finds a legacy that stamps its own time and ids, with no rule: those differences are noise, not mismatches', async () => {
    sp = await startProxyFixture({
      upstreams: {
        legacy: (req, res) => catalog(req, res, 1),
        orders: (req, res) => catalog(req, res, req.url === '/priced' ? 1.5 : 1)
      },
      rules: rules(', calibrate: 1.0'),
      options: { adminPort: 0 }
    })
    await send(['/same', '/same', '/same', '/priced', '/priced'])
    const records = await sp.records()
    expect(records).toHaveLength(5)
    const same = records.filter((r) => r.route === 'same')
    expect(same.map((r) => r.outcome)).toEqual(['match', 'match', 'match'])
    // kept in the record, flagged
    for (const r of same) {
      expect(r.differences.map((d) => [d.path, d.noise]).sort()).toEqual([['$.generatedAt', true], ['$.requestId', true]])
    }
    // a real difference is still one
    const priced = records.filter((r) => r.route === 'priced')
    expect(priced.map((r) => r.outcome)).toEqual(['mismatch', 'mismatch'])
    expect(priced[0]!.differences.filter((d) => d.noise !== true).map((d) => d.path)).toEqual(['$.items[0].price'])
    // the noise paths are listed per route
    expect(sp.proxy.noise.list('same')).toEqual(['$.generatedAt', '$.requestId'])
    const routes = await (await fetch(`${sp.proxy.adminUrl}/routes`)).json() as { routes: Array<{ name: string; noise: string[] }> }
    expect(routes.routes.find((r) => r.name === 'same')!.noise).toEqual(['$.generatedAt', '$.requestId'])
    expect(sp.proxy.parity.parity('same')).toMatchObject({ compared: 3, matched: 3 })
  })

  it('without calibration the same traffic mismatches on the generated values', async () => {
    sp = await startProxyFixture({
      upstreams: { legacy: (req, res) => catalog(req, res, 1), orders: (req, res) => catalog(req, res, 1) },
      rules: rules('')
    })
    await send(['/same', '/same'])
    const records = await sp.records()
    expect(records.map((r) => r.outcome)).toEqual(['mismatch', 'mismatch'])
    expect(records.every((r) => r.differences.every((d) => d.noise === undefined))).toBe(true)
  })

  it('bounds the legacy load by the fraction and never lets a calibration failure reach a client', async () => {
    let legacyHits = 0
    let calibrationHits = 0
    sp = await startProxyFixture({
      upstreams: {
        legacy: (req, res) => {
          legacyHits++
          // the calibration copy carries the shadow marker: answer it with a failure
          if (req.headers['x-strangler-shadow'] === '1') { calibrationHits++; res.statusCode = 500; res.end('boom'); return }
          catalog(req, res, 1)
        },
        orders: (req, res) => catalog(req, res, 1)
      },
      rules: rules(', calibrate: 0.25')
    })
    const statuses: number[] = []
    for (let i = 0; i < 200; i++) {
      const res = await fetch(sp.proxy.url + '/same')
      await res.arrayBuffer()
      statuses.push(res.status)
    }
    await sp.records()
    expect(statuses.every((s) => s === 200)).toBe(true)
    expect(legacyHits - 200).toBe(calibrationHits)
    expect(calibrationHits).toBeGreaterThan(20)
    expect(calibrationHits).toBeLessThan(90)
    // a failed calibration teaches nothing: the status is not noise
    expect(sp.proxy.noise.list('same')).toEqual([])
  })
})
