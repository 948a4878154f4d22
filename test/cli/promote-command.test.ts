/**
 * The flip workflow end to end, through real processes: a legacy monolith
 * and a new orders service (each with its own request-id format), a real
 * `strangler serve` recording pairs into a real store and reloading the
 * rules file on change, and `strangler promote` / `rollback` run as child
 * processes on a commented rules file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash, randomUUID } from 'node:crypto'
import { readFile, realpath, rm, writeFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { loadRulesFile } from '../../src/config/load.js'
import type { AuditEntry } from '../../src/store/audit-entry.js'
import { openStore } from '../../src/store/open-store.js'
import { runCli, startServe, type ServeProcess } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp-dir.js'
import { startUpstream, type FakeUpstream } from '../helpers/upstream.js'

const ORDERS: Record<string, { total: number; status: string }> = Object.fromEntries(
  Array.from({ length: 40 }, (_, i) => [String(i + 1), { total: 10 + i, status: i % 3 === 0 ? 'shipped' : 'open' }])
)

function orderService (name: string, requestId: () => string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const id = /^\/api\/orders\/(\d+)$/.exec(req.url ?? '')?.[1]
    res.setHeader('content-type', 'application/json')
    res.setHeader('x-served-by', name)
    if (req.url === '/api/orders') { res.end(JSON.stringify({ items: Object.keys(ORDERS), requestId: requestId() })); return }
    if (req.url === '/api/health') { res.end(JSON.stringify({ ok: true })); return }
    const order = id === undefined ? undefined : ORDERS[id]
    if (order === undefined) { res.statusCode = 404; res.end(JSON.stringify({ error: 'not found' })); return }
    res.end(JSON.stringify({ id: Number(id), ...order, requestId: requestId() }))
  }
}

let seq = 0
let legacy: FakeUpstream
let orders: FakeUpstream
let dir: string
let rulesFile: string
let storeDir: string
let auditFile: string
let serve: ServeProcess
const snapshots: string[] = []

const rulesText = (): string => `# Shop migration rules: one route at a time, reviewed in pull requests.
# Owner: platform team.
version: 1
upstreams:
  legacy: { url: ${legacy.url}, timeout: 5s }   # the monolith
  orders: { url: ${orders.url} }                 # the new orders service
serve: legacy
compare:
  ignore: ["$..requestId"]      # each side makes its own
gates: { minPairs: 20 }         # little traffic in this test

routes:
  # the order page: the first route to move
  - name: get-order             # one order by id
    match:
      method: GET
      path: "/api/orders/{id}"
    serve: legacy               # the monolith answers today

  - { name: list-orders, match: { method: GET, path: /api/orders }, serve: legacy }   # next in line

  - name: health
    match: { path: /api/health }
    serve: legacy
`

const sha = (s: string): string => createHash('sha256').update(s).digest('hex')
const read = async (): Promise<string> => await readFile(rulesFile, 'utf8')
const cli = async (...args: string[]) => await runCli([...args, '--rules', rulesFile, '--store', storeDir])
async function audit (): Promise<AuditEntry[]> {
  const text = await readFile(auditFile, 'utf8').catch(() => '')
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as AuditEntry)
}

/** the text outside route `name`: what a flip of it leaves alone */
function outside (text: string, name: string): string {
  const start = text.indexOf(`- name: ${name}`) >= 0 ? text.indexOf(`- name: ${name}`) : text.indexOf(`- { name: ${name},`)
  const next = text.indexOf('\n  - ', start + 1)
  return text.slice(0, start) + text.slice(next < 0 ? text.length : next)
}

async function until<T> (what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${serve.output().slice(-2000)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** wait until the running proxy has reloaded the file and routes `name` at `stage` */
async function proxyAt (name: string, stage: string): Promise<void> {
  await until(`${name} at ${stage} in the running proxy`, async () => {
    const body = await (await fetch(`http://127.0.0.1:${serve.adminPort}/routes`)).json() as { routes: Array<{ name: string; stage: string }> }
    return body.routes.find((r) => r.name === name)?.stage === stage ? true : undefined
  })
}

async function send (path: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`http://127.0.0.1:${serve.port}${path.replace('{n}', String((i % 40) + 1))}`)
    expect(res.status).toBe(200)
    await res.arrayBuffer()
  }
}

async function recordsOf (route: string, n: number): Promise<void> {
  await until(`${n} records of ${route}`, async () => {
    const store = openStore(storeDir)
    let count = 0
    for await (const r of store.read({ route })) if (r.outcome === 'match' || r.outcome === 'mismatch') count++
    await store.close()
    return count >= n ? true : undefined
  })
}

/** the rules file loads, keeps its comments, and its other routes' bytes are those of `previous` */
async function intact (text: string, previous: string, route: string): Promise<void> {
  const loaded = await loadRulesFile(rulesFile)
  expect(loaded.ok).toBe(true)
  expect(outside(text, route)).toBe(outside(previous, route))
  for (const comment of ['# Shop migration rules: one route at a time, reviewed in pull requests.', '# the monolith', '# each side makes its own', '# the order page: the first route to move', '# one order by id', '# the monolith answers today', '# next in line']) {
    expect(text).toContain(comment)
  }
}

beforeAll(async () => {
  legacy = await startUpstream(orderService('legacy', () => `REQ-${String(++seq).padStart(6, '0')}`))
  orders = await startUpstream(orderService('orders', () => randomUUID()))
  dir = await tempDir('strangler-promote-')
  rulesFile = join(dir, 'rules.yaml')
  storeDir = join(dir, '.strangler', 'diffs')
  auditFile = join(dir, '.strangler', 'audit.ndjson')
  await writeFile(rulesFile, rulesText())
  snapshots.push(await read())
  serve = await startServe(['--rules', rulesFile, '--store', storeDir, '--admin-port', '0', '--log-level', 'warn'])
})

afterAll(async () => {
  serve?.child.kill('SIGTERM')
  await serve?.exited
  await legacy?.close()
  await orders?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('strangler promote and rollback (child processes, a serving proxy)', () => {
  it('legacy → shadowing needs --shadow and no evidence; the proxy reloads and starts comparing', async () => {
    const missing = await cli('promote', 'get-order')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('get-order serves legacy and mirrors to no new service: name it with --shadow UPSTREAM (e.g. --shadow orders)')

    const r = await cli('promote', 'get-order', '--shadow', 'orders', '--by', 'ana', '--reason', 'start comparing')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^get-order: legacy → shadowing \(serve legacy, shadow orders\) · audit [0-9a-f]{12}\nproxies serving .*rules\.yaml pick it up on their own/)
    const text = await read()
    await intact(text, snapshots[0]!, 'get-order')
    expect(text).toContain('    serve: legacy               # the monolith answers today\n    shadow: orders\n')
    snapshots.push(text)
    await proxyAt('get-order', 'shadowing')
  })

  it('refuses shadowing → canary with too few pairs, naming the gate and the figure; --force needs --reason', async () => {
    await send('/api/orders/{n}', 5)
    await recordsOf('get-order', 5)
    const r = await cli('promote', 'get-order')
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('PROMOTE_GATE_FAILED: get-order stays shadowing (serve legacy, shadow orders): going canary (orders 10%, legacy 90%, shadow orders) needs its gates to hold:\n  minPairs: 5 pairs in the last 24h, 20 needed\n')
    expect(r.stderr).toContain('--force --reason')
    expect(await read()).toBe(snapshots[1])

    const force = await cli('promote', 'get-order', '--force')
    expect(force.code).toBe(2)
    expect(force.stderr).toContain('--force needs --reason TEXT')
    expect(await read()).toBe(snapshots[1])
    expect(await audit()).toHaveLength(1)
  })

  it('with enough pairs: --dry-run shows the flip and the diff and writes nothing; then canary 10, 50, migrated', async () => {
    await send('/api/orders/{n}', 20)
    await recordsOf('get-order', 25)

    const dry = await cli('promote', 'get-order', '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('get-order: shadowing → canary (orders 10%, legacy 90%, shadow orders) · parity 100% over 25 pairs in the last 24h · dry run: nothing written\n')
    expect(dry.stdout).toContain('-    serve: legacy               # the monolith answers today\n+    serve: { orders: 10, legacy: 90 }               # the monolith answers today\n')
    expect(await read()).toBe(snapshots[1])
    expect(await audit()).toHaveLength(1)

    const canary = await cli('promote', 'get-order')
    expect(canary.code).toBe(0)
    expect(canary.stdout).toMatch(/^get-order: shadowing → canary \(orders 10%, legacy 90%, shadow orders\) · parity 100% over 25 pairs in the last 24h · audit [0-9a-f]{12}\n/)
    snapshots.push(await read())
    await intact(snapshots[2]!, snapshots[1]!, 'get-order')

    const fifty = await cli('promote', 'get-order', '--weight', '50', '--by', 'ana')
    expect(fifty.code).toBe(0)
    expect(fifty.stdout).toMatch(/^get-order: canary → canary \(orders 50%, legacy 50%, shadow orders\) · parity 100% over 25 pairs/)
    snapshots.push(await read())
    expect(snapshots[3]).toContain('    serve: { orders: 50, legacy: 50 }               # the monolith answers today\n    shadow: orders\n')

    const migrated = await cli('promote', 'get-order', '--by', 'ana', '--reason', 'parity held for a day')
    expect(migrated.code).toBe(0)
    expect(migrated.stdout).toMatch(/^get-order: canary → migrated \(serve orders\) · parity 100% over \d+ pairs/)
    snapshots.push(await read())
    await intact(snapshots[4]!, snapshots[3]!, 'get-order')
    expect(snapshots[4]).toContain('    serve: orders               # the monolith answers today\n\n  - { name: list-orders')
  })

  it('the serving proxy picks up the flip by reload: get-order is answered by the new service', async () => {
    await proxyAt('get-order', 'migrated')
    const res = await fetch(`http://127.0.0.1:${serve.port}/api/orders/7`)
    expect(res.headers.get('x-served-by')).toBe('orders')
    expect((await res.json() as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/)
    const other = await fetch(`http://127.0.0.1:${serve.port}/api/orders`)
    expect(other.headers.get('x-served-by')).toBe('legacy')
    await other.arrayBuffer()
  })

  it('migrated → verifying (reverse shadow, no gates); verifying is the last stage', async () => {
    const r = await cli('promote', 'get-order', '--by', 'ana')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^get-order: migrated → verifying \(serve orders, shadow legacy\) · audit [0-9a-f]{12}\n/)
    snapshots.push(await read())
    await intact(snapshots[5]!, snapshots[4]!, 'get-order')

    const last = await cli('promote', 'get-order')
    expect(last.code).toBe(1)
    expect(last.stderr).toContain('PROMOTE_NO_NEXT_STAGE: get-order is verifying (serve orders, shadow legacy), the last stage')
    expect(await read()).toBe(snapshots[5])
  })

  it('the audit log tells the whole story: who, from, to, evidence, reason, and a chain of file hashes', async () => {
    const log = await audit()
    const file = await realpath(rulesFile)
    expect(log.map((e) => `${e.action} ${e.from.stage} → ${e.to.stage}`)).toEqual([
      'promote legacy → shadowing',
      'promote shadowing → canary',
      'promote canary → canary',
      'promote canary → migrated',
      'promote migrated → verifying'
    ])
    expect(log.map((e) => e.by)).toEqual(['ana', userInfo().username, 'ana', 'ana', 'ana'])
    expect(log.map((e) => e.reason)).toEqual(['start comparing', null, null, 'parity held for a day', null])
    expect(log.map((e) => e.forced)).toEqual([false, false, false, false, false])
    log.forEach((e, i) => {
      expect(e.route).toBe('get-order')
      expect(e.file).toBe(file)
      expect(e.hashBefore).toBe(sha(snapshots[i]!))
      expect(e.hashAfter).toBe(sha(snapshots[i + 1]!))
      if (i > 0) expect(e.hashBefore).toBe(log[i - 1]!.hashAfter)
      expect(snapshots[i]).toContain(e.routeBefore)
    })
    expect(log[1]!.to).toEqual({ stage: 'canary', serve: { orders: 10, legacy: 90 }, shadow: 'orders' })
    expect(log[0]!.evidence).toBeNull()
    expect(log[4]!.evidence).toBeNull()
    for (const e of log.slice(1, 4)) {
      expect(e.evidence).toMatchObject({ compared: expect.any(Number), parity: 1, errors: 0, failed: [], gates: { minPairs: 20, parity: 0.999, maxShadowErrors: 0.001, windowMs: 86_400_000 } })
      expect(e.evidence!.pairs).toBeGreaterThanOrEqual(25)
    }
  })

  it('rollback restores the exact previous bytes, twice in a row goes back two flips, and is audited', async () => {
    const first = await cli('rollback', 'get-order', '--by', 'ana', '--reason', 'reverse shadow not needed yet')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^get-order: verifying → migrated \(serve orders\) · undoes promote [0-9a-f]{12} \(migrated → verifying, by ana at .*\) · audit [0-9a-f]{12}\n/)
    expect(await read()).toBe(snapshots[4])

    const second = await cli('rollback', 'get-order', '--by', 'ana')
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('get-order: migrated → canary (orders 50%, legacy 50%, shadow orders) · undoes promote')
    expect(await read()).toBe(snapshots[3])
    await proxyAt('get-order', 'canary')

    const log = await audit()
    const [a, b] = log.slice(-2)
    expect(a).toMatchObject({ action: 'rollback', undoes: log[4]!.id, from: { stage: 'verifying' }, to: { stage: 'migrated' }, evidence: null, forced: false, reason: 'reverse shadow not needed yet', hashBefore: sha(snapshots[5]!), hashAfter: sha(snapshots[4]!) })
    expect(b).toMatchObject({ action: 'rollback', undoes: log[3]!.id, hashBefore: a!.hashAfter, hashAfter: sha(snapshots[3]!) })
  })

  it('refuses to roll back a route edited by hand since, saying what differs, unless --force --reason', async () => {
    const edited = snapshots[3]!.replace('    shadow: orders\n', '    shadow: orders\n    compare: { ignore: ["$.status"] }   # added by hand\n')
    await writeFile(rulesFile, edited)
    const refused = await cli('rollback', 'get-order')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('ROLLBACK_ROUTE_EDITED: get-order was edited since promote')
    expect(refused.stderr).toContain('  compare was added\n')
    expect(await read()).toBe(edited)

    const forced = await cli('rollback', 'get-order', '--force', '--reason', 'the ignore goes in a PR of its own')
    expect(forced.code).toBe(0)
    expect(await read()).toBe(snapshots[2])
    expect((await audit()).at(-1)).toMatchObject({ action: 'rollback', forced: true, reason: 'the ignore goes in a PR of its own', hashBefore: sha(edited) })
  })

  it('--force --reason goes past a failing gate and the audit log keeps the figures; flow routes keep their line', async () => {
    const shadow = await cli('promote', 'list-orders', '--shadow', 'orders', '--by', 'ana')
    expect(shadow.code).toBe(0)
    const before = await read()
    expect(before).toContain('  - { name: list-orders, match: { method: GET, path: /api/orders }, serve: legacy, shadow: orders }   # next in line\n')

    const r = await cli('promote', 'list-orders', '--force', '--reason', 'pilot for tenant acme', '--by', 'ana')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^list-orders: shadowing → canary \(orders 10%, legacy 90%, shadow orders\) · nothing compared \(0 pairs in the last 24h\) · forced past minPairs: 0 pairs in the last 24h, 20 needed · audit /)
    const after = await read()
    expect(after).toContain('  - { name: list-orders, match: { method: GET, path: /api/orders }, serve: { orders: 10, legacy: 90 }, shadow: orders }   # next in line\n')
    await intact(after, before, 'list-orders')
    expect((await audit()).at(-1)).toMatchObject({ route: 'list-orders', forced: true, reason: 'pilot for tenant acme', evidence: { pairs: 0, failed: ['minPairs'] } })
  })

  it('answers an unknown route with close names (exit 2) and a route never flipped with ROLLBACK_NOTHING (exit 1)', async () => {
    const typo = await cli('promote', 'get-ordr', '--shadow', 'orders')
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('PROMOTE_UNKNOWN_ROUTE: no route "get-ordr" in')
    expect(typo.stderr).toContain('close names: get-order')

    const nothing = await cli('rollback', 'health')
    expect(nothing.code).toBe(1)
    expect(nothing.stderr).toContain('ROLLBACK_NOTHING: the audit log (beside')
    expect(nothing.stderr).toContain('has no flip of health in')
  })
})
