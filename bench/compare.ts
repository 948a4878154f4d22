/**
 * Compare-path budgets (DESIGN "Request flow" 5; src/compare/):
 *   - two ~100 KB arrays of 1,000 objects: <= 20 ms
 *   - two ~1 MB documents:                 <= 100 ms
 *   - while the pool compares 1 MB pairs, no event-loop block > 50 ms
 * Prints a table; exits 1 when a budget is missed. Run: npx tsx bench/compare.ts
 * Sync measures are timed in wall-clock and in CPU time (process.cpuUsage), so a
 * busy machine (other processes on the 2 cores) shows up as wall p99 without
 * hiding the real cost. A budget is met when the wall-clock median and, for
 * inline measures, the CPU p99 are within it; with --strict, the wall-clock p99
 * must be too. The
 * event-loop block is always judged on its maximum.
 * json-diff (npm) is timed once on the same 1,000-object arrays for contrast.
 */
import { performance, monitorEventLoopDelay } from 'node:perf_hooks'
import { cpus, loadavg } from 'node:os'
import { gzipSync } from 'node:zlib'
import { diffString } from 'json-diff'
import type { CapturedResponse } from '../src/compare/captured-response.js'
import { compareExchange } from '../src/compare/compare-exchange.js'
import { ComparePool } from '../src/compare/pool/compare-pool.js'
import type { JsonValue } from '../src/store/difference.js'
import { compileDiffOptions, diffJson } from '../src/compare/diff-json.js'
import type { CompareConfig } from '../src/config/types.js'

const BUDGET_100KB_MS = 20
const BUDGET_1MB_MS = 100
const BUDGET_BLOCK_MS = 50
const JSON_DIFF_CAP_MS = 30_000

// deterministic pseudo-random numbers
let seed = 42
const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }

function item (i: number): Record<string, JsonValue> {
  return { id: i, sku: `SKU-${100000 + i}`, price: Math.round(rnd() * 10000) / 100, qty: i % 7, updatedAt: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z` }
}

/** ~100 KB: 1,000 objects; shadow differs in 3 prices, 1 extra field, volatile updatedAt everywhere. */
function arrays (): [JsonValue[], JsonValue[]] {
  const a = Array.from({ length: 1000 }, (_, i) => item(i))
  const b = a.map((o, i) => ({ ...o, updatedAt: `2026-02-02T00:00:${String(i % 60).padStart(2, '0')}Z` })) as Record<string, JsonValue>[]
  for (const i of [3, 500, 999]) b[i]!.price = (b[i]!.price as number) + 1
  b[250]!.note = 'new'
  return [a, b]
}

/** ~1 MB: an order list with nested lines, tags (unordered), meta (volatile). */
function bigDoc (shadow: boolean): JsonValue {
  const orders: JsonValue[] = []
  for (let i = 0; i < 3600; i++) {
    const tags = ['priority', 'gift', `region-${i % 5}`]
    orders.push({
      id: `ord-${i}`,
      requestId: shadow ? `s-${i}` : `p-${i}`,
      customer: { id: i * 7, name: `Customer ${i}`, email: `c${i}@example.com` },
      lines: [{ sku: `SKU-${i}`, qty: 1, price: 9.99 + (shadow && i === 1234 ? 0.0004 : 0) }, { sku: `SKU-${i + 1}`, qty: 2, price: 5 + (i % 3) }],
      tags: shadow && i % 2 === 0 ? [...tags].reverse() : tags,
      status: shadow && i === 3000 ? 'shipped' : 'open',
      updatedAt: `2026-01-01T10:00:00.${shadow ? 1 : 0}Z`
    })
  }
  return { meta: { generatedAt: shadow ? 'b' : 'a', count: orders.length }, orders }
}

function resp (v: JsonValue, gzip = false): CapturedResponse {
  const body = Buffer.from(JSON.stringify(v))
  return gzip
    ? { status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(body) }
    : { status: 200, headers: { 'content-type': 'application/json' }, body }
}

function stats (xs: number[]): { median: number; p99: number; n: number } {
  const s = [...xs].sort((x, y) => x - y)
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!
  return { median: at(0.5), p99: at(0.99), n: s.length }
}

const STRICT = process.argv.includes('--strict')

interface Timed { wall: number[]; cpu: number[] }

function timeSync (runs: number, fn: () => void): Timed {
  for (let i = 0; i < Math.min(20, runs); i++) fn() // warm up
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage()
    const t = performance.now()
    fn()
    wall.push(performance.now() - t)
    const d = process.cpuUsage(c)
    cpu.push((d.user + d.system) / 1000)
  }
  return { wall, cpu }
}

interface Row { name: string; median: number | null; p99: number | null; cpuP99: number | null; n: number; budget: number | null; note: string }
const rows: Row[] = []
const add = (name: string, xs: number[] | Timed, budget: number | null, note = ''): void => {
  const t = Array.isArray(xs) ? { wall: xs, cpu: null } : xs
  const s = stats(t.wall)
  rows.push({ name, median: s.median, p99: s.p99, cpuP99: t.cpu === null ? null : stats(t.cpu).p99, n: s.n, budget, note })
}

const cfgArrays: CompareConfig = Object.freeze({ headers: ['content-type'], ignore: ['$[*].updatedAt'], unordered: [], tolerance: 0, typeOnly: [], accept: [] })
const cfgBig: CompareConfig = Object.freeze({ headers: ['content-type'], ignore: ['$..requestId', '$.meta.generatedAt', '$.orders[*].updatedAt'], unordered: ['$.orders[*].tags'], tolerance: 0.001, typeOnly: [], accept: [] })

// 1. ~100 KB arrays of 1,000 objects
const [arrA, arrB] = arrays()
const pArr = resp(arrA)
const sArr = resp(arrB)
const compiledArr = compileDiffOptions({ ignore: cfgArrays.ignore })
const check = diffJson(arrA, arrB, compiledArr)
if (check.differences.length !== 4) throw new Error(`expected 4 differences in the arrays, got ${check.differences.length}`)
add('diffJson, 1,000 objects (parsed)', timeSync(200, () => diffJson(arrA, arrB, compiledArr)), BUDGET_100KB_MS)
add(`compareExchange, 2×${Math.round(pArr.body!.length / 1024)} KB arrays (parse+diff)`, timeSync(200, () => compareExchange(pArr, sArr, cfgArrays)), BUDGET_100KB_MS)
const unorderedCfg: CompareConfig = Object.freeze({ ...cfgArrays, unordered: ['$'] })
const shuffled = resp([...arrB].reverse())
add('compareExchange, 1,000 objects, unordered $', timeSync(100, () => compareExchange(pArr, shuffled, unorderedCfg)), BUDGET_100KB_MS)

// 2. ~1 MB documents
const bigA = bigDoc(false)
const bigB = bigDoc(true)
const pBig = resp(bigA)
const sBig = resp(bigB)
const mb = (pBig.body!.length / 1024 / 1024).toFixed(2)
const bigResult = compareExchange(pBig, sBig, cfgBig)
if (bigResult.differences.length !== 1) throw new Error(`expected 1 difference in the 1 MB docs, got ${JSON.stringify(bigResult.differences)}`)
add(`compareExchange, 2×${mb} MB (parse+diff), inline`, timeSync(40, () => compareExchange(pBig, sBig, cfgBig)), BUDGET_1MB_MS, 'blocks: never inline in the proxy')
const pBigGz = resp(bigA, true)
const sBigGz = resp(bigB, true)
add(`compareExchange, 2×${mb} MB gzip (decode+parse+diff)`, timeSync(30, () => compareExchange(pBigGz, sBigGz, cfgBig)), BUDGET_1MB_MS, `${Math.round(pBigGz.body!.length / 1024)} KB on the wire`)

// 3. the pool: latency, and the event loop while it compares 1 MB pairs
const pool = new ComparePool({ workers: 1 })
await pool.compare(pBig, sBig, cfgBig) // spawn + warm up
const poolLat: number[] = []
for (let i = 0; i < 30; i++) {
  const t = performance.now()
  await pool.compare(pBig, sBig, cfgBig)
  poolLat.push(performance.now() - t)
}
add(`ComparePool, 2×${mb} MB, one at a time (latency)`, poolLat, BUDGET_1MB_MS, 'worker')
const poolArr: number[] = []
for (let i = 0; i < 100; i++) {
  const t = performance.now()
  await pool.compare(pArr, sArr, cfgArrays)
  poolArr.push(performance.now() - t)
}
add(`ComparePool, 2×${Math.round(pArr.body!.length / 1024)} KB arrays (latency)`, poolArr, BUDGET_100KB_MS, 'worker (over inlineMaxBytes)')

// event-loop block: a 1 ms interval probe and monitorEventLoopDelay, while 40 1 MB pairs are queued at once
const h = monitorEventLoopDelay({ resolution: 1 })
let last = performance.now()
let maxGap = 0
const probe = setInterval(() => { const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now }, 1)
await new Promise(resolve => setTimeout(resolve, 50))
maxGap = 0
h.enable()
last = performance.now()
const burstStart = performance.now()
const burst = await Promise.all(Array.from({ length: 40 }, () => pool.compare(pBig, sBig, cfgBig)))
const burstMs = performance.now() - burstStart
h.disable()
clearInterval(probe)
if (burst.some(r => r.differences.length !== 1)) throw new Error('pool result differs from inline')
const blockProbe = maxGap
const blockHist = h.max / 1e6
rows.push({ name: 'max event-loop block, 40×1 MB pairs via pool (interval probe)', median: null, p99: blockProbe, cpuP99: null, n: 40, budget: BUDGET_BLOCK_MS, note: `burst took ${Math.round(burstMs)} ms` })
rows.push({ name: 'max event-loop block, same (monitorEventLoopDelay)', median: null, p99: blockHist, cpuP99: null, n: 40, budget: BUDGET_BLOCK_MS, note: '' })
await pool.close()

// 4. json-diff for contrast: once, capped
let jdNote = ''
const jd = (n: number): number => {
  const t = performance.now()
  diffString(arrA.slice(0, n), arrB.slice(0, n), { color: false })
  return performance.now() - t
}
let jdMs = jd(100)
let jdSize = 100
if (jdMs * 100 < JSON_DIFF_CAP_MS) { jdMs = jd(1000); jdSize = 1000 } else jdNote = `capped at ${jdSize} objects (1,000 estimated > ${JSON_DIFF_CAP_MS / 1000} s)`
rows.push({ name: `json-diff (npm) diffString, ${jdSize} objects, once`, median: jdMs, p99: null, cpuP99: null, n: 1, budget: null, note: jdNote || 'contrast only, never on the compare path' })

// table
const fmt = (x: number | null): string => x === null ? '' : x.toFixed(2)
const w = Math.max(...rows.map(r => r.name.length))
let failed = false
console.log(`${'measure'.padEnd(w)}  ${'median ms'.padStart(10)}  ${'p99/max ms'.padStart(10)}  ${'cpu p99'.padStart(8)}  ${'runs'.padStart(5)}  ${'budget'.padStart(7)}  result`)
for (const r of rows) {
  let ok = true
  if (r.budget !== null) {
    if (r.median === null) ok = r.p99 !== null && r.p99 <= r.budget // a maximum: judged as is
    else {
      ok = r.median <= r.budget && (r.cpuP99 === null || r.cpuP99 <= r.budget)
      if (STRICT) ok &&= r.p99 !== null && r.p99 <= r.budget
    }
  }
  if (!ok) failed = true
  const verdict = r.budget === null ? '' : ok ? 'ok' : 'MISSED'
  console.log(`${r.name.padEnd(w)}  ${fmt(r.median).padStart(10)}  ${fmt(r.p99).padStart(10)}  ${fmt(r.cpuP99).padStart(8)}  ${String(r.n).padStart(5)}  ${(r.budget === null ? '' : `${r.budget}`).padStart(7)}  ${verdict}${r.note ? `  (${r.note})` : ''}`)
}
console.log(`\nload average ${loadavg().map(x => x.toFixed(2)).join(' ')} on ${cpus().length} cores${STRICT ? '; --strict: wall p99 judged' : ''}`)
console.log(failed ? '\nBUDGET MISSED' : '\nall budgets met')
process.exit(failed ? 1 : 0)
