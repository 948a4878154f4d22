/**
 * `npx tsx bench/ab.ts bare pass shadow … [--rounds 3] [--seconds 5]`: a quick
 * interleaved A/B of a few closed-loop candidates of bench/run.ts (same
 * backends, pinning and measures), for before/after checks while optimizing.
 * `script:FILE[,ARG…]` runs a prototype proxy script (`PORT UPSTREAM ARG…`) like
 * the baseline. Prints medians of req/s, p99 and CPU µs per request. A strangler candidate
 * may name another checkout, `pass@../old` (built there), for before/after.
 * `shadow-corr` is `shadow` plus 3 `correlate` entries and 1,000 learned pairs,
 * its load carrying a learned token (as in bench/run.ts). `mismatch-nopairs` and
 * `mismatch-pairs` shadow to a backend whose every answer differs from the
 * primary's, keeping no pair, or every pair (keepPairs: mismatches,
 * maxPairsPerMinute 1,000,000), as in bench/run.ts; `mismatch-default` keeps
 * them with the default cap (60 per route per minute).
 * `endless` is `shadow`
 * whose shadow answers 200 and streams its body forever
 * (bench/endless-upstream.mjs): its peak RSS is the never-ending-body figure.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fixedJsonBody, startBackends } from './lib/backends.js'
import { startCandidate, type CandidateSpec, type RunningCandidate } from './lib/candidates.js'
import { spawnReady, type Child } from './lib/child.js'
import { freePorts } from './lib/free-ports.js'
import { cpuMicros, statusBytes } from './lib/proc-stats.js'
import { fmt, median } from './lib/stats.js'
import { runWrk } from './lib/wrk.js'
import { settleDisk } from './lib/settle-disk.js'
import { startTokenBackends, type TokenBackends } from './lib/correlate-seed.js'
import { correlationCounters, pairsKept, shadowSkips, SKIP_FLUSH_MS } from './lib/admin-metrics.js'

const argv = process.argv.slice(2)
const opt = (name: string, d: number): number => {
  const i = argv.indexOf(name)
  if (i === -1) return d
  const v = Number(argv[i + 1])
  argv.splice(i, 2)
  return v
}
const rounds = opt('--rounds', 3)
const seconds = opt('--seconds', 5)
const keys = argv.length > 0 ? argv : ['bare', 'pass']
const ROOT = new URL('..', import.meta.url).pathname
process.chdir(ROOT)
const TMP = join(ROOT, 'bench', 'tmp', 'ab')

async function main (): Promise<void> {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { stdio: 'inherit' })
  mkdirSync(TMP, { recursive: true })
  // backends, stalled upstream, the candidates, their admin ports, the token backends, the mismatching backend, the endless upstream
  const ports = await freePorts(3 + keys.length * 2 + 4)
  const mismatchPort = ports[5 + keys.length * 2]!
  const be = await startBackends(join(ROOT, 'bench', 'tmp'), fixedJsonBody(1024), [ports[0]!, ports[1]!, mismatchPort], 1)
  const children: Child[] = []
  try {
    children.push(await spawnReady({ name: 'stalled', cmd: process.execPath, args: ['bench/stalled-upstream.mjs', String(ports[2])], core: 1, readyText: 'ready' }))
    const endlessPort = ports[6 + keys.length * 2]!
    if (keys.some((k) => k.split('@')[0] === 'endless')) {
      children.push(await spawnReady({ name: 'endless', cmd: process.execPath, args: ['bench/endless-upstream.mjs', String(endlessPort)], core: 1, readyText: 'ready' }))
    }
    let tokens: TokenBackends | null = null
    if (keys.some((k) => k.split('@')[0] === 'shadow-corr')) {
      tokens = await startTokenBackends([ports[3 + keys.length * 2]!, ports[4 + keys.length * 2]!], 1)
      children.push(...tokens.children)
    }
    // shadow candidates get an (idle) admin listener: /metrics tells how many mirrors each sent
    let adminPorts = 3 + keys.length
    const admin = (): { adminPort: number } => ({ adminPort: ports[adminPorts++]! })
    const specOf = (key: string): CandidateSpec => {
      // `script:FILE[,ARG…]`: a prototype proxy script run like the baseline
      if (key.startsWith('script:')) return { key, label: key, kind: 'bare', script: key.slice(7).split(',') }
      const [k, root] = key.split('@') as [string, string | undefined]
      const spec = specOfKind(k)
      if (root === undefined) return spec
      const name = `${k}@${basename(root)}`
      return { ...spec, key: name, label: name, root }
    }
    const specOfKind = (k: string): CandidateSpec => {
      switch (k) {
        case 'direct': return { key: k, label: k, kind: 'direct' }
        case 'bare': return { key: k, label: k, kind: 'bare' }
        case 'naive': return { key: k, label: k, kind: 'naive', shadowPort: ports[1]! }
        case 'pass': return { key: k, label: k, kind: 'strangler', shadowPort: null, logLevel: 'info' }
        case 'pass-warn': return { key: k, label: k, kind: 'strangler', shadowPort: null, logLevel: 'warn' }
        case 'shadow': return { key: k, label: k, kind: 'strangler', shadowPort: ports[1]!, logLevel: 'info', ...admin() }
        case 'shadow-warn': return { key: k, label: k, kind: 'strangler', shadowPort: ports[1]!, logLevel: 'warn', ...admin() }
        case 'shadow-corr': return { key: k, label: k, kind: 'strangler', shadowPort: ports[1]!, logLevel: 'info', ...admin(), correlate: { primaryTokenPort: tokens!.primaryTokenPort, shadowTokenPort: tokens!.shadowTokenPort, pairs: 1000 } }
        case 'stalled': return { key: k, label: k, kind: 'strangler', shadowPort: ports[2]!, logLevel: 'info' }
        case 'mismatch-nopairs': return { key: k, label: k, kind: 'strangler', shadowPort: mismatchPort, logLevel: 'info', ...admin(), pairs: { keepPairs: 'none' } }
        case 'mismatch-pairs': return { key: k, label: k, kind: 'strangler', shadowPort: mismatchPort, logLevel: 'info', ...admin(), pairs: { keepPairs: 'mismatches', maxPairsPerMinute: 1_000_000 } }
        // the default cap: keepPairs: mismatches, at most 60 pairs per route per minute
        case 'mismatch-default': return { key: k, label: k, kind: 'strangler', shadowPort: mismatchPort, logLevel: 'info', ...admin(), pairs: { keepPairs: 'mismatches' } }
        case 'endless': return { key: k, label: k, kind: 'strangler', shadowPort: endlessPort, logLevel: 'info', ...admin() }
        default: throw new Error(`unknown candidate ${k}`)
      }
    }
    const running: RunningCandidate[] = []
    for (let i = 0; i < keys.length; i++) {
      const c = await startCandidate(specOf(keys[i]!), ports[3 + i]!, { tmp: TMP, primaryPort: ports[0]!, core: 0 })
      if (c.child) children.push(c.child)
      running.push(c)
    }
    for (const c of running) await runWrk(`http://127.0.0.1:${c.port}/api/items`, 2, 64, 1, c.headers)
    const res = new Map<string, Array<{ rps: number; p99: number; cpu: number; mirrored: number; kept: number }>>(running.map((c) => [c.spec.key, []]))
    for (let r = 0; r < rounds; r++) {
      // A B C, then C B A: a drift within a round does not favour whoever runs first
      for (const c of r % 2 === 0 ? running : [...running].reverse()) {
        settleDisk()
        const adminPort = c.spec.adminPort
        const skips = adminPort !== undefined ? await shadowSkips(adminPort, 'items') : NaN
        const keeps = adminPort !== undefined && c.spec.pairs !== undefined ? await pairsKept(adminPort) : NaN
        const warm = await runWrk(`http://127.0.0.1:${c.port}/api/items`, 1, 64, 1, c.headers)
        const before = c.child ? cpuMicros(c.child.pid) : NaN
        const w = await runWrk(`http://127.0.0.1:${c.port}/api/items`, seconds, 64, 1, c.headers)
        const after = c.child ? cpuMicros(c.child.pid) : NaN
        // skips are counted up to a second late; the share covers the warm-up too
        if (adminPort !== undefined) await new Promise((resolve) => setTimeout(resolve, SKIP_FLUSH_MS))
        const mirrored = adminPort !== undefined ? 1 - (await shadowSkips(adminPort, 'items') - skips) / (w.requests + warm.requests) : NaN
        const kept = Number.isNaN(keeps) ? NaN : (await pairsKept(adminPort!) - keeps) / (w.requests + warm.requests)
        res.get(c.spec.key)!.push({ rps: w.rps, p99: w.p99, cpu: (after - before) / w.requests, mirrored, kept })
      }
    }
    for (const c of running) {
      const xs = res.get(c.spec.key)!
      const rss = c.child ? statusBytes(c.child.pid, 'VmHWM') / 2 ** 20 : NaN
      const corr = c.spec.correlate !== undefined && c.spec.adminPort !== undefined ? await correlationCounters(c.spec.adminPort) : null
      console.log(`${c.spec.key.padEnd(16)} ${fmt(median(xs.map((x) => x.rps))).padStart(7)} req/s  p99 ${fmt(median(xs.map((x) => x.p99)), 2).padStart(6)} ms  ${fmt(median(xs.map((x) => x.cpu)), 1).padStart(6)} CPU µs/req  peak RSS ${fmt(rss, 1)} MB   [${xs.map((x) => fmt(x.cpu, 1)).join(' ')}]${c.spec.adminPort !== undefined ? `  mirrored ${fmt(median(xs.map((x) => x.mirrored)) * 100, 1)}%` : ''}${c.spec.pairs !== undefined ? `  pairs kept ${fmt(median(xs.map((x) => x.kept)) * 100, 1)}%` : ''}${corr !== null ? `  pairs ${fmt(corr.pairs)}, substituted ${fmt(corr.applied - (c.seeded?.applied ?? 0))}, waits ${fmt(corr.waits)}` : ''}`)
    }
  } finally {
    for (const c of children) await c.stop()
    await be.stop()
    // kept pairs run to hundreds of megabytes: not left behind
    rmSync(join(TMP, 'stores', 'mismatch-pairs'), { recursive: true, force: true })
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1) })
