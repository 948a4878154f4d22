/**
 * `npx tsx bench/report.ts [records]`: writes realistic diff records (default
 * 100,000) to a temp store in rotated files, then times `strangler report`
 * end to end in this process (list files, stream, parse, aggregate, render)
 * for each format. Target: the text report in ≤ 3 s for 100,000 records.
 */
import { mkdtemp, rm, stat, writeFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { runReport } from '../src/cli/run-report.js'
import { diffFileName } from '../src/store/file-name.js'
import type { Difference } from '../src/store/difference.js'

const N = Number(process.argv[2] ?? 100_000)
const TARGET_MS = 3000
const FILE_BYTES = 16 * 1024 * 1024

let seed = 42
const rnd = (): number => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32 }
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
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

const FIELDS = ['price', 'currency', 'updatedAt', 'status', 'sku', 'qty', 'discount']

function differences (): Difference[] {
  const n = 1 + Math.floor(rnd() * rnd() * 5)
  const out: Difference[] = []
  for (let k = 0; k < n; k++) {
    const r = rnd()
    const idx = Math.floor(rnd() * 25)
    if (r < 0.55) out.push({ kind: 'changed', path: `$.items[${idx}].${pick(FIELDS)}`, primary: Math.round(rnd() * 1000) / 10, shadow: Math.round(rnd() * 1000) / 10 })
    else if (r < 0.7) out.push({ kind: 'added', path: `$.items[${idx}].meta`, shadow: { source: 'new', v: 2 } })
    else if (r < 0.8) out.push({ kind: 'removed', path: '$.legacyFlags', primary: ['a', 'b'] })
    else if (r < 0.9) out.push({ kind: 'type', path: '$.total', primary: 'number', shadow: 'string' })
    else out.push({ kind: 'header', path: "$headers['content-type']", header: 'content-type', primary: 'application/json', shadow: 'application/json; charset=utf-8' })
  }
  return out
}

function record (i: number, at: number): string {
  const route = pick(ROUTES)
  const r = rnd()
  const primaryMs = latency(25)
  const shadowMs = latency(18)
  const base = {
    v: 1,
    id: `${at.toString(36)}-${i.toString(36).padStart(5, '0')}`,
    at: new Date(at).toISOString(),
    route: route.name,
    method: route.name.startsWith('create') ? 'POST' : 'GET',
    url: `/api/${route.name}/${Math.floor(rnd() * 10000)}?page=${Math.floor(rnd() * 5)}`,
    operation: `GET /api/${route.name}/{id}`,
    primary: { upstream: 'legacy', status: 200, ms: primaryMs, bytes: 800 + Math.floor(rnd() * 4000) },
    shadow: { upstream: route.shadowTo, status: 200, ms: shadowMs, bytes: 800 + Math.floor(rnd() * 4000) }
  }
  if (r < 0.01) return JSON.stringify({ ...base, outcome: 'skipped', skipped: pick(['concurrency', 'too-large'] as const), differences: [] })
  if (r < 0.01 + route.error) return JSON.stringify({ ...base, shadow: { ...base.shadow, status: null }, outcome: 'shadow-error', error: pick(['shadow timed out after 5000 ms', 'ECONNRESET', 'ECONNREFUSED 127.0.0.1:4000']), differences: [] })
  if (rnd() < route.parity) return JSON.stringify({ ...base, outcome: 'match', differences: [] })
  const diffs = differences()
  if (rnd() < 0.1) {
    diffs.unshift({ kind: 'status', path: '$status', primary: 200, shadow: 201 })
    return JSON.stringify({ ...base, shadow: { ...base.shadow, status: 201 }, outcome: 'mismatch', differences: diffs })
  }
  return JSON.stringify({ ...base, outcome: 'mismatch', differences: diffs })
}

async function main (): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'strangler-bench-report-'))
  try {
    const t0 = performance.now()
    const start = Date.now() - 3_600_000
    let lines: string[] = []
    let bytes = 0
    let seq = 0
    const flush = async (): Promise<void> => {
      if (lines.length === 0) return
      await writeFile(join(dir, diffFileName(new Date(start + seq * 1000), 4242, seq)), lines.join('\n') + '\n')
      seq++
      lines = []
      bytes = 0
    }
    for (let i = 0; i < N; i++) {
      const line = record(i, start + Math.floor((i / N) * 3_600_000))
      lines.push(line)
      bytes += line.length + 1
      if (bytes >= FILE_BYTES) await flush()
    }
    await flush()
    let storeBytes = 0
    for (const f of await readdir(dir)) storeBytes += (await stat(join(dir, f))).size
    console.log(`wrote ${N.toLocaleString('en')} records, ${(storeBytes / 1048576).toFixed(1)} MiB in ${seq} files, in ${(performance.now() - t0).toFixed(0)} ms`)

    const results: Array<{ format: string; ms: number; outBytes: number }> = []
    for (const format of ['text', 'text', 'json', 'md', 'html']) {
      let out = ''
      const t = performance.now()
      const code = await runReport({ store: dir, format }, { stdout: s => { out += s }, stderr: s => process.stderr.write(s) })
      const ms = performance.now() - t
      if (code !== 0) throw new Error(`report --format ${format} exited ${code}`)
      results.push({ format, ms, outBytes: out.length })
      if (format === 'text' && results.length === 1) console.log(out.split('\n').slice(0, 17).join('\n'))
    }
    for (const r of results) {
      console.log(`report --format ${r.format.padEnd(4)}  ${r.ms.toFixed(0).padStart(5)} ms  ${Math.round(N / (r.ms / 1000)).toLocaleString('en').padStart(9)} records/s  output ${(r.outBytes / 1024).toFixed(1)} KiB`)
    }
    const text = Math.min(...results.filter(r => r.format === 'text').map(r => r.ms))
    const firstText = results[0]!.ms
    console.log(`heap used after: ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)} MiB`)
    const verdict = firstText <= TARGET_MS ? 'OK' : 'OVER TARGET'
    console.log(`text report, ${N.toLocaleString('en')} records: first run ${firstText.toFixed(0)} ms, best ${text.toFixed(0)} ms (target ≤ ${TARGET_MS} ms): ${verdict}`)
    if (firstText > TARGET_MS) process.exitCode = 1
  } finally {
    if (process.env.KEEP_STORE) console.log(`kept ${dir}`); else await rm(dir, { recursive: true, force: true })
  }
}

await main()
