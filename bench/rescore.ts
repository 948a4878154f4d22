/**
 * `npx tsx bench/rescore.ts [records] [pairs]`: `strangler report --rules`
 * re-scoring stored data without new traffic. Writes a temp NDJSON store of
 * `records` diff records (default 100,000, one hour, 12 routes) of which
 * `pairs` (default 10,000) are mismatches with a kept pair in `pairs/` (the
 * request and both responses, 1-2 KB JSON bodies, StoredPair as serve keeps
 * them; their records' differences computed by the real compare under the
 * rules they were recorded with). Then times `runReport({ store, rules,
 * format: 'json' })` in this process (read records and pairs, re-diff every
 * pair in full, filter the other records' differences, aggregate, render)
 * under a rules file with an `ignore` and an `unordered`; the plain report of
 * the same store is timed too, for reference. Target: ≤ 10 s for 100,000
 * records and 10,000 pairs.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { runReport } from '../src/cli/run-report.js'
import { loadRulesFile } from '../src/config/load.js'
import type { RouteConfig } from '../src/config/types.js'
import { clipDifferences } from '../src/compare/clip-differences.js'
import { compareExchange } from '../src/compare/compare-exchange.js'
import { capturedOf } from '../src/report/rescore.js'
import { diffFileName } from '../src/store/file-name.js'
import type { Difference } from '../src/store/difference.js'
import type { DiffRecord } from '../src/store/record.js'
import type { StoredHeaders, StoredPair, StoredResponse } from '../src/store/stored-pair.js'

const N = Number(process.argv[2] ?? 100_000)
const P = Math.min(N, Number(process.argv[3] ?? 10_000))
const TARGET_MS = 10_000
const FILE_BYTES = 16 * 1024 * 1024
const HOUR = 3_600_000

let seed = 13
const rnd = (): number => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32 }
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('')
/** log-normal-ish latency, one decimal */
const latency = (median: number): number => Math.round(median * Math.exp((rnd() + rnd() + rnd() - 1.5) * 1.2) * 10) / 10

const ROUTES = [
  { name: 'list-orders', parity: 0.9995, error: 0.0005, shadowTo: 'orders' },
  { name: 'get-order', parity: 0.97, error: 0.01, shadowTo: 'orders' },
  { name: 'create-order', parity: 0.999, error: 0, shadowTo: 'orders' },
  { name: 'users', parity: 0.62, error: 0.04, shadowTo: 'users' },
  { name: 'user-profile', parity: 0.9999, error: 0, shadowTo: 'users' },
  { name: 'search', parity: 0.85, error: 0.02, shadowTo: 'search' },
  { name: 'catalog', parity: 1, error: 0, shadowTo: 'catalog' },
  { name: 'catalog-item', parity: 0.993, error: 0.001, shadowTo: 'catalog' },
  { name: 'cart', parity: 0.91, error: 0.05, shadowTo: 'cart' },
  { name: 'checkout', parity: 0.999, error: 0.002, shadowTo: 'cart' },
  { name: 'invoices', parity: 0.98, error: 0, shadowTo: 'billing' },
  { name: 'health', parity: 1, error: 0, shadowTo: 'orders' }
] as const
type Route = typeof ROUTES[number]
const UPSTREAMS = [...new Set(ROUTES.map((r) => r.shadowTo))]
const method = (r: Route): string => r.name.startsWith('create') || r.name === 'checkout' ? 'POST' : 'GET'

/** The rules the records were written under (no compare settings), and the tuned ones re-scored with. */
function rulesYaml (compare: string): string {
  return [
    'version: 1',
    'upstreams:',
    '  legacy: { url: "http://127.0.0.1:4000" }',
    ...UPSTREAMS.map((u, i) => `  ${u}: { url: "http://127.0.0.1:${4001 + i}" }`),
    'serve: legacy',
    'shadow: { sample: 1.0, keepPairs: mismatches }',
    compare,
    'routes:',
    ...ROUTES.flatMap((r) => [
      `  - name: ${r.name}`,
      `    match: { method: ${method(r)}, path: "/api/${r.name}/{id}" }`,
      '    serve: legacy',
      `    shadow: ${r.shadowTo}`
    ])
  ].join('\n') + '\n'
}
const BEFORE = rulesYaml('compare: { headers: [content-type] }')
/** generated values ignored; tag lists compared as multisets */
const TUNED = rulesYaml([
  'compare:',
  '  headers: [content-type]',
  '  ignore: ["$.generatedAt", "$.traceId"]',
  '  unordered: ["$.items[*].tags"]'
].join('\n'))

const TAGS = ['new', 'sale', 'eco', 'bulk', 'gift', 'local', 'import', 'limited']
const NAMES = ['Desk lamp', 'Office chair', 'Monitor arm', 'USB-C hub', 'Notebook A5', 'Standing desk', 'Cable tray', 'Headset']

interface Item { id: number; sku: string; name: string; price: number; qty: number; tags: string[] }

/** One answer of a route, 1-2 KB of JSON: primary and shadow views of the same data. */
function documents (at: number, real: boolean): { primary: string; shadow: string } {
  const target = 1024 + Math.floor(rnd() * 1024)
  const items: Item[] = []
  const base = { id: Math.floor(rnd() * 1e6), status: pick(['open', 'paid', 'shipped']), currency: 'EUR', generatedAt: new Date(at).toISOString(), traceId: hex(32) }
  const size = (): number => JSON.stringify({ ...base, items, total: 0 }).length
  while (size() < target - 140) {
    items.push({ id: items.length + 1, sku: `SKU-${100000 + Math.floor(rnd() * 900000)}`, name: pick(NAMES), price: Math.round(rnd() * 50000) / 100, qty: 1 + Math.floor(rnd() * 5), tags: [pick(TAGS), pick(TAGS), pick(TAGS)] })
  }
  const total = Math.round(items.reduce((a, i) => a + i.price * i.qty, 0) * 100) / 100
  const primary = { ...base, items, total }
  // the new service: its own time and trace id, tags in another order; some answers have a real difference
  const shadowItems = items.map((i) => ({ ...i, tags: [...i.tags].reverse() }))
  if (real) {
    const k = Math.floor(rnd() * shadowItems.length)
    shadowItems[k] = { ...shadowItems[k]!, price: Math.round((shadowItems[k]!.price + 0.01) * 100) / 100 }
  }
  const shadow = { ...base, generatedAt: new Date(at + 3 + Math.floor(rnd() * 40)).toISOString(), traceId: hex(32), items: shadowItems, total }
  return { primary: JSON.stringify(primary), shadow: JSON.stringify(shadow) }
}

function response (upstream: string, body: string, at: number): StoredResponse {
  const headers: StoredHeaders = {
    'content-type': 'application/json; charset=utf-8',
    date: new Date(at).toUTCString(),
    etag: `W/"${hex(16)}"`,
    'cache-control': 'private, max-age=0',
    'x-request-id': hex(16),
    vary: 'Accept-Encoding',
    'set-cookie': ['session=[redacted]; Path=/; HttpOnly', 'lang=en; Path=/']
  }
  return { upstream, status: 200, headers, body: { encoding: 'utf8', data: body } }
}

function keptPair (id: string, at: number, route: Route, url: string): StoredPair {
  const docs = documents(at, rnd() < 0.2)
  const post = method(route) === 'POST'
  return {
    v: 1,
    id,
    at: new Date(at).toISOString(),
    route: route.name,
    request: {
      method: method(route),
      url,
      headers: {
        host: 'shop.example.com',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
        accept: 'application/json',
        'accept-encoding': 'gzip, br',
        authorization: '[redacted]',
        cookie: '[redacted]',
        'x-forwarded-for': '203.0.113.7',
        ...(post ? { 'content-type': 'application/json' } : {})
      },
      body: post ? { encoding: 'utf8', data: JSON.stringify({ cart: hex(12), items: [{ sku: 'SKU-123456', qty: 2 }], note: 'leave at the door' }) } : null
    },
    primary: response('legacy', docs.primary, at),
    shadow: response(route.shadowTo, docs.shadow, at)
  }
}

/** stored differences of a record without a pair: what the compare found (no rules yet) */
function differences (): Difference[] {
  const out: Difference[] = [{ kind: 'changed', path: '$.generatedAt', primary: '2026-11-21T10:00:00.000Z', shadow: '2026-11-21T10:00:00.017Z' }]
  if (rnd() < 0.8) out.push({ kind: 'changed', path: '$.traceId', primary: hex(32), shadow: hex(32) })
  const idx = Math.floor(rnd() * 12)
  if (rnd() < 0.6) out.push({ kind: 'changed', path: `$.items[${idx}].tags[0]`, primary: pick(TAGS), shadow: pick(TAGS) }, { kind: 'changed', path: `$.items[${idx}].tags[2]`, primary: pick(TAGS), shadow: pick(TAGS) })
  if (rnd() < 0.25) out.push({ kind: 'changed', path: `$.items[${idx}].price`, primary: Math.round(rnd() * 1000) / 10, shadow: Math.round(rnd() * 1000) / 10 })
  if (rnd() < 0.1) out.push({ kind: 'type', path: '$.total', primary: 'number', shadow: 'string', primaryValue: 12.5, shadowValue: '12.50' })
  if (rnd() < 0.05) out.unshift({ kind: 'status', path: '$status', primary: 200, shadow: 201 })
  return out
}

class Writer {
  #lines: string[] = []
  #bytes = 0
  #seq = 0
  constructor (readonly dir: string, readonly start: number) {}
  async add (line: string): Promise<void> {
    this.#lines.push(line)
    this.#bytes += line.length + 1
    if (this.#bytes >= FILE_BYTES) await this.flush()
  }

  async flush (): Promise<void> {
    if (this.#lines.length === 0) return
    await writeFile(join(this.dir, diffFileName(new Date(this.start + this.#seq * 1000), 4242, this.#seq)), this.#lines.join('\n') + '\n')
    this.#seq++
    this.#lines = []
    this.#bytes = 0
  }

  get files (): number { return this.#seq }
}

async function dirBytes (dir: string): Promise<number> {
  let n = 0
  for (const f of await readdir(dir, { withFileTypes: true })) if (f.isFile()) n += (await stat(join(dir, f.name))).size
  return n
}

interface JsonReport {
  routes: Array<{ route: string; compared: number; mismatched: number }>
  rescored?: { routes: Record<string, { fromPairs: number; fromDifferences: number }> }
}

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'strangler-bench-rescore-'))
  try {
    const t0 = performance.now()
    const beforeFile = join(dir, 'before.yaml')
    const rulesFile = join(dir, 'tuned.yaml')
    await writeFile(beforeFile, BEFORE)
    await writeFile(rulesFile, TUNED)
    const loaded = await loadRulesFile(beforeFile)
    if (!loaded.ok) throw new Error(`before.yaml: ${JSON.stringify(loaded.errors)}`)
    const routeConfigs = new Map<string, RouteConfig>(loaded.rules.routes.map((r) => [r.name, r]))
    const store = join(dir, 'store')
    await mkdir(join(store, 'pairs'), { recursive: true })
    const start = Date.now() - HOUR
    const records = new Writer(store, start)
    const pairs = new Writer(join(store, 'pairs'), start)
    const every = N / P
    let nextPair = 0
    let kept = 0
    for (let i = 0; i < N; i++) {
      const at = start + Math.floor((i / N) * HOUR)
      const route = pick(ROUTES)
      const id = `${at.toString(36)}-${i.toString(36).padStart(5, '0')}`
      const url = `/api/${route.name}/${Math.floor(rnd() * 10000)}?page=${Math.floor(rnd() * 5)}`
      const base = {
        v: 1 as const,
        id,
        at: new Date(at).toISOString(),
        route: route.name,
        method: method(route),
        url,
        operation: `${method(route)} /api/${route.name}/{id}`,
        primary: { upstream: 'legacy', status: 200, ms: latency(25), bytes: 1024 + Math.floor(rnd() * 1024) },
        shadow: { upstream: route.shadowTo, status: 200, ms: latency(18), bytes: 1024 + Math.floor(rnd() * 1024) }
      }
      let record: DiffRecord
      if (kept < P && i >= nextPair) {
        // a mismatch kept whole: its record holds what the compare found under the rules of the time
        const pair = keptPair(id, at, route, url)
        const rc = routeConfigs.get(route.name)!
        const result = compareExchange(capturedOf(pair.primary), capturedOf(pair.shadow), rc.compare, {}, rc.learn)
        const bytes = (r: StoredResponse): number => Buffer.byteLength(r.body?.data ?? '')
        record = { ...base, primary: { ...base.primary, bytes: bytes(pair.primary) }, shadow: { ...base.shadow, bytes: bytes(pair.shadow) }, outcome: 'mismatch', differences: clipDifferences(result.differences), pair: true }
        await pairs.add(JSON.stringify(pair))
        kept++
        nextPair += every
      } else {
        const r = rnd()
        if (r < 0.01) record = { ...base, outcome: 'skipped', skipped: pick(['concurrency', 'too-large'] as const), differences: [] }
        else if (r < 0.01 + route.error) record = { ...base, shadow: { ...base.shadow, status: null }, outcome: 'shadow-error', error: pick(['shadow timed out after 5000 ms', 'ECONNRESET', 'ECONNREFUSED 127.0.0.1:4000']), differences: [] }
        else if (rnd() < route.parity) record = { ...base, outcome: 'match', differences: [] }
        else record = { ...base, outcome: 'mismatch', differences: differences() }
      }
      await records.add(JSON.stringify(record))
    }
    await records.flush()
    await pairs.flush()
    console.log(`wrote ${N.toLocaleString('en')} records (${((await dirBytes(store)) / 1048576).toFixed(1)} MiB in ${records.files} files) and ${kept.toLocaleString('en')} kept pairs (${((await dirBytes(join(store, 'pairs'))) / 1048576).toFixed(1)} MiB in ${pairs.files} files) in ${(performance.now() - t0).toFixed(0)} ms`)

    const report = async (rules: string | undefined): Promise<{ ms: number; json: JsonReport }> => {
      let out = ''
      const t = performance.now()
      const code = await runReport({ store, rules, format: 'json' }, { stdout: (s) => { out += s }, stderr: (s) => process.stderr.write(s) })
      const ms = performance.now() - t
      if (code !== 0) throw new Error(`report${rules !== undefined ? ' --rules' : ''} exited ${code}`)
      return { ms, json: JSON.parse(out) as JsonReport }
    }
    const mismatched = (j: JsonReport): number => j.routes.reduce((a, r) => a + r.mismatched, 0)
    const first = await report(rulesFile)
    const second = await report(rulesFile)
    const plain = await report(undefined)
    const tally = Object.values(first.json.rescored?.routes ?? {})
    const fromPairs = tally.reduce((a, t) => a + t.fromPairs, 0)
    const fromDifferences = tally.reduce((a, t) => a + t.fromDifferences, 0)
    console.log(`re-scored under ignore [$.generatedAt, $.traceId] and unordered [$.items[*].tags]: ${fromPairs.toLocaleString('en')} records from kept pairs, ${fromDifferences.toLocaleString('en')} from stored differences; mismatched ${mismatched(plain.json).toLocaleString('en')} as stored, ${mismatched(first.json).toLocaleString('en')} re-scored`)
    console.log(`report --format json            ${plain.ms.toFixed(0).padStart(6)} ms (reference: no re-scoring)`)
    console.log(`report --rules --format json    ${first.ms.toFixed(0).padStart(6)} ms first, ${second.ms.toFixed(0)} ms second`)
    console.log(`heap used after: ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)} MiB, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`)
    if (fromPairs !== kept) throw new Error(`expected ${kept} records re-scored from pairs, got ${fromPairs}`)
    const verdict = first.ms <= TARGET_MS ? 'OK' : 'OVER TARGET'
    console.log(`report --rules, ${N.toLocaleString('en')} records + ${kept.toLocaleString('en')} pairs: first run ${first.ms.toFixed(0)} ms (target ≤ ${TARGET_MS} ms): ${verdict}`)
    if (first.ms > TARGET_MS) process.exitCode = 1
  } finally {
    if (process.env.KEEP_STORE) console.log(`kept ${dir}`); else await rm(dir, { recursive: true, force: true })
  }
}

await main()
