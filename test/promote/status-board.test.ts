import { describe, expect, it } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import type { Rules } from '../../src/config/types.js'
import { readRouteEvidence } from '../../src/promote/route-evidence.js'
import { statusBoard, type StatusBoard, type StatusRow } from '../../src/promote/status-board.js'
import { headlineText } from '../../src/promote/status-headline.js'
import { renderStatusHtml } from '../../src/promote/render-status-html.js'
import { renderStatusJson } from '../../src/promote/render-status-json.js'
import { renderStatusMarkdown } from '../../src/promote/render-status-md.js'
import { renderStatusText } from '../../src/promote/render-status-text.js'
import { lastFlips, type LastFlip } from '../../src/report/last-flip.js'
import type { AuditEntry } from '../../src/store/audit-entry.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import type { DiffRecord } from '../../src/store/record.js'

const NOW = new Date('2026-11-21T12:00:00.000Z')

const RULES = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
serve: legacy
routes:
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
  - name: broken-orders
    match: { method: POST, path: /api/orders }
    serve: legacy
    shadow: orders
    gates: { minPairs: 5 }
  - name: pay
    match: { path: "/api/pay/**" }
    serve: { orders: 25, legacy: 75 }
    shadow: orders
    gates: { minPairs: 5 }
    rollout: { to: orders, steps: [10, 25, 50, 100], every: 30m }
  - name: users
    match: { path: "/api/users/**" }
    serve: orders
  - name: invoices
    match: { path: "/api/invoices/**" }
    serve: orders
    shadow: legacy
    gates: { minPairs: 3, window: 1h }
`

function load (text: string): Rules {
  const r = loadRulesText(text, '/tmp/rules.yaml')
  if (!r.ok) throw new Error(r.errors.map(e => e.message).join('\n'))
  return r.rules
}

let n = 0
/** `count` records of `route`, `ago` ms before NOW, the first `mismatched` of them mismatches. */
function records (route: string, count: number, mismatched = 0, ago = 60_000): DiffRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    v: 1,
    id: `${route}-${n++}`,
    at: new Date(NOW.getTime() - ago + i).toISOString(),
    route,
    method: 'GET',
    url: '/x',
    primary: { upstream: 'legacy', status: 200, ms: 5, bytes: 10 },
    shadow: { upstream: 'orders', status: 200, ms: 6, bytes: 10 },
    outcome: i < mismatched ? 'mismatch' : 'match',
    differences: i < mismatched ? [{ kind: 'changed', path: '$.total', primary: 1, shadow: 2 }] : []
  }) as DiffRecord)
}

const FLIP: AuditEntry = {
  v: 1,
  id: 'a1',
  at: '2026-11-21T11:00:00.000Z',
  by: 'alice',
  action: 'promote',
  route: 'pay',
  from: { stage: 'canary', serve: { orders: 10, legacy: 90 }, shadow: 'orders' },
  to: { stage: 'canary', serve: { orders: 25, legacy: 75 }, shadow: 'orders' },
  evidence: null,
  forced: true,
  reason: 'hotfix window',
  file: '/tmp/rules.yaml',
  hashBefore: 'a',
  hashAfter: 'b',
  routeBefore: '  - name: pay\n'
}

async function board (rulesText = RULES, opts: { operations?: StatusBoard['headline']['operations'] extends infer _ ? Record<string, number> | null : never; store?: string | null } = {}): Promise<StatusBoard> {
  const rules = load(rulesText)
  const store = new MemoryStore()
  for (const r of [
    ...records('get-order', 8),
    ...records('list-orders', 42),
    ...records('broken-orders', 10, 3),
    ...records('pay', 6),
    ...records('invoices', 4),
    ...records('invoices', 50, 50, 2 * 3_600_000) // older than its 1h window: not counted
  ]) store.append(r)
  await store.appendAudit({ ...FLIP, route: 'users', at: '2026-11-20T09:00:00.000Z', forced: false, reason: null, from: { stage: 'canary', serve: { orders: 50, legacy: 50 }, shadow: 'orders' }, to: { stage: 'migrated', serve: 'orders', shadow: null } })
  await store.appendAudit(FLIP)
  await store.appendAudit({ ...FLIP, route: 'gone', id: 'a3' })
  const { routes } = await readRouteEvidence(store, rules, NOW)
  const flips = await lastFlips(store.readAudit(), new Set(rules.routes.map(r => r.name)))
  return statusBoard({
    rules,
    evidence: routes,
    flips,
    operations: (opts.operations ?? null) as never,
    files: { rules: 'rules.yaml', store: opts.store ?? null },
    store: '.strangler/diffs',
    now: NOW
  })
}

const row = (b: StatusBoard, name: string): StatusRow => {
  const r = b.routes.find(x => x.route === name)
  if (r === undefined) throw new Error(`no row ${name}`)
  return r
}

describe('status board', () => {
  it('has one row per route of the rules file, in file order, legacy and migrated ones too', async () => {
    const b = await board()
    expect(b.routes.map(r => [r.route, r.stage, r.serving, r.shadow])).toEqual([
      ['catalog', 'legacy', 'legacy', null],
      ['get-order', 'shadowing', 'legacy', 'orders'],
      ['list-orders', 'shadowing', 'legacy', 'orders'],
      ['broken-orders', 'shadowing', 'legacy', 'orders'],
      ['pay', 'canary', 'orders 25% · legacy 75%', 'orders'],
      ['users', 'migrated', 'orders', null],
      ['invoices', 'verifying', 'orders', 'legacy']
    ])
  })

  it('judges each route over its own window by its own gates: verdict, parity, pairs, the gate holding it back', async () => {
    const b = await board()
    expect(row(b, 'get-order')).toMatchObject({ verdict: 'ready', parity: 1, pairs: 8, errorRate: 0, heldBy: null, gates: { minPairs: 5, parity: 0.9, maxShadowErrors: 0.001, window: '24h' } })
    expect(row(b, 'list-orders')).toMatchObject({
      verdict: 'insufficient-data',
      pairs: 42,
      heldBy: { gate: 'minPairs', figure: 42, needed: 100, message: 'minPairs: 42 pairs in the last 24h, 100 needed' }
    })
    expect(row(b, 'broken-orders')).toMatchObject({ verdict: 'broken', parity: 0.7, heldBy: { gate: 'parity', figure: 0.7, needed: 0.999 } })
    expect(row(b, 'broken-orders').heldBy!.message).toBe('parity: 70% (7 of 10 matched in the last 24h), 99.90% needed')
    // the 50 mismatches of two hours ago are outside the route's 1h window
    expect(row(b, 'invoices')).toMatchObject({ verdict: 'ready', pairs: 4, parity: 1, gates: { window: '1h' } })
    // not compared and no records: no verdict, and nothing gated holds them back
    expect(row(b, 'catalog')).toMatchObject({ verdict: null, pairs: 0, parity: null, heldBy: null })
    expect(row(b, 'users')).toMatchObject({ verdict: null, heldBy: null })
  })

  it('gives each route its next step as a command to paste', async () => {
    const b = await board()
    expect(row(b, 'catalog').next).toMatchObject({ action: 'promote', command: 'strangler promote catalog --rules rules.yaml --shadow orders', gated: false })
    expect(row(b, 'get-order').next).toMatchObject({ action: 'promote', says: 'promote to canary: orders 10%, legacy 90%, shadow orders', command: 'strangler promote get-order --rules rules.yaml', gated: true })
    expect(row(b, 'list-orders').next).toEqual({ action: 'send-traffic', says: 'send traffic: 58 more pairs needed in the last 24h', command: 'strangler report --route list-orders --rules rules.yaml', gated: true })
    expect(row(b, 'broken-orders').next).toMatchObject({ action: 'fix-differences', command: 'strangler report --route broken-orders --rules rules.yaml' })
    expect(row(b, 'pay').next).toMatchObject({ action: 'rollout', says: 'the rollout raises orders to 50% (a step every 30m while the gates hold)', command: 'strangler rollout --rules rules.yaml' })
    expect(row(b, 'users').next).toMatchObject({ action: 'promote', command: 'strangler promote users --rules rules.yaml' })
    expect(row(b, 'users').next.says).toBe('promote to verifying: serve orders, shadow legacy')
    expect(row(b, 'invoices').next).toMatchObject({ action: 'promote', command: 'strangler promote invoices --rules rules.yaml --to migrated', gated: true })
  })

  it('names a store given on the command line in the commands, quoted for a shell when it must be', async () => {
    const b = await board(RULES, { store: "/tmp/my diffs/it's" })
    expect(row(b, 'list-orders').next.command).toBe("strangler report --route list-orders --rules rules.yaml --store '/tmp/my diffs/it'\\''s'")
    expect(row(b, 'get-order').next.command).toBe("strangler promote get-order --rules rules.yaml --store '/tmp/my diffs/it'\\''s'")
  })

  it('shows a rollout\'s progress, and a halted rollout waits for an edit', async () => {
    const b = await board()
    expect(row(b, 'pay').rollout).toEqual({ to: 'orders', steps: [10, 25, 50, 100], step: 2, weight: 25, next: 50, every: '30m', halted: null })
    const halted = await board(RULES.replace('every: 30m }', 'every: 30m, halted: "p99 of orders 2.1x legacy" }'))
    expect(row(halted, 'pay').rollout!.halted).toBe('p99 of orders 2.1x legacy')
    expect(row(halted, 'pay').next).toMatchObject({ action: 'edit-rollout', command: null })
    expect(row(halted, 'pay').next.says).toContain('p99 of orders 2.1x legacy')
  })

  it('shows each route\'s last flip from the audit log', async () => {
    const b = await board()
    expect(row(b, 'pay').lastFlip).toEqual<LastFlip>({
      at: '2026-11-21T11:00:00.000Z', by: 'alice', action: 'promote', from: FLIP.from, to: FLIP.to, forced: true, reason: 'hotfix window'
    })
    expect(row(b, 'users').lastFlip).toMatchObject({ by: 'alice', from: { stage: 'canary' }, to: { stage: 'migrated' }, forced: false })
    expect(row(b, 'catalog').lastFlip).toBeNull()
  })

  it('headline: the migrated share of routes, canary weights, shadowing ready, legacy; with a spec, of operations', async () => {
    const b = await board()
    expect(b.headline).toEqual({
      routes: 7,
      migrated: 2,
      verifying: 1,
      share: 2 / 7,
      canary: 1,
      canaryWeights: [{ route: 'pay', upstream: 'orders', percent: 25 }],
      shadowing: 3,
      shadowingReady: 1,
      legacy: 1,
      operations: null
    })
    expect(headlineText(b.headline)).toBe('Migrated: 2 of 7 routes (28.6%; 1 verifying) · 1 canary (at 25%) · 3 shadowing (1 ready) · 1 legacy')
    const withSpec = await board(RULES, { operations: { legacy: 20, shadowing: 6, canary: 2, migrated: 10, verifying: 2 } })
    expect(withSpec.headline.operations).toEqual({ total: 40, migrated: 12, share: 0.3, byStage: { legacy: 20, shadowing: 6, canary: 2, migrated: 10, verifying: 2 } })
    expect(headlineText(withSpec.headline)).toMatch(/^Migrated: 2 of 7 routes \(28\.6%; 1 verifying\), 12 of 40 operations \(30%\) · /)
  })

  it('a migrated route signed off after verifying has nothing left to do', async () => {
    const rules = load(RULES)
    const store = new MemoryStore()
    await store.appendAudit({ ...FLIP, route: 'users', forced: false, from: { stage: 'verifying', serve: 'orders', shadow: 'legacy' }, to: { stage: 'migrated', serve: 'orders', shadow: null } })
    const { routes } = await readRouteEvidence(store, rules, NOW)
    const b = statusBoard({ rules, evidence: routes, flips: await lastFlips(store.readAudit()), operations: null, files: { rules: 'r.yaml', store: null }, store: 's', now: NOW })
    expect(row(b, 'users').next).toMatchObject({ action: 'none', command: null })
  })
})

describe('status board formats', () => {
  it('text: the headline, a table in file order, then per route its next command, the gate holding it back and its last flip', async () => {
    const text = renderStatusText(await board())
    const lines = text.split('\n')
    expect(lines[0]).toBe('strangler status · rules rules.yaml · store .strangler/diffs · 2026-11-21T12:00:00.000Z')
    expect(lines[1]).toBe('Migrated: 2 of 7 routes (28.6%; 1 verifying) · 1 canary (at 25%) · 3 shadowing (1 ready) · 1 legacy')
    expect(lines[3]).toMatch(/^ROUTE\s+STAGE\s+SERVING\s+SHADOW\s+PARITY\s+PAIRS\s+SHADOW ERRORS\s+VERDICT\s+HELD BY$/)
    expect(lines.slice(4, 11).map(l => l.split(/\s+/)[0])).toEqual(['catalog', 'get-order', 'list-orders', 'broken-orders', 'pay', 'users', 'invoices'])
    expect(text).toMatch(/list-orders\s+shadowing\s+legacy\s+orders\s+100%\s+42\s+0%\s+insufficient-data\s+minPairs \(42 of 100\)/)
    expect(text).toContain('   held by    minPairs: 42 pairs in the last 24h, 100 needed')
    expect(text).toContain('              strangler promote get-order --rules rules.yaml\n')
    expect(text).toContain('   rollout    to orders: step 2 of 4 (25%), next 50%; a step every 30m while the gates hold')
    expect(text).toContain('   last flip  2026-11-21T11:00:00.000Z promote by alice: canary → canary (orders 25% · legacy 75%), forced: "hotfix window"')
  })

  it('json: the documented schema, version 1', async () => {
    const doc = JSON.parse(renderStatusJson(await board())) as Record<string, unknown> & { routes: Array<Record<string, unknown>>; headline: Record<string, unknown> }
    expect(Object.keys(doc)).toEqual(['v', 'generatedAt', 'rules', 'store', 'headline', 'routes'])
    expect(doc.v).toBe(1)
    expect(Object.keys(doc.headline)).toEqual(['text', 'routes', 'migrated', 'verifying', 'share', 'canary', 'canaryWeights', 'shadowing', 'shadowingReady', 'legacy', 'operations'])
    expect(Object.keys(doc.routes[0]!)).toEqual(['route', 'stage', 'serving', 'serve', 'shadow', 'parity', 'pairs', 'compared', 'matched', 'errors', 'errorRate', 'verdict', 'gates', 'heldBy', 'next', 'rollout', 'lastFlip'])
    const pay = doc.routes.find(r => r.route === 'pay')!
    expect(pay.serve).toEqual({ orders: 25, legacy: 75 })
    expect(pay.lastFlip).toEqual({ at: FLIP.at, by: 'alice', action: 'promote', from: FLIP.from, to: FLIP.to, forced: true, reason: 'hotfix window' })
  })

  it('md and html: every route with its next command; names from files cannot break the table or the page', async () => {
    const evil = RULES.replace('name: catalog', 'name: "<b>cat|alog</b>"')
    const b = await board(evil)
    const md = renderStatusMarkdown(b)
    expect(md).toContain('**Migrated: 2 of 7 routes (28.6%; 1 verifying) · 1 canary (at 25%) · 3 shadowing (1 ready) · 1 legacy**')
    const catalogRow = md.split('\n').find(l => l.includes('cat\\|alog'))!
    expect(catalogRow).toContain('\\<b\\>cat\\|alog\\</b\\>')
    expect(catalogRow.split(/(?<!\\)\|/).length).toBe(14) // 12 cells: the pipe in the name is escaped
    expect(md).toContain("`strangler promote '<b>cat\\|alog</b>' --rules rules.yaml --shadow orders`")
    const html = renderStatusHtml(b)
    expect(html).not.toContain('<b>cat')
    expect(html).toContain('&lt;b&gt;cat|alog&lt;/b&gt;')
    expect(html).toContain('<code class="command">strangler promote get-order --rules rules.yaml</code>')
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none'")
    expect(html).toContain('data-verdict="insufficient-data"')
  })
})
