import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { runCli } from '../helpers/cli.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import type { AuditEntry } from '../../src/store/audit-entry.js'

// Two small services with their own answers: the new one adds 1 to the total of every
// third order of the list (a real difference), and answers the rest as the monolith does.
const service = (side: 'legacy' | 'orders') => (req: IncomingMessage, res: ServerResponse): void => {
  const url = new URL(req.url ?? '/', 'http://x')
  const n = Number(url.searchParams.get('n') ?? url.pathname.split('/').pop())
  res.setHeader('content-type', 'application/json')
  const off = side === 'orders' && url.pathname === '/api/orders' && n % 3 === 0 ? 1 : 0
  res.end(JSON.stringify({ path: url.pathname, n, total: n * 100 + off }))
}

const RULES = `
serve: legacy
shadow: { sample: 1.0, timeout: 2s }
routes:
  # the monolith's catalog: not touched yet
  - name: catalog
    match: { path: "/api/catalog/**" }
    serve: legacy
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: legacy
    shadow: orders
    gates: { minPairs: 5, parity: 0.9 }
  - name: list-orders
    match: { method: GET, path: /api/orders }
    serve: legacy
    shadow: orders
  - name: pay
    match: { path: "/api/pay/**" }
    serve: { orders: 10, legacy: 90 }
    shadow: orders
  - name: users
    match: { path: "/api/users/**" }
    serve: orders
  - name: invoices
    match: { path: "/api/invoices/**" }
    serve: orders
    shadow: legacy
`

const SPEC = `openapi: 3.0.3
info: { title: shop, version: '1' }
paths:
  /api/catalog/items: { get: { operationId: listItems, responses: { '200': { description: ok } } } }
  /api/orders/{id}: { get: { operationId: getOrder, responses: { '200': { description: ok } } } }
  /api/orders: { get: { operationId: listOrders, responses: { '200': { description: ok } } } }
  /api/pay/{id}: { post: { operationId: pay, responses: { '200': { description: ok } } } }
  /api/users/{id}: { get: { operationId: getUser, responses: { '200': { description: ok } } }, delete: { operationId: deleteUser, responses: { '200': { description: ok } } } }
  /api/invoices/{id}: { get: { operationId: getInvoice, responses: { '200': { description: ok } } } }
  /api/reports: { get: { operationId: reports, responses: { '200': { description: ok } } } }
`

const FLIP: AuditEntry = {
  v: 1,
  id: '6f1c2a9e-0000-4000-8000-000000000001',
  at: new Date(Date.now() - 3_600_000).toISOString(),
  by: 'alice',
  action: 'promote',
  route: 'pay',
  from: { stage: 'shadowing', serve: 'legacy', shadow: 'orders' },
  to: { stage: 'canary', serve: { orders: 10, legacy: 90 }, shadow: 'orders' },
  evidence: null,
  forced: true,
  reason: 'demo day',
  file: '/somewhere/rules.yaml',
  hashBefore: '0'.repeat(64),
  hashAfter: '1'.repeat(64),
  routeBefore: '  - name: pay\n'
}

let fixture: ProxyFixture
let rules: string
let store: string
let spec: string

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: service('legacy'), orders: service('orders') }, rules: RULES, options: { store: 'disk' } })
  const url = fixture.proxy.url
  const get = async (path: string): Promise<void> => { await (await fetch(url + path)).arrayBuffer() }
  for (let n = 1; n <= 8; n++) await get(`/api/orders/${n}`)
  for (let n = 1; n <= 12; n++) await get(`/api/orders?n=${n}`)
  for (let n = 1; n <= 4; n++) await get(`/api/invoices/${n}`)
  for (let n = 1; n <= 3; n++) await get(`/api/users/${n}`)
  for (let n = 1; n <= 4; n++) await get(`/api/pay/${n}`)
  await fixture.proxy.settled()
  await fixture.proxy.store.flush()
  rules = fixture.proxy.rulesFile
  store = fixture.proxy.storeDir
  // the audit log beside the store folder, with one flip
  await writeFile(join(dirname(store), 'audit.ndjson'), JSON.stringify(FLIP) + '\n')
  spec = join(fixture.dir, 'openapi.yaml')
  await writeFile(spec, SPEC)
}, 30_000)
afterAll(async () => { await fixture.close() })

interface StatusJson {
  v: number
  rules: string
  store: string
  headline: { text: string; routes: number; migrated: number; verifying: number; share: number; canary: number; shadowing: number; shadowingReady: number; legacy: number; operations: { total: number; migrated: number; share: number } | null }
  routes: Array<{ route: string; stage: string; serving: string; parity: number | null; pairs: number; verdict: string | null; heldBy: { gate: string; figure: number; needed: number; message: string } | null; next: { action: string; command: string | null }; lastFlip: { by: string; forced: boolean; reason: string | null } | null }>
}

async function statusJson (...more: string[]): Promise<StatusJson> {
  const r = await runCli(['status', '--rules', rules, '--store', store, '--format', 'json', ...more])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as StatusJson
}

describe('strangler status (child processes, records from a real proxy)', () => {
  it('json: every route in file order, the headline numbers, the gate holding a route back, next steps, the last flip', async () => {
    const doc = await statusJson()
    expect(doc.v).toBe(1)
    expect(doc.routes.map(r => [r.route, r.stage, r.serving])).toEqual([
      ['catalog', 'legacy', 'legacy'],
      ['get-order', 'shadowing', 'legacy'],
      ['list-orders', 'shadowing', 'legacy'],
      ['pay', 'canary', 'orders 10% · legacy 90%'],
      ['users', 'migrated', 'orders'],
      ['invoices', 'verifying', 'orders']
    ])
    expect(doc.headline).toMatchObject({ routes: 6, migrated: 2, verifying: 1, canary: 1, shadowing: 2, shadowingReady: 1, legacy: 1, operations: null })
    expect(doc.headline.text).toBe('Migrated: 2 of 6 routes (33.3%; 1 verifying) · 1 canary (at 10%) · 2 shadowing (1 ready) · 1 legacy')

    const by = (name: string): StatusJson['routes'][number] => doc.routes.find(r => r.route === name)!
    // the route's own gates: 8 pairs at 100% is ready
    expect(by('get-order')).toMatchObject({ pairs: 8, parity: 1, verdict: 'ready', heldBy: null })
    expect(by('get-order').next.command).toBe(`strangler promote get-order --rules ${rules} --store ${store}`)
    // the default gates: 12 pairs, 4 of them differ
    expect(by('list-orders')).toMatchObject({ pairs: 12, verdict: 'insufficient-data', heldBy: { gate: 'minPairs', figure: 12, needed: 100, message: 'minPairs: 12 pairs in the last 24h, 100 needed' } })
    expect(by('list-orders').parity).toBeCloseTo(8 / 12, 12)
    expect(by('list-orders').next).toEqual({ action: 'send-traffic', says: 'send traffic: 88 more pairs needed in the last 24h', command: `strangler report --route list-orders --rules ${rules} --store ${store}`, gated: true })
    expect(by('catalog').next.command).toBe(`strangler promote catalog --rules ${rules} --store ${store} --shadow orders`)
    expect(by('users').next.command).toBe(`strangler promote users --rules ${rules} --store ${store}`)
    expect(by('invoices')).toMatchObject({ pairs: 4, heldBy: { gate: 'minPairs', figure: 4, needed: 100 } })
    expect(by('pay').lastFlip).toMatchObject({ by: 'alice', forced: true, reason: 'demo day' })
    expect(by('catalog').lastFlip).toBeNull()
  })

  it('text: the headline, the table with HELD BY naming the gate and the figure, and each route\'s command', async () => {
    const r = await runCli(['status', '--rules', rules, '--store', store])
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[1]).toBe('Migrated: 2 of 6 routes (33.3%; 1 verifying) · 1 canary (at 10%) · 2 shadowing (1 ready) · 1 legacy')
    expect(r.stdout).toMatch(/list-orders\s+shadowing\s+legacy\s+orders\s+66\.67%\s+12\s+0%\s+insufficient-data\s+minPairs \(12 of 100\)/)
    expect(r.stdout).toMatch(/get-order\s+shadowing\s+legacy\s+orders\s+100%\s+8\s+0%\s+ready\s+—/)
    expect(r.stdout).toContain('   held by    minPairs: 12 pairs in the last 24h, 100 needed')
    expect(r.stdout).toContain(`              strangler promote get-order --rules ${rules} --store ${store}\n`)
    expect(r.stdout).toMatch(/ {3}last flip {2}\S+ promote by alice: shadowing → canary \(orders 10% · legacy 90%\), forced: "demo day"/)
  })

  it('md and html: the same board', async () => {
    const md = await runCli(['status', '--rules', rules, '--store', store, '--format', 'md'])
    expect(md.code).toBe(0)
    expect(md.stdout).toContain('**Migrated: 2 of 6 routes (33.3%; 1 verifying) · 1 canary (at 10%) · 2 shadowing (1 ready) · 1 legacy**')
    expect(md.stdout).toMatch(/^\| list-orders \| shadowing \| legacy \| orders \| 66\.67% \| 12 \| 0% \| insufficient-data \| minPairs \(12 of 100\)/m)
    const out = join(fixture.dir, 'status.html')
    const html = await runCli(['status', '--rules', rules, '--store', store, '--format', 'html', '--out', out])
    expect(html.code).toBe(0)
    expect(html.stdout).toBe(`wrote html status to ${out} (6 routes)\n`)
    const page = await readFile(out, 'utf8')
    expect(page).toMatch(/^<!doctype html>/)
    expect(page).toContain('<tr data-route="list-orders" data-stage="shadowing">')
    expect(page).toContain('minPairs: 12 pairs in the last 24h, 100 needed')
  })

  it('--spec adds the migrated share of the operations to the headline', async () => {
    const doc = await statusJson('--spec', spec)
    // users (GET, DELETE) and invoices (GET) are served by the new side: 3 of 8 operations
    expect(doc.headline.operations).toMatchObject({ total: 8, migrated: 3, share: 3 / 8 })
    expect(doc.headline.text).toMatch(/^Migrated: 2 of 6 routes \(33\.3%; 1 verifying\), 3 of 8 operations \(37\.5%\) · /)
  })

  it('exit codes: an unknown format is bad usage (2); invalid rules print every problem (1); a store folder not made yet shows the board (0)', async () => {
    const bad = await runCli(['status', '--rules', rules, '--format', 'pdf'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('pdf')

    const invalid = join(fixture.dir, 'invalid.yaml')
    await writeFile(invalid, (await readFile(rules, 'utf8')).replace('shadow: orders\n    gates', 'shadow: nowhere\n    gates'))
    const r = await runCli(['status', '--rules', invalid, '--store', store])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/invalid\.yaml:\d+:\d+ error RULES_UNKNOWN_UPSTREAM route "get-order"/)

    const empty = await runCli(['status', '--rules', rules, '--store', join(fixture.dir, 'not-yet'), '--format', 'json'])
    expect(empty.code).toBe(0)
    expect(empty.stderr).toContain('no store at')
    const doc = JSON.parse(empty.stdout) as StatusJson
    expect(doc.routes.every(x => x.pairs === 0)).toBe(true)
    expect(doc.routes.find(x => x.route === 'get-order')!.heldBy).toMatchObject({ gate: 'minPairs', figure: 0, needed: 5 })
  })
})

describe('strangler report under the rules\' gates, with the last flip', () => {
  it('a route with gates { minPairs: 5, parity: 0.9 } is ready where the defaults say insufficient-data', async () => {
    const plain = await runCli(['report', '--store', store, '--format', 'json'])
    expect(plain.code).toBe(0)
    const before = JSON.parse(plain.stdout) as { thresholds: { minCompared: number }; routes: Array<{ route: string; verdict: string; gates: Record<string, unknown>; lastFlip: unknown }> }
    expect(before.routes.find(r => r.route === 'get-order')).toMatchObject({ verdict: 'insufficient-data', gates: { minPairs: 100, parity: 0.999, maxShadowErrors: 0.001, window: null } })

    const withRules = await runCli(['report', '--store', store, '--rules', rules, '--format', 'json'])
    expect(withRules.code).toBe(0)
    const after = JSON.parse(withRules.stdout) as typeof before
    expect(after.thresholds.minCompared).toBe(100)
    expect(after.routes.find(r => r.route === 'get-order')).toMatchObject({ verdict: 'ready', gates: { minPairs: 5, parity: 0.9, maxShadowErrors: 0.001, window: '24h' } })
    expect(after.routes.find(r => r.route === 'list-orders')).toMatchObject({ verdict: 'insufficient-data', gates: { minPairs: 100 } })
    expect(after.routes.find(r => r.route === 'pay')!.lastFlip).toMatchObject({ by: 'alice', action: 'promote', from: { stage: 'shadowing' }, to: { stage: 'canary', serve: { orders: 10, legacy: 90 } }, forced: true })
    expect(after.routes.find(r => r.route === 'get-order')!.lastFlip).toBeNull()

    const text = await runCli(['report', '--store', store, '--rules', rules])
    expect(text.stdout).toContain('ready: get-order (100%)')
    expect(text.stdout).toContain("   gates    ≥ 5 pairs, parity ≥ 90%, shadow errors ≤ 0.1%, window 24h (the route's own)")
    expect(text.stdout).toMatch(/── pay · .*\n {3}last flip \S+ promote by alice: shadowing → canary \(orders 10% · legacy 90%\), forced: "demo day"/)
  })
})
