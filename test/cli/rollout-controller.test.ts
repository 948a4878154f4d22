import { afterEach, describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { spawn } from 'node:child_process'
import { BIN, runCli } from '../helpers/cli.js'
import type { Handler } from '../helpers/upstream.js'
import { runRollout } from '../../src/cli/run-rollout.js'
import { loadRulesText } from '../../src/config/load.js'
import type { Rules } from '../../src/config/types.js'
import { openStore } from '../../src/store/open-store.js'
import type { AuditEntry } from '../../src/store/audit-entry.js'

let fixture: ProxyFixture | null = null
afterEach(async () => { await fixture?.close(); fixture = null })

const MIN = 60_000

/**
 * An orders service with ids of its own: the order with id N is the same
 * order on both sides (so the shadow compares equal), each side answering
 * from its own table. The new one answers 500 while `failing.on`.
 */
function ordersService (name: string, failing = { on: false }): Handler {
  const orders = new Map<string, { id: string; item: string; total: number }>()
  return (req, res) => {
    const id = /^\/api\/orders\/(\d+)$/.exec(req.url ?? '')?.[1]
    res.setHeader('content-type', 'application/json')
    res.setHeader('x-served-by', name)
    if (failing.on) {
      res.statusCode = 500
      res.end(JSON.stringify({ error: 'database unavailable' }))
      return
    }
    if (id === undefined) { res.statusCode = 404; res.end('{}'); return }
    let order = orders.get(id)
    if (order === undefined) {
      order = { id, item: `item-${Number(id) % 7}`, total: Number(id) * 3 }
      orders.set(id, order)
    }
    res.end(JSON.stringify(order))
  }
}

const RULES = `
serve: legacy
# low gates: a test has little traffic
gates: { minPairs: 20, window: 1h }
routes:
  # GET one order: moving to the new orders service
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: legacy
    shadow: orders   # compared while legacy serves
    rollout: { to: orders, steps: [10, 50, 100], every: 30m, rollbackOn: { errorRate: 0.05 } }

  - name: health
    match: { path: /health }
    serve: legacy
`

/** `n` requests through the proxy; how many each side served */
async function traffic (proxy: TestProxy, n: number, from = 0): Promise<Record<string, number>> {
  const served: Record<string, number> = {}
  for (let i = 0; i < n; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, n - i) }, async (_, k) => {
      const res = await fetch(`${proxy.url}/api/orders/${from + i + k}`)
      await res.arrayBuffer()
      const by = `${res.headers.get('x-served-by')} ${res.status}`
      served[by] = (served[by] ?? 0) + 1
    }))
  }
  return served
}

/** Everything the proxy has counted and recorded so far, on disk for the controller's own store to read. */
async function writeOut (proxy: TestProxy): Promise<void> {
  await proxy.settled()
  proxy.rollups.flush()
  await proxy.store.flush()
}

/** Resolves once the proxy runs rules where `check` holds (it reloads the file on change). */
async function reloaded (proxy: TestProxy, check: (rules: Rules) => boolean): Promise<void> {
  if (check(proxy.live.table.rules)) return
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the proxy did not reload the edited rules')), 10_000)
    proxy.live.onSwap((next) => { if (check(next.rules)) { clearTimeout(timer); resolve() } })
  })
}

const serveOf = (rules: Rules): unknown => {
  const s = rules.routes.find((r) => r.name === 'get-order')!.serve
  return s.kind === 'single' ? s.upstream : Object.fromEntries(s.targets.map((t) => [t.upstream, t.weight]))
}

async function auditOf (storeDir: string): Promise<AuditEntry[]> {
  const store = openStore(storeDir)
  const out: AuditEntry[] = []
  for await (const e of store.readAudit()) out.push(e)
  await store.close()
  return out
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

describe('strangler rollout', () => {
  it('advances the steps as `every` passes and parity holds, then rolls back at once and halts when the new side answers 500s', async () => {
    const failing = { on: false }
    fixture = await startProxyFixture({ upstreams: { legacy: ordersService('legacy'), orders: ordersService('orders', failing) } })
    const t0 = Math.floor(Date.now() / MIN) * MIN
    let clock = t0
    const proxy = await fixture.start(RULES, { store: 'disk', watch: true, clock: () => clock, rollupIntervalMs: 3_600_000 })
    const original = await readFile(proxy.rulesFile, 'utf8')

    // shadowing: legacy answers, orders is compared
    expect(await traffic(proxy, 30)).toEqual({ 'legacy 200': 30 })
    await writeOut(proxy)

    const lines: string[] = []
    const io = { stdout: (s: string) => { lines.push(s) }, stderr: (s: string) => { lines.push(`ERR ${s}`) } }
    const stop = new AbortController()
    const splits: Array<Record<string, number>> = []
    // what happens between the controller's ticks, on the simulated clock
    const phases: Array<() => Promise<void>> = [
      async () => {
        // after tick 1 (t0): the step to 10% is in the file and the proxy runs it
        await reloaded(proxy, (r) => JSON.stringify(serveOf(r)) === '{"orders":10,"legacy":90}')
        clock = t0 + 10 * MIN
      },
      async () => {
        // after tick 2 (t0+10m, too early for the next step): canary traffic just before `every` has passed
        clock = t0 + 30 * MIN + 30_000
        proxy.rollups.flush()
        splits.push(await traffic(proxy, 400, 1000))
        clock = t0 + 31 * MIN
        await writeOut(proxy)
      },
      async () => {
        // after tick 3 (t0+31m): 50%; then the new side starts failing
        await reloaded(proxy, (r) => JSON.stringify(serveOf(r)) === '{"orders":50,"legacy":50}')
        clock = t0 + 31 * MIN + 30_000
        proxy.rollups.flush()
        failing.on = true
        splits.push(await traffic(proxy, 100, 2000))
        clock = t0 + 32 * MIN
        await writeOut(proxy)
      },
      async () => {
        // after tick 4 (t0+32m): rolled back; every request is the legacy's again
        await reloaded(proxy, (r) => serveOf(r) === 'legacy')
        splits.push(await traffic(proxy, 50, 3000))
        clock = t0 + 33 * MIN
      },
      async () => { stop.abort() }
    ]
    const code = await runRollout({ rules: proxy.rulesFile, store: proxy.storeDir, interval: '1m' }, io, {
      now: () => new Date(clock),
      sleep: async () => { await phases.shift()!() },
      signal: stop.signal
    })
    expect(code).toBe(0)
    expect(phases).toHaveLength(0)

    // the requests were really split as the file said
    const [canary, failingSplit, after] = splits
    expect(canary!['orders 200']).toBeGreaterThanOrEqual(20)
    expect(canary!['orders 200']).toBeLessThanOrEqual(80)
    expect(canary!['legacy 200']).toBe(400 - canary!['orders 200']!)
    expect(failingSplit!['orders 500']).toBeGreaterThan(20)
    expect(after).toEqual({ 'legacy 200': 50 })

    const out = lines.join('')
    const at = (ms: number): string => new Date(t0 + ms).toISOString()
    expect(out).toContain(`${at(0)} get-order: step orders 0% → 10% (gates hold): now orders 10%, legacy 90%, shadow orders (audit `)
    expect(out).toContain(`${at(10 * MIN)} get-order: waiting: next step (orders 50%) at ${at(30 * MIN)}: every 30m since the step to 10% at ${at(0)}`)
    expect(out).toContain(`${at(31 * MIN)} get-order: step orders 10% → 50% (gates hold): now orders 50%, legacy 50%, shadow orders (audit `)
    expect(out).toMatch(new RegExp(`${at(32 * MIN)} get-order: roll back \\(errorRate \\d+(\\.\\d+)?% > 5% over \\d+ requests of orders\\): now serve legacy, shadow orders; rollout halted until edited`))
    expect(out).toContain(`${at(33 * MIN)} get-order: halted: ${at(32 * MIN)} rolled back: errorRate`)
    // the other route has no rollout: never mentioned
    expect(out).not.toContain('health:')
    expect(out).not.toContain('ERR')

    // the file: routing back to where it was before the rollout, halted written, comments and layout kept
    const final = await readFile(proxy.rulesFile, 'utf8')
    const loaded = loadRulesText(final, proxy.rulesFile)
    expect(loaded.ok).toBe(true)
    const route = loaded.ok ? loaded.rules.routes[0]! : null
    expect(route!.rollout!.halted).toMatch(new RegExp(`^${at(32 * MIN).replace(/\./g, '\\.')} rolled back: errorRate \\d+(\\.\\d+)?% > 5% over \\d+ requests of orders$`))
    expect(final).toContain('# GET one order: moving to the new orders service')
    expect(final).toContain('    shadow: orders   # compared while legacy serves')
    expect(final.replace(/, halted: [^}]*\}/, ' }')).toBe(original)

    // the audit log tells the story
    const audit = await auditOf(proxy.storeDir)
    expect(audit.map((e) => [e.action, e.by, e.route, JSON.stringify(e.from.serve), JSON.stringify(e.to.serve), e.to.shadow, e.at])).toEqual([
      ['rollout-step', 'strangler rollout', 'get-order', '"legacy"', '{"orders":10,"legacy":90}', 'orders', at(0)],
      ['rollout-step', 'strangler rollout', 'get-order', '{"orders":10,"legacy":90}', '{"orders":50,"legacy":50}', 'orders', at(31 * MIN)],
      ['rollout-rollback', 'strangler rollout', 'get-order', '{"orders":50,"legacy":50}', '"legacy"', 'orders', at(32 * MIN)]
    ])
    expect(audit.map((e) => [e.from.stage, e.to.stage])).toEqual([['shadowing', 'canary'], ['canary', 'canary'], ['canary', 'shadowing']])
    expect(audit[0]!.evidence).toMatchObject({ pairs: 30, parity: 1, failed: [], served: { weight: 0, requests: 0 } })
    expect(audit[1]!.evidence!.served).toMatchObject({ weight: 10, requests: canary!['orders 200'], failed: 0, errorRate: 0 })
    expect(audit[2]!.evidence!.failed).toContain('errorRate')
    expect(audit[2]!.evidence!.served!.errorRate).toBeGreaterThan(0.05)
    expect(audit[2]!.reason).toMatch(/^errorRate /)
    // hashes chain from the original file to the final one; the first entry kept the route as it was
    expect(audit[0]!.hashBefore).toBe(sha256(original))
    expect(audit[1]!.hashBefore).toBe(audit[0]!.hashAfter)
    expect(audit[2]!.hashBefore).toBe(audit[1]!.hashAfter)
    expect(audit[2]!.hashAfter).toBe(sha256(final))
    expect(original).toContain(audit[0]!.routeBefore)
    expect(audit[0]!.routeBefore).toMatch(/^name: get-order\n[\s\S]*rollout: \{ to: orders/)
  })

  it('with --dry-run prints the step and writes nothing; with --once (the real CLI) takes it and exits', async () => {
    fixture = await startProxyFixture({ upstreams: { legacy: ordersService('legacy'), orders: ordersService('orders') } })
    const proxy = await fixture.start(RULES, { store: 'disk' })
    await traffic(proxy, 30)
    await writeOut(proxy)
    const before = await readFile(proxy.rulesFile, 'utf8')

    const lines: string[] = []
    const io = { stdout: (s: string) => { lines.push(s) }, stderr: (s: string) => { lines.push(`ERR ${s}`) } }
    expect(await runRollout({ rules: proxy.rulesFile, store: proxy.storeDir, once: true, dryRun: true }, io)).toBe(0)
    expect(lines.join('')).toMatch(/ get-order: would step orders 0% → 10% \(gates hold\): now orders 10%, legacy 90%, shadow orders \(dry run: nothing written\)\n$/)
    expect(await readFile(proxy.rulesFile, 'utf8')).toBe(before)
    expect(await auditOf(proxy.storeDir)).toEqual([])

    const res = await runCli(['rollout', '--rules', proxy.rulesFile, '--store', proxy.storeDir, '--once', '--by', 'ci-job'])
    expect(res.stderr).toBe('')
    expect(res.stdout).toMatch(/ get-order: step orders 0% → 10% \(gates hold\): now orders 10%, legacy 90%, shadow orders \(audit [0-9a-f]+\)\n$/)
    expect(res.code).toBe(0)
    const after = await readFile(proxy.rulesFile, 'utf8')
    expect(after).toBe(before.replace('    serve: legacy\n    shadow: orders', '    serve: { orders: 10, legacy: 90 }\n    shadow: orders'))
    const audit = await auditOf(proxy.storeDir)
    expect(audit.map((e) => [e.action, e.by])).toEqual([['rollout-step', 'ci-job']])

    // the next tick, at once: `every` has not passed
    const again = await runCli(['rollout', '--rules', proxy.rulesFile, '--store', proxy.storeDir, '--once'])
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/ get-order: waiting: next step \(orders 50%\) at .*: every 30m since the step to 10% at /)
    expect(await readFile(proxy.rulesFile, 'utf8')).toBe(after)
  })

  it('refuses a bad --interval (exit 2) and exits 1 with --once on an invalid rules file, naming the problem', async () => {
    fixture = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' } })
    const file = await fixture.writeRules(RULES.replace('steps: [10, 50, 100]', 'steps: [50, 10]'))
    const bad = await runCli(['rollout', '--rules', file, '--store', `${fixture.dir}/diffs`, '--interval', '10'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--interval "10": duration "10" has no unit/)
    const invalid = await runCli(['rollout', '--rules', file, '--store', `${fixture.dir}/diffs`, '--once'])
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toMatch(/has errors; nothing done until it is fixed:\n.*rules\.yaml:\d+:\d+.*rollout steps go up: 10 follows 50/)
  })

  it('runs until SIGTERM, then stops cleanly (exit 0)', async () => {
    fixture = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' } })
    const file = await fixture.writeRules(RULES)
    const child = spawn(process.execPath, [BIN, 'rollout', '--rules', file, '--store', `${fixture.dir}/diffs`, '--interval', '1h'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no first tick: ${out}`)), 15_000)
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString()
        // the first tick has run: too few pairs for the first step
        if (out.includes('get-order: waiting: gates: minPairs: 0 pairs in the last 1h, 20 needed')) { clearTimeout(timer); resolve() }
      })
      child.stderr.on('data', (c: Buffer) => { out += c.toString() })
    })
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(out).toMatch(/^strangler rollout: watching the rollouts of .* every 1h \(store .*\)\n/)
    expect(out).toMatch(/strangler rollout: stopped\n$/)
  })
})
