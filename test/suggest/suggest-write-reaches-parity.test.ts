import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { runCli } from '../helpers/cli.js'
import { runReport } from '../../src/cli/run-report.js'
import { runSuggest } from '../../src/cli/run-suggest.js'

// Each side stamps its own time (ISO and epoch ms) and its own request id; the new
// service lists the items and tags in another order and computes prices in floats.
const ITEMS = [
  { id: 1, name: 'pen', price: 1.1 },
  { id: 2, name: 'ink', price: 7.35 },
  { id: 3, name: 'pad', price: 2.4 },
  { id: 4, name: 'nib', price: 0.7 }
]
const shuffle = <T>(list: readonly T[], seed: number): T[] => {
  const out = [...list]
  for (let i = out.length - 1; i > 0; i--) {
    const j = (seed * 7 + i * 13) % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
const answer = (side: 'legacy' | 'orders') => (req: IncomingMessage, res: ServerResponse): void => {
  const n = Number((req.url ?? '').split('/').pop())
  const orders = side === 'orders'
  const items = ITEMS.map((it) => ({ ...it, price: orders ? it.price * n * (1 + 3e-9) : it.price * n }))
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({
    requestId: randomUUID(),
    generatedAt: new Date(Date.now() - (orders ? 0 : 1500)).toISOString(),
    servedAt: Date.now() + (orders ? 2 : 0),
    n,
    items: orders ? shuffle(items, n) : items,
    tags: orders ? ['sale', 'gift', 'new'] : ['new', 'sale', 'gift']
  }))
}

const BODY = `
# The shop, moving to the orders service route by route.
serve: legacy          # what no route matches stays on the monolith
shadow: { sample: 1.0, timeout: 2s, keepPairs: all, maxPairsPerMinute: 1000 }
routes:
  # the catalogue: the first route to move
  - name: items
    match: { method: GET, path: "/items/{n}" }   # one page of items
    serve: legacy
    shadow: orders
    # nothing hand-written under compare: suggest finds it
`

let fx: ProxyFixture
let rulesFile: string
let storeDir: string
let original: string

async function parity (): Promise<{ parity: number; compared: number; rescored: unknown }> {
  let out = ''
  const code = await runReport({ store: storeDir, rules: rulesFile, format: 'json' }, { stdout: (s) => { out += s }, stderr: () => {} })
  expect(code).toBe(0)
  const doc = JSON.parse(out) as { routes: Array<{ parity: number; compared: number }>; rescored: { routes: unknown } }
  return { parity: doc.routes[0]!.parity, compared: doc.routes[0]!.compared, rescored: doc.rescored.routes }
}

beforeAll(async () => {
  fx = await startProxyFixture({ upstreams: { legacy: answer('legacy'), orders: answer('orders') }, rules: BODY, options: { store: 'disk' } })
  for (let n = 1; n <= 40; n++) await (await fetch(`${fx.proxy.url}/items/${n}`)).arrayBuffer()
  await fx.proxy.settled()
  await fx.proxy.store.flush()
  storeDir = fx.proxy.storeDir
  rulesFile = join(fx.dir, 'shop.yaml')
  original = fx.rules(BODY)
  await writeFile(rulesFile, original)
})
afterAll(async () => { await fx.close() })

/** every line of `before`, in order, is still in `after`: nothing was removed, reordered or reflowed */
function keepsEveryLine (before: string, after: string): boolean {
  const lines = after.split('\n')
  let at = 0
  for (const line of before.split('\n')) {
    while (at < lines.length && lines[at] !== line) at++
    if (at === lines.length) return false
    at++
  }
  return true
}

describe('suggest --write: a route with timestamps, request ids, shuffled lists and float noise reaches parity', () => {
  it('starts far from parity', async () => {
    expect(await parity()).toMatchObject({ parity: 0, compared: 40 })
  })

  it('prints each proposal with its evidence, and the YAML to add; without --write the file is unchanged', async () => {
    const r = await runCli(['suggest', '--rules', rulesFile, '--store', storeDir])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('route items (routes[0]): 40 compared pairs, 40 kept whole')
    expect(r.stdout).toMatch(/ignore +\$\.requestId\n +differs in 40 of 40 compared pairs \(100%\); the values look generated \(uuid\)\n +e\.g\. [0-9a-f]{8} +\$\.requestId: "[0-9a-f-]{36}" → "[0-9a-f-]{36}"/)
    expect(r.stdout).toMatch(/typeOnly +\$\.generatedAt\n.*timestamps \(ISO 8601\)/)
    expect(r.stdout).toMatch(/typeOnly +\$\.servedAt\n.*timestamps \(epoch milliseconds\)/)
    // (pairs whose shuffle left the items in order differ only by float noise there)
    expect(r.stdout).toMatch(/unordered +\$\.items\n +(\d+) kept pairs differ under it; .*disappear in \1 of them \(100%\)/)
    expect(r.stdout).toMatch(/unordered +\$\.tags\n/)
    expect(r.stdout).toMatch(/tolerance +9e-7\n +160 number differences in 40 of 40 compared pairs \(100%\) only past the 6th significant digit .* at \$\.items\[\*\]\.price/)
    expect(r.stdout).toContain([
      '# routes[0] (name: items)',
      'compare:',
      '  ignore: ["$.requestId"]',
      '  typeOnly: ["$.generatedAt", "$.servedAt"]',
      '  unordered: ["$.items", "$.tags"]',
      '  tolerance: 9e-7'
    ].join('\n'))
    // no constant difference here, no accept question
    expect(r.stdout).not.toContain('accept')
    expect(await readFile(rulesFile, 'utf8')).toBe(original)
  })

  it('--write adds them under the route\'s compare:, keeps every comment and line, prints the diff; the re-scored report shows 100%', async () => {
    const r = await runCli(['suggest', '--rules', rulesFile, '--store', storeDir, '--write'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`--- ${rulesFile}\n+++ ${rulesFile}\n@@ -11,4 +11,9 @@\n`)
    expect(r.stdout).toContain('+    compare:\n+      ignore: ["$.requestId"]\n')
    expect(r.stdout).toContain(`wrote 6 entries to ${rulesFile} (checked: it loads)`)
    const text = await readFile(rulesFile, 'utf8')
    expect(keepsEveryLine(original, text)).toBe(true)
    for (const comment of ['# The shop, moving', '# what no route matches', '# the catalogue', '# one page of items', '# nothing hand-written']) expect(text).toContain(comment)
    expect(text).toContain([
      '    shadow: orders',
      '    compare:',
      '      ignore: ["$.requestId"]',
      '      typeOnly: ["$.generatedAt", "$.servedAt"]',
      '      unordered: ["$.items", "$.tags"]',
      '      tolerance: 9e-7',
      '    # nothing hand-written under compare: suggest finds it'
    ].join('\n'))

    // re-scored from the kept pairs, no new traffic
    expect(await parity()).toEqual({ parity: 1, compared: 40, rescored: { items: { fromPairs: 40, fromDifferences: 0 } } })
  })

  it('a second run proposes nothing and leaves the file as it is (no entry twice)', async () => {
    const before = await readFile(rulesFile, 'utf8')
    let out = ''
    const code = await runSuggest({ rules: rulesFile, store: storeDir, write: true }, { stdout: (s) => { out += s }, stderr: (s) => { out += s } })
    expect(code).toBe(0)
    expect(out).toContain('route items (routes[0]): 40 compared pairs, 40 kept whole: nothing to propose')
    expect(out).toContain('nothing to write')
    expect(await readFile(rulesFile, 'utf8')).toBe(before)
  })
})
