import { afterEach, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { runReport } from '../../src/cli/run-report.js'

// Each side stamps its own time; every fifth item has a real price difference; the new
// service returns the tags in another order.
const answer = (side: 'legacy' | 'orders') => (req: IncomingMessage, res: ServerResponse): void => {
  const n = Number((req.url ?? '').split('/').pop())
  res.setHeader('content-type', 'application/json')
  const tags = ['a', 'b', 'c']
  res.end(JSON.stringify({
    id: n,
    price: side === 'orders' && n % 5 === 0 ? n + 1 : n,
    tags: side === 'orders' ? [...tags].reverse() : tags,
    generatedAt: new Date(Date.now() + (side === 'orders' ? 7 : 0)).toISOString()
  }))
}

const rules = (compare: string, keep: string): string => `
serve: legacy
shadow: { sample: 1.0, timeout: 2s, keepPairs: ${keep} }
routes:
  - name: items
    match: { method: GET, path: "/items/{n}" }
    serve: legacy
    shadow: orders${compare}
`

const fixtures: ProxyFixture[] = []
afterEach(async () => { await Promise.all(fixtures.splice(0).map(async (f) => { await f.close() })) })

async function run (body: string): Promise<{ storeDir: string; fixture: ProxyFixture }> {
  const fixture = await startProxyFixture({ upstreams: { legacy: answer('legacy'), orders: answer('orders') }, rules: body, options: { store: 'disk' } })
  fixtures.push(fixture)
  for (let n = 1; n <= 40; n++) await (await fetch(`${fixture.proxy.url}/items/${n}`)).arrayBuffer()
  await fixture.proxy.settled()
  await fixture.proxy.store.flush()
  return { storeDir: fixture.proxy.storeDir, fixture }
}

async function jsonReport (opts: Parameters<typeof runReport>[0]): Promise<{ routes: Array<Record<string, unknown>>; rescored?: { routes: Record<string, { fromPairs: number; fromDifferences: number }> } }> {
  let out = ''
  const code = await runReport({ ...opts, format: 'json' }, { stdout: (s) => { out += s }, stderr: () => {} })
  expect(code).toBe(0)
  return JSON.parse(out)
}

const essentials = (r: Record<string, unknown>): unknown => ({
  route: r['route'], compared: r['compared'], matched: r['matched'], mismatched: r['mismatched'], parity: r['parity'],
  paths: (r['topDifferences'] as Array<{ path: string; count: number }>).map((d) => [d.path, d.count])
})

const TUNED = `
    compare:
      ignore: ["$.generatedAt"]
      unordered: ["$.tags"]`

describe('report --rules re-scores stored data under new compare settings, no new traffic', () => {
  it('from kept pairs, equals a report of fresh traffic under the same rules (ignore and unordered apply)', async () => {
    const before = await run(rules('', 'all'))
    const rulesFile = join(before.fixture.dir, 'tuned.yaml')
    await writeFile(rulesFile, before.fixture.rules(rules(TUNED, 'all')))
    const rescored = await jsonReport({ store: before.storeDir, rules: rulesFile })
    expect(rescored.rescored!.routes['items']).toEqual({ fromPairs: 40, fromDifferences: 0 })

    const fresh = await jsonReport({ store: (await run(rules(TUNED, 'all'))).storeDir })
    expect(rescored.routes.map(essentials)).toEqual(fresh.routes.map(essentials))
    expect(essentials(rescored.routes[0]!)).toMatchObject({ compared: 40, matched: 32, mismatched: 8, paths: [['$.price', 8]] })

    // the stored report, unchanged, still counts every pair as a mismatch
    const stored = await jsonReport({ store: before.storeDir })
    expect(stored.routes[0]).toMatchObject({ compared: 40, mismatched: 40 })
  })

  it('without kept pairs, filters the stored differences (an ignore applies; unordered cannot)', async () => {
    const before = await run(rules('', 'none'))
    const rulesFile = join(before.fixture.dir, 'tuned.yaml')
    await writeFile(rulesFile, before.fixture.rules(rules(`
    compare:
      ignore: ["$.generatedAt", "$.tags"]`, 'none')))
    const rescored = await jsonReport({ store: before.storeDir, rules: rulesFile })
    expect(rescored.rescored!.routes['items']).toEqual({ fromPairs: 0, fromDifferences: 40 })
    expect(essentials(rescored.routes[0]!)).toMatchObject({ compared: 40, matched: 32, mismatched: 8, paths: [['$.price', 8]] })
  })
})
