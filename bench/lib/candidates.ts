import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { spawnReady, type Child } from './child.js'
import type { CorrelationCounters } from './admin-metrics.js'
import { seedCorrelation } from './correlate-seed.js'
import { writeRulesFile, type BenchPairs } from './rules-file.js'

export type CandidateKind = 'direct' | 'bare' | 'naive' | 'strangler'

export interface CandidateSpec {
  readonly key: string
  readonly label: string
  readonly kind: CandidateKind
  /** strangler: the shadow upstream port (null = pass-through); naive: required */
  readonly shadowPort?: number | null
  /** strangler's --log-level */
  readonly logLevel?: string
  /** strangler: another checkout to run bin/strangler.js from (before/after comparisons) */
  readonly root?: string
  /** bare: another script taking `PORT UPSTREAM [ARGS…]` in place of bench/bare-proxy.mjs (prototypes) */
  readonly script?: readonly string[]
  /** strangler: extra node flags (experiments: --trace-gc, heap sizes) */
  readonly nodeArgs?: readonly string[]
  /**
   * strangler with a shadow: 3 `correlate` entries and a `login` route on
   * these token backends (bench/lib/correlate-seed.ts); `pairs` logins are
   * learned before measuring (read on the admin listener: needs `adminPort`),
   * and the load carries one learned token
   */
  readonly correlate?: { readonly primaryTokenPort: number, readonly shadowTokenPort: number, readonly pairs: number }
  /** strangler: `--admin-port` (its /metrics); an idle listener, no cost per request */
  readonly adminPort?: number
  /** strangler with a shadow: `shadow.keepPairs` and `shadow.maxPairsPerMinute` (else the defaults) */
  readonly pairs?: BenchPairs
  /** strangler: a transform on the served route (see rules-file.ts) */
  readonly transform?: 'head' | 'body'
}

export interface RunningCandidate {
  readonly spec: CandidateSpec
  readonly port: number
  /** null for direct (the backend itself) */
  readonly child: Child | null
  /** strangler shadow candidates: the --store directory */
  readonly storeDir: string | null
  /** extra request headers of the measured load (`Name: value`, wrk -H) */
  readonly headers?: readonly string[]
  /** correlate candidates: the counters after seeding */
  readonly seeded?: CorrelationCounters
}

export interface StartContext {
  readonly tmp: string
  readonly primaryPort: number
  readonly core: number
}

/**
 * Start one candidate pinned to `core`: strangler as a real child process of
 * the built CLI (`node bin/strangler.js serve`), the baseline and the naive
 * shadow as plain ESM scripts under bench/.
 */
export async function startCandidate (spec: CandidateSpec, port: number, ctx: StartContext): Promise<RunningCandidate> {
  if (spec.kind === 'direct') return { spec, port: ctx.primaryPort, child: null, storeDir: null }
  const logs = join(ctx.tmp, 'logs')
  mkdirSync(logs, { recursive: true })
  const upstream = `http://127.0.0.1:${ctx.primaryPort}`
  if (spec.kind === 'bare') {
    const child = await spawnReady({ name: spec.key, cmd: process.execPath, args: spec.script === undefined ? ['bench/bare-proxy.mjs', String(port), upstream] : [spec.script[0]!, String(port), upstream, ...spec.script.slice(1)], core: ctx.core, readyText: 'ready' })
    return { spec, port, child, storeDir: null }
  }
  if (spec.kind === 'naive') {
    const records = join(ctx.tmp, `${spec.key}.records.ndjson`)
    rmSync(records, { force: true })
    const child = await spawnReady({ name: spec.key, cmd: process.execPath, args: ['bench/naive-shadow.mjs', String(port), upstream, `http://127.0.0.1:${spec.shadowPort!}`, records], core: ctx.core, readyText: 'ready' })
    return { spec, port, child, storeDir: null }
  }
  const rules = join(ctx.tmp, `${spec.key}.rules.yaml`)
  writeRulesFile(rules, { primaryPort: ctx.primaryPort, shadowPort: spec.shadowPort ?? null, correlate: spec.correlate ?? null, pairs: spec.pairs ?? null, transform: spec.transform ?? null })
  const adminPort = spec.adminPort ?? null
  const store = join(ctx.tmp, 'stores', spec.key)
  rmSync(store, { recursive: true, force: true })
  mkdirSync(store, { recursive: true })
  const child = await spawnReady({
    name: spec.key,
    cmd: process.execPath,
    args: [...(spec.nodeArgs ?? []), spec.root !== undefined ? join(spec.root, 'bin', 'strangler.js') : 'bin/strangler.js', 'serve', '--rules', rules, '--port', String(port), '--store', store, '--log-level', spec.logLevel ?? 'info', ...(adminPort !== null ? ['--admin-port', String(adminPort)] : [])],
    core: ctx.core,
    // the access log (pino, stdout) goes to a file, as in production
    stdoutFile: join(logs, `${spec.key}.log`),
    readyText: 'proxy listening'
  })
  const storeDir = spec.shadowPort != null ? store : null
  if (spec.correlate === undefined) return { spec, port, child, storeDir }
  if (adminPort === null) throw new Error(`${spec.key}: a correlate candidate needs an adminPort`)
  try {
    const { header, counters } = await seedCorrelation({ proxyPort: port, adminPort, primaryTokenPort: spec.correlate.primaryTokenPort, pairs: spec.correlate.pairs })
    return { spec, port, child, storeDir, headers: [header], seeded: counters }
  } catch (err) {
    await child.stop()
    throw err
  }
}
