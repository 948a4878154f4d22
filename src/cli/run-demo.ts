import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'
import { pino } from 'pino'
import { startProxy } from '../app/start-proxy.js'
import { runReport } from './run-report.js'
import { runStatus } from './run-status.js'
import { runPromote } from './run-promote.js'
import type { CliIo } from './io.js'
import { startMonolith, startNewService, type RunningService } from './demo/demo-services.js'
import { ProgressBar } from './demo/progress-bar.js'
import { articlesMonolithApp, startArticlesRewrite } from './demo/articles-services.js'
import { runArticlesFlow } from './demo/articles-flow.js'
import { isRecordFileName } from '../store/file-name.js'

export interface DemoOptions {
  /** where rules, records and the HTML report go; a fresh temp dir by default */
  readonly dir?: string
  /** requests to send to the orders routes (default 450) */
  readonly requests?: number
  /** users who each run the blog flow, 9 requests each (default 10) */
  readonly blogUsers?: number
  /** draw a live progress bar (default: when stderr is a terminal) */
  readonly tty?: boolean
}

export const DEMO_RULES = fileURLToPath(new URL('../../rules/demo.yaml', import.meta.url))

/** requests in one blog flow (runArticlesFlow without checkGone) */
const BLOG_FLOW_REQUESTS = 9

interface Call { readonly path: string; readonly headers: Record<string, string> }

/** The traffic of the demo: mostly reads over the six routes, interleaved. */
function plan (n: number): Call[] {
  const calls: Call[] = []
  for (let i = 0; calls.length < n; i++) {
    const k = i % 18
    if (k < 5) calls.push({ path: `/api/orders?page=${(i % 15) + 1}`, headers: {} })
    else if (k < 6) calls.push({ path: `/api/invoices/${(i % 60) + 1}`, headers: {} })
    else if (k < 12) calls.push({ path: `/api/orders/${(i % 150) + 1}`, headers: { 'x-user-id': `user-${i % 60}` } })
    else if (k < 16) calls.push({ path: `/api/customers/${(i % 100) + 1}`, headers: {} })
    else if (k < 17) calls.push({ path: `/api/users/${(i % 25) + 1}`, headers: {} })
    else calls.push({ path: `/api/catalog/${(i % 25) + 1}`, headers: {} })
  }
  return calls
}

/**
 * `strangler demo`: a sample monolith, a sample new service and the proxy on
 * free loopback ports; a few hundred requests with a progress bar; then the
 * parity report, and where the HTML report and the records were written.
 * Everything it started is stopped before it returns.
 */
export async function runDemo (opts: DemoOptions, io: CliIo): Promise<number> {
  const dir = resolve(opts.dir ?? await mkdtemp(join(tmpdir(), 'strangler-demo-')))
  await mkdir(dir, { recursive: true })
  const storeDir = join(dir, 'diffs')
  const rulesFile = join(dir, 'rules.yaml')
  const htmlFile = join(dir, 'report.html')
  // a --dir used before: its records would be counted again in this run's report
  const cleared = await clearEarlierRecords(storeDir)
  if (typeof cleared === 'string') {
    io.stderr(`strangler demo: ${cleared}\n`)
    return 1
  }
  // the audit log of an earlier run speaks of a rules file this run writes anew
  await rm(join(dir, 'audit.ndjson'), { force: true })
  const services: RunningService[] = []
  let proxy: Awaited<ReturnType<typeof startProxy>> | null = null
  try {
    // the monolith answers /blog with its articles module; the blog's rewrite is a service of its own
    const legacy = await startMonolith(await articlesMonolithApp({ prefix: '/blog' }))
    services.push(legacy)
    const orders = await startNewService()
    services.push(orders)
    const blog = await startArticlesRewrite({ prefix: '/blog' })
    services.push(blog)

    const doc = parseDocument(await readFile(DEMO_RULES, 'utf8'))
    doc.setIn(['upstreams', 'legacy', 'url'], legacy.url)
    doc.setIn(['upstreams', 'orders', 'url'], orders.url)
    doc.setIn(['upstreams', 'blog', 'url'], blog.url)
    await writeFile(rulesFile, doc.toString())

    proxy = await startProxy({ rulesFile, port: 0, host: '127.0.0.1', storeDir, logger: pino({ level: 'silent' }), watch: false })
    io.stderr(`strangler demo\n  monolith     ${legacy.url}\n  new service  ${orders.url}\n  blog rewrite ${blog.url}\n  proxy        ${proxy.url}\n  rules        ${rulesFile}\n`)
    if (cleared > 0) io.stderr(`  records      ${storeDir}: the ${cleared} file${cleared === 1 ? '' : 's'} of an earlier demo run removed, this run starts from an empty store\n`)
    io.stderr('\n')

    const calls = plan(opts.requests ?? 450)
    const blogUsers = opts.blogUsers ?? 10
    const bar = new ProgressBar(calls.length + blogUsers * BLOG_FLOW_REQUESTS, io.stderr, opts.tty ?? process.stderr.isTTY === true)
    let done = 0
    let clientErrors = 0
    let next = 0
    const base = proxy.url
    const worker = async (): Promise<void> => {
      while (next < calls.length) {
        const call = calls[next++]!
        const res = await fetch(base + call.path, { headers: call.headers })
        await res.arrayBuffer()
        if (res.status >= 400) clientErrors++
        done++
        bar.update(done, 'through the proxy')
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    // the blog: users who log in and write, each answered by the monolith, each mirrored to the rewrite
    let nextUser = 0
    const blogWorker = async (): Promise<void> => {
      while (nextUser < blogUsers) {
        const i = nextUser++
        const statuses = await runArticlesFlow(base, { username: `writer${i}`, email: `writer${i}@example.com`, password: `secret-${i}` }, { prefix: '/blog' })
        for (const status of statuses) {
          if (status >= 400) clientErrors++
          done++
        }
        bar.update(done, 'through the proxy')
      }
    }
    await Promise.all(Array.from({ length: 4 }, blogWorker))
    await proxy.settled()
    await proxy.store.flush()
    io.stderr(`\n  ${done} requests, ${clientErrors} answered with an error to the client\n\n`)

    const code = await runReport({ store: storeDir, format: 'text' }, io)
    await runReport({ store: storeDir, format: 'html', out: htmlFile }, { stdout: () => {}, stderr: io.stderr })

    // where every route stands, and the flip of the route the evidence says is ready
    io.stdout('\n')
    const flipped = await statusAndPromote(rulesFile, storeDir, io)
    if (flipped !== null) {
      // the proxy reloads the edited file; one request shows who answers now
      const reloaded = await proxy.reloader.reload('demo promote')
      const live = proxy.live.table.rules.routes.find((r) => r.name === flipped)
      const serving = live === undefined ? '' : live.serve.kind === 'single' ? live.serve.upstream : live.serve.targets.map((t) => `${t.upstream} ${t.weight}`).join(' · ')
      io.stdout(reloaded.ok ? `\nThe proxy reloaded ${rulesFile}: ${flipped} now serves ${serving}.\n` : `\nThe proxy kept its rules: the edited file did not load.\n`)
    }

    io.stdout(`\nHTML report: ${htmlFile}\nRecords:     ${storeDir}\nAudit log:   ${join(dir, 'audit.ndjson')}\nRules:       ${rulesFile}\n`)
    io.stdout(`Next: npx strangler status --rules ${rulesFile} --store ${storeDir}\n`)
    if (flipped !== null) io.stdout(`      npx strangler rollback ${flipped} --rules ${rulesFile} --store ${storeDir}\n`)
    io.stdout(`      npx strangler report --store ${storeDir} --format md\n`)
    io.stdout(`      npx strangler suggest --rules ${rulesFile} --store ${storeDir}\n`)
    return code
  } finally {
    if (proxy !== null) await proxy.close()
    await Promise.all(services.map(async (s) => { await s.close() }))
  }
}

/**
 * The status board's headline and table (its per-route details are left to
 * `strangler status`), then `promote` of the first route whose gates hold
 * and whose next step is a promotion; its name, or null when none is ready.
 */
async function statusAndPromote (rules: string, store: string, io: CliIo): Promise<string | null> {
  let json = ''
  await runStatus({ rules, store, format: 'json' }, { stdout: (s) => { json += s }, stderr: io.stderr })
  let text = ''
  await runStatus({ rules, store, format: 'text' }, { stdout: (s) => { text += s }, stderr: io.stderr })
  const details = text.indexOf('\n── ')
  io.stdout((details === -1 ? text : text.slice(0, details + 1)).trimEnd() + '\n\n')
  const board = JSON.parse(json) as { routes: Array<{ route: string; verdict: string; next: { action: string } | null }> }
  const ready = board.routes.find((r) => r.verdict === 'ready' && r.next?.action === 'promote')
  if (ready === undefined) {
    io.stdout('No route is ready to flip yet: the board above says what holds each one back.\n')
    return null
  }
  io.stdout(`$ strangler promote ${ready.route} --rules ${rules} --store ${store}\n`)
  const code = await runPromote({ route: ready.route, rules, store, by: 'strangler demo', reason: 'the demo: its gates hold' }, io)
  return code === 0 ? ready.route : null
}

/**
 * Empty the demo's store folder of an earlier run's record files; the number
 * removed. A folder holding anything else is not the demo's: left as it is,
 * and the reason returned.
 */
/** the store's own subfolders (kept pairs, rollups of served requests): record files too */
const SUBFOLDERS = ['pairs', 'rollups']

async function clearEarlierRecords (storeDir: string): Promise<number | string> {
  let names: string[]
  try {
    names = await readdir(storeDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
    return `cannot read ${storeDir}: ${(err as Error).message}`
  }
  const other = names.filter(n => !SUBFOLDERS.includes(n) && !isRecordFileName(n))
  let files = names.length
  for (const sub of SUBFOLDERS.filter(n => names.includes(n))) {
    const inside = await readdir(join(storeDir, sub)).catch(() => [] as string[])
    other.push(...inside.filter(n => !isRecordFileName(n)).map(n => `${sub}/${n}`))
    files += inside.length - 1
  }
  if (other.length > 0) return `${storeDir} holds files that are not demo records (${other.slice(0, 3).join(', ')}${other.length > 3 ? ', …' : ''}); pass another --dir`
  await Promise.all(names.map(async n => { await rm(join(storeDir, n), { recursive: SUBFOLDERS.includes(n) }) }))
  return files
}
