/**
 * `npx tsx bench/json-ops.ts [--ms N] [--rounds N]`: CPU µs per call of the
 * five body operations of bench/transform.ts on the 10 KB answer, in process:
 *   full        JSON.parse + applyBodyOps + JSON.stringify (body-codec.ts today)
 *   lazy        applyBodyOpsToText (lazy-json.ts)
 *   lazy-check  applyBodyOpsToText with no ops: the validating pass alone
 *   full+buf, lazy+buf  the same followed by Buffer.from(result), as a
 *               body must be bytes (lazy's result is a concatenation;
 *               Buffer.from flattens it)
 *   bytes       applyBodyOpsToBytes on the body's Buffer: what body-codec.ts
 *               runs (no string decoded, output pieces copied into one buffer)
 * Each candidate runs alone in a child process (warm-up, then rounds), all of
 * them in turn, twice; the median and the best round are printed. Target for
 * bytes (what the proxy runs): 15 µs per call at most.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseJsonPath } from '../src/config/json-path.js'
import type { BodyOp, JsonValue } from '../src/config/types.js'
import { applyBodyOps } from '../src/transforms/json-body-ops.js'
import { applyBodyOpsToBytes, applyBodyOpsToText } from '../src/transforms/lazy-json.js'
import { fixedJsonBody } from './lib/backends.js'
import { fmt, median } from './lib/stats.js'

const argv = process.argv.slice(2)
const opt = (name: string, d: number): number => {
  const i = argv.indexOf(name)
  return i === -1 ? d : Number(argv[i + 1])
}
const roundMs = opt('--ms', 200)
const rounds = opt('--rounds', 16)
const TARGET_US = 15

const p = parseJsonPath
const ops: BodyOp[] = [
  { op: 'rename', from: p('$.page'), to: p('$.pageNumber') },
  { op: 'remove', path: p('$.pad') },
  { op: 'set', path: p('$.apiVersion'), value: 2 },
  { op: 'default', path: p('$.next'), value: null },
  { op: 'copy', from: p('$.items[0].sku'), to: p('$.firstSku') }
]
const bodyBytes = fixedJsonBody(10 * 1024)
const text = bodyBytes.toString('utf8')

const full = (): string => JSON.stringify(applyBodyOps(JSON.parse(text) as JsonValue, ops))
const lazy = (): string => applyBodyOpsToText(text, ops)
let sink = 0
const candidates: Record<string, () => void> = {
  'full': () => { sink += full().length },
  'lazy': () => { sink += lazy().length },
  'lazy-check': () => { sink += applyBodyOpsToText(text, []).length },
  'full+buf': () => { sink += Buffer.from(full(), 'utf8').length },
  'lazy+buf': () => { sink += Buffer.from(lazy(), 'utf8').length },
  'bytes': () => { sink += applyBodyOpsToBytes(bodyBytes, ops).length }
}

// the two must agree before anything is timed
if (JSON.stringify(JSON.parse(lazy())) !== full()) throw new Error('lazy and full results differ')

/** CPU µs per call over about `ms` of wall time */
function round (fn: () => void, ms: number): number {
  let n = 0
  const t0 = process.cpuUsage()
  const until = performance.now() + ms
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) fn()
    n += 100
  }
  const used = process.cpuUsage(t0)
  return (used.user + used.system) / n
}

const only = argv.indexOf('--only')
if (only !== -1) {
  // a child: one candidate, so neither its JIT feedback nor its garbage (the
  // GC threads count in CPU time) comes from another candidate
  const fn = candidates[argv[only + 1]!]!
  round(fn, 1000) // warm-up
  const xs: number[] = []
  for (let r = 0; r < rounds; r++) xs.push(round(fn, roundMs))
  process.stdout.write(JSON.stringify(xs))
  if (sink === 0) process.stdout.write(' ')
} else {
  // children in turn, twice over, so a drift of the machine hits all alike
  const results: Record<string, number[]> = {}
  const half = Math.ceil(rounds / 2)
  for (let pass = 0; pass < 2; pass++) {
    for (const name of Object.keys(candidates)) {
      const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--only', name, '--rounds', String(half), '--ms', String(roundMs)], { encoding: 'utf8' })
      ;(results[name] ??= []).push(...(JSON.parse(out) as number[]))
    }
  }
  console.log(`body ${text.length} bytes, ${ops.length} ops, ${2 * half} rounds of ${roundMs} ms per candidate (one process each); CPU µs per call`)
  console.log(`  ${'candidate'.padEnd(11)} ${'median'.padStart(8)} ${'best'.padStart(8)}`)
  for (const [name, xs] of Object.entries(results)) {
    console.log(`  ${name.padEnd(11)} ${fmt(median(xs), 2).padStart(8)} ${fmt(Math.min(...xs), 2).padStart(8)}`)
  }
  const m = median(results.bytes!)
  console.log(`bytes: ${m <= TARGET_US ? 'within' : 'over'} the ${TARGET_US} µs target (median), ${fmt(median(results['full+buf']!) / m, 1)}x faster than full+buf`)
}
