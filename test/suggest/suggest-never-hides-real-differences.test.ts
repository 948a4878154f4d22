import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { runReport } from '../../src/cli/run-report.js'
import { runSuggest } from '../../src/cli/run-suggest.js'

// Noise (a shuffled list, float noise) and, in every fifth pair, real differences: a price
// off by 0.5 and another coupon (a UUID, but one that differs in only a fifth of the pairs).
const COUPON = randomUUID()
const answer = (side: 'legacy' | 'orders') => (req: IncomingMessage, res: ServerResponse): void => {
  const n = Number((req.url ?? '').split('/').pop())
  const real = side === 'orders' && n % 5 === 0
  const items = [{ sku: 'a', price: 1.25 * n + (real ? 0.5 : 0) }, { sku: 'b', price: 3.1 * n }]
    .map((it) => side === 'orders' ? { ...it, price: it.price * (1 + 2e-9) } : it)
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ coupon: real ? randomUUID() : COUPON, items: side === 'orders' ? items.reverse() : items }))
}

const BODY = `
serve: legacy
shadow: { sample: 1.0, timeout: 2s, keepPairs: all }
routes:
  - name: cart
    match: { path: "/cart/{n}" }
    serve: legacy
    shadow: orders
`

let fx: ProxyFixture
let rulesFile: string

beforeAll(async () => {
  fx = await startProxyFixture({ upstreams: { legacy: answer('legacy'), orders: answer('orders') }, rules: BODY, options: { store: 'disk' } })
  for (let n = 1; n <= 40; n++) await (await fetch(`${fx.proxy.url}/cart/${n}`)).arrayBuffer()
  await fx.proxy.settled()
  await fx.proxy.store.flush()
  rulesFile = join(fx.dir, 'cart.yaml')
  await writeFile(rulesFile, fx.rules(BODY))
})
afterAll(async () => { await fx.close() })

describe('suggest never proposes away a real difference', () => {
  it('absorbs the noise only: the real price and coupon differences still mismatch after --write', async () => {
    let out = ''
    const code = await runSuggest({ rules: rulesFile, store: fx.proxy.storeDir, write: true, format: 'json' }, { stdout: (s) => { out += s }, stderr: () => {} })
    expect(code).toBe(0)
    const doc = JSON.parse(out) as { routes: Array<{ proposals: Array<{ kind: string; path?: string; value?: number }> }>; written: { added: number } }
    const proposals = doc.routes[0]!.proposals
    expect(proposals.map((p) => [p.kind, p.path ?? p.value])).toEqual([['unordered', '$.items'], ['tolerance', 3e-7]])
    expect(doc.written.added).toBe(2)
    expect(await readFile(rulesFile, 'utf8')).toContain('    compare:\n      unordered: ["$.items"]\n      tolerance: 3e-7\n')

    let json = ''
    expect(await runReport({ store: fx.proxy.storeDir, rules: rulesFile, format: 'json' }, { stdout: (s) => { json += s }, stderr: () => {} })).toBe(0)
    const route = (JSON.parse(json) as { routes: Array<{ compared: number; mismatched: number; topDifferences: Array<{ path: string; count: number }> }> }).routes[0]!
    expect(route).toMatchObject({ compared: 40, mismatched: 8 })
    expect(route.topDifferences.map((d) => [d.path, d.count]).sort()).toEqual([['$.coupon', 8], ['$.items[*].price', 8]])
  })
})
