import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pino } from 'pino'
import { startProxy, type RunningProxy } from '../../src/app/start-proxy.js'
import { startEchoUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { runCli } from '../helpers/cli.js'
import { adminQuery, createTestDatabase, databaseOf, postgresReachable } from '../helpers/postgres.js'

const reachable = await postgresReachable()

describe.skipIf(!reachable)('a fleet on one PostgreSQL store', async () => {
  const url = reachable ? await createTestDatabase() : ''
  const upstreams: FakeUpstream[] = []
  const proxies: RunningProxy[] = []
  const dir = await mkdtemp(join(tmpdir(), 'strangler-fleet-'))
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()))
    await Promise.all(upstreams.map((u) => u.close()))
    await rm(dir, { recursive: true, force: true })
  })

  async function rulesFile (): Promise<string> {
    const legacy = await startEchoUpstream('legacy')
    const orders = await startEchoUpstream('orders')
    upstreams.push(legacy, orders)
    const file = join(dir, 'rules.yaml')
    await writeFile(file, `version: 1
upstreams:
  legacy: { url: ${legacy.url} }
  orders: { url: ${orders.url} }
serve: legacy
routes:
  - name: list-orders
    match: { path: "/api/orders" }
    serve: legacy
    shadow: orders
  - name: get-order
    match: { path: "/api/orders/{id}" }
    serve: legacy
`)
    return file
  }

  const start = async (file: string): Promise<RunningProxy> => {
    const p = await startProxy({ port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }), watch: false, rulesFile: file, storeDir: url })
    proxies.push(p)
    return p
  }

  it('two proxies write to one database; one report (a real CLI process) covers both; a database cut mid-run changes no answer', async () => {
    const file = await rulesFile()
    const [a, b] = [await start(file), await start(file)]
    const get = async (p: RunningProxy, i: number): Promise<number> => (await fetch(`${p.url}/api/orders?i=${i}`)).status
    for (let i = 0; i < 10; i++) expect(await get(i % 2 === 0 ? a : b, i)).toBe(200)
    await Promise.all([a.settled(), b.settled()])
    await Promise.all([a.store.flush(), b.store.flush()])
    expect(a.store.stats()).toMatchObject({ appended: 5, written: 5 })
    expect(b.store.stats()).toMatchObject({ appended: 5, written: 5 })

    const report = await runCli(['report', '--store', url, '--format', 'json'], { cwd: dir })
    expect(report.stderr).toBe('')
    expect(report.code).toBe(0)
    const parsed = JSON.parse(report.stdout) as { routes: Array<{ route: string; compared: number }> }
    expect(parsed.routes.map((r) => [r.route, r.compared])).toEqual([['list-orders', 10]])

    // the database refuses connections and loses the open ones: every answer is still 200, the records wait and are counted
    const db = databaseOf(url)
    await adminQuery(`ALTER DATABASE ${db} ALLOW_CONNECTIONS false`)
    try {
      await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}'`)
      for (let i = 10; i < 20; i++) expect(await get(i % 2 === 0 ? a : b, i)).toBe(200)
      await Promise.all([a.settled(), b.settled()])
      await Promise.all([a.store.flush(), b.store.flush()])
      expect(a.store.stats()).toMatchObject({ appended: 10, written: 5, buffered: 5, dropped: 0 })
      expect(a.store.stats().errors).toBeGreaterThan(0)
    } finally {
      await adminQuery(`ALTER DATABASE ${db} ALLOW_CONNECTIONS true`)
    }
    // back: the timer writes what waited; nothing was lost, as the counters said
    await expect.poll(() => a.store.stats().written + b.store.stats().written, { timeout: 10_000 }).toBe(20)
    const after = await runCli(['report', '--store', url, '--format', 'json'], { cwd: dir })
    expect(after.code).toBe(0)
    expect((JSON.parse(after.stdout) as { routes: Array<{ compared: number }> }).routes[0]!.compared).toBe(20)
  })

  it('show, status, promote and rollback take the database: the audit log is in it', async () => {
    const file = await rulesFile()
    const p = await start(file)
    expect((await fetch(`${p.url}/api/orders?i=1`)).status).toBe(200)
    await p.settled()
    await p.store.flush()
    let id = ''
    for await (const r of p.store.read()) id = r.id
    const show = await runCli(['show', id, '--store', url], { cwd: dir })
    expect(show.stderr).toBe('')
    expect(show.code).toBe(0)
    expect(show.stdout).toContain(id)

    const promote = await runCli(['promote', 'get-order', '--shadow', 'orders', '--by', 'ana', '--rules', file, '--store', url], { cwd: dir })
    expect(promote.stderr).toBe('')
    expect(promote.code).toBe(0)
    const status = await runCli(['status', '--rules', file, '--store', url, '--format', 'json'], { cwd: dir })
    expect(status.stderr).toBe('')
    expect(status.code).toBe(0)
    expect(status.stdout).toContain('get-order')
    const rollback = await runCli(['rollback', 'get-order', '--by', 'ana', '--rules', file, '--store', url], { cwd: dir })
    expect(rollback.stderr).toBe('')
    expect(rollback.code).toBe(0)
    const actions: string[] = []
    for await (const e of p.store.readAudit({ route: 'get-order' })) actions.push(`${e.action} by ${e.by}`)
    expect(actions).toEqual(['promote by ana', 'rollback by ana'])
  })

  it('serve refuses to start on a database it cannot reach, naming the URL without its password', async () => {
    const file = await rulesFile()
    const res = await runCli(['serve', '--rules', file, '--port', '0', '--store', 'postgres://strangler:hunter2-secret@127.0.0.1:1/nope'], { cwd: dir })
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('STORE_UNWRITABLE')
    expect(res.stderr).toContain('postgres://strangler:***@127.0.0.1:1/nope')
    expect(res.stderr + res.stdout).not.toContain('hunter2-secret')
  })
})
