/**
 * Streaming aggregation of diff records into a ParityReport. One pass, memory
 * bounded by the number of routes (each keeps counters, two latency
 * histograms, a bounded path counter), never by the number of records.
 */
import type { Stage } from '../config/types.js'
import type { Difference, DifferenceKind } from '../compare/difference.js'
import { foldIndexes } from '../config/json-path.js'
import type { DiffRecord } from '../store/record.js'
import { LatencyHistogram } from './latency-histogram.js'
import { PathCounter, MAX_EXAMPLES } from './path-counter.js'
import {
  DEFAULT_THRESHOLDS, VERDICTS,
  type DifferenceExample, type OperationCounts, type ParityReport, type RouteReport,
  type StatusPair, type TopDifference, type Verdict, type VerdictThresholds
} from './parity-report.js'
import { verdictOf } from './verdict-of.js'
import { ContractCounter } from './contract-counter.js'
import { sortRoutes } from './sort-routes.js'

export interface AggregateOptions {
  /** keep only this route (also applied by the store reader; checked again here) */
  readonly route?: string | null
  /** keep only records at or after this time */
  readonly since?: Date | null
  /** the stage of each route, when the caller has the rules; otherwise the stage the newest record carries, else null */
  readonly stages?: ReadonlyMap<string, Stage>
  readonly thresholds?: Partial<VerdictThresholds>
  /** how many differing paths per route (default 10) */
  readonly top?: number
  /** distinct paths counted exactly per route before counts become approximate (default 1000) */
  readonly pathCapacity?: number
  /** the store directory, reported as is */
  readonly store?: string | null
  /** the report's time (default now) */
  readonly now?: Date
}

const TOP_STATUS_PAIRS = 10
const TOP_ERRORS = 5
const MAX_ERROR_MESSAGE = 300

interface OpAcc { matched: number; mismatched: number; errors: number }

class RouteAcc {
  matched = 0
  mismatched = 0
  errors = 0
  readonly skipped = new Map<string, number>()
  firstAt: string | null = null
  lastAt: string | null = null
  /** the stage written in the newest record that carries one */
  stage: Stage | null = null
  stageAt: string | null = null
  readonly primaryMs = new LatencyHistogram()
  readonly shadowMs = new LatencyHistogram()
  readonly paths: PathCounter
  readonly statusPairs = new Map<string, { primary: number | null; shadow: number | null; count: number; examples: string[] }>()
  readonly errorMessages = new PathCounter(100)
  readonly operations = new Map<string, OpAcc>()
  readonly contract = new ContractCounter()
  constructor (readonly route: string, pathCapacity: number) {
    this.paths = new PathCounter(pathCapacity)
  }
}

function isOutcome (o: unknown): o is DiffRecord['outcome'] {
  return o === 'match' || o === 'mismatch' || o === 'shadow-error' || o === 'skipped'
}

function exampleOf (r: DiffRecord, id: string, d: Difference): DifferenceExample {
  const ups = {
    primaryUpstream: typeof r.primary?.upstream === 'string' ? r.primary.upstream : null,
    shadowUpstream: typeof r.shadow?.upstream === 'string' ? r.shadow.upstream : null
  }
  switch (d.kind) {
    case 'added': return { id, kind: d.kind, path: d.path, shadow: d.shadow, ...ups }
    case 'removed': return { id, kind: d.kind, path: d.path, primary: d.primary, ...ups }
    case 'contract': return { id, kind: d.kind, path: d.path, message: `${d.side} breaks ${d.schemaPath}: ${d.message}`, ...ups }
    default: return { id, kind: d.kind, path: d.path, primary: d.primary, shadow: d.shadow, ...ups }
  }
}

function parityOf (matched: number, compared: number): number | null {
  return compared === 0 ? null : matched / compared
}

function statusLabel (s: number | null): string {
  return s === null ? 'none' : String(s)
}

/** Aggregate records, in one streaming pass, into a ParityReport. */
export async function aggregateRecords (records: AsyncIterable<DiffRecord> | Iterable<DiffRecord>, opts: AggregateOptions = {}): Promise<ParityReport> {
  const thresholds: VerdictThresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds }
  const top = opts.top ?? 10
  const pathCapacity = opts.pathCapacity ?? 1000
  const routeFilter = opts.route ?? null
  const sinceMs = opts.since ? opts.since.getTime() : null
  const routes = new Map<string, RouteAcc>()
  let records_ = 0
  let ignored = 0
  const seen = new Set<string>() // folded paths of the current record

  for await (const r of records) {
    if (r === null || typeof r !== 'object' || typeof r.route !== 'string' || !isOutcome(r.outcome)) { ignored++; continue }
    if (routeFilter !== null && r.route !== routeFilter) continue
    const at = typeof r.at === 'string' ? r.at : null
    if (sinceMs !== null) {
      const t = at === null ? NaN : Date.parse(at)
      if (!(t >= sinceMs)) continue
    }
    records_++
    let acc = routes.get(r.route)
    if (acc === undefined) { acc = new RouteAcc(r.route, pathCapacity); routes.set(r.route, acc) }
    if (at !== null) {
      if (acc.firstAt === null || at < acc.firstAt) acc.firstAt = at
      if (acc.lastAt === null || at > acc.lastAt) acc.lastAt = at
    }
    if (typeof r.stage === 'string' && (acc.stageAt === null || (at !== null && at >= acc.stageAt))) {
      acc.stage = r.stage as Stage
      acc.stageAt = at ?? acc.stageAt
    }
    const id = typeof r.id === 'string' ? r.id : ''
    let op: OpAcc | undefined
    if (typeof r.operation === 'string' && r.operation !== '') {
      op = acc.operations.get(r.operation)
      if (op === undefined) { op = { matched: 0, mismatched: 0, errors: 0 }; acc.operations.set(r.operation, op) }
    }

    switch (r.outcome) {
      case 'skipped': {
        const n = (r as { count?: unknown }).count
        const weight = typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1
        const reason = typeof r.skipped === 'string' ? r.skipped : 'unknown'
        acc.skipped.set(reason, (acc.skipped.get(reason) ?? 0) + weight)
        break
      }
      case 'shadow-error': {
        acc.errors++
        if (op) op.errors++
        const msg = typeof r.error === 'string' && r.error !== '' ? r.error.slice(0, MAX_ERROR_MESSAGE) : '(no message)'
        const e = acc.errorMessages.entry(msg)
        e.count++
        if (e.examples.length < MAX_EXAMPLES) e.examples.push(id)
        break
      }
      case 'match':
      case 'mismatch': {
        if (r.outcome === 'match') { acc.matched++; if (op) op.matched++ } else { acc.mismatched++; if (op) op.mismatched++ }
        acc.contract.add(r, id)
        acc.primaryMs.add(r.primary?.ms)
        acc.shadowMs.add(r.shadow?.ms)
        const ps = r.primary?.status ?? null
        const ss = r.shadow?.status ?? null
        if (ps !== ss) {
          const key = `${statusLabel(ps)} → ${statusLabel(ss)}`
          let sp = acc.statusPairs.get(key)
          if (sp === undefined) { sp = { primary: ps, shadow: ss, count: 0, examples: [] }; acc.statusPairs.set(key, sp) }
          sp.count++
          if (sp.examples.length < MAX_EXAMPLES) sp.examples.push(id)
        }
        if (r.outcome === 'mismatch' && Array.isArray(r.differences)) {
          const diffs = r.differences
          seen.clear()
          for (let i = 0; i < diffs.length; i++) {
            const d = diffs[i] as Difference | null | undefined // untrusted: the line was only JSON-parsed
            if (d === null || d === undefined || typeof d !== 'object' || typeof (d.path as unknown) !== 'string' || (d as { accepted?: unknown }).accepted === true) continue
            const path = foldIndexes(d.path)
            const kind: DifferenceKind = d.kind
            if (diffs.length > 1) { // a record counts once per folded path, and once per kind at it
              const pathKind = path + '\u0000' + kind
              if (seen.has(pathKind)) continue
              seen.add(pathKind)
              if (seen.has(path)) {
                const known = acc.paths.entry(path)
                known.kinds[kind] = (known.kinds[kind] ?? 0) + 1
                continue
              }
              seen.add(path)
            }
            const e = acc.paths.entry(path)
            e.count++
            e.kinds[kind] = (e.kinds[kind] ?? 0) + 1
            if (e.examples.length < MAX_EXAMPLES && !e.examples.includes(id)) e.examples.push(id)
            if (e.example === null) e.example = exampleOf(r, id, d)
          }
        }
        break
      }
    }
  }

  const out: RouteReport[] = []
  for (const acc of routes.values()) out.push(finishRoute(acc, opts.stages?.get(acc.route) ?? acc.stage, thresholds, top))
  const sorted = sortRoutes(out)

  const skipped: Record<string, number> = {}
  let matched = 0; let mismatched = 0; let errors = 0; let skippedTotal = 0
  let firstAt: string | null = null; let lastAt: string | null = null
  const verdicts = Object.fromEntries(VERDICTS.map(v => [v, 0])) as Record<Verdict, number>
  for (const r of sorted) {
    matched += r.matched; mismatched += r.mismatched; errors += r.errors; skippedTotal += r.skippedTotal
    for (const [k, v] of Object.entries(r.skipped)) skipped[k] = (skipped[k] ?? 0) + v
    if (r.firstAt !== null && (firstAt === null || r.firstAt < firstAt)) firstAt = r.firstAt
    if (r.lastAt !== null && (lastAt === null || r.lastAt > lastAt)) lastAt = r.lastAt
    verdicts[r.verdict]++
  }
  return {
    generatedAt: (opts.now ?? new Date()).toISOString(),
    store: opts.store ?? null,
    filters: { route: routeFilter, since: opts.since ? opts.since.toISOString() : null },
    thresholds,
    totals: {
      records: records_,
      ignored,
      unreadableLines: 0,
      routes: sorted.length,
      compared: matched + mismatched,
      matched,
      mismatched,
      errors,
      skipped: sortedCounts(skipped),
      skippedTotal,
      parity: parityOf(matched, matched + mismatched),
      verdicts,
      firstAt,
      lastAt
    },
    routes: sorted
  }
}

function sortedCounts (m: Map<string, number> | Record<string, number>): Record<string, number> {
  const entries = m instanceof Map ? [...m] : Object.entries(m)
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  return Object.fromEntries(entries)
}

function finishRoute (acc: RouteAcc, stage: Stage | null, t: VerdictThresholds, top: number): RouteReport {
  const compared = acc.matched + acc.mismatched
  const parity = parityOf(acc.matched, compared)
  const pairs = compared + acc.errors
  let skippedTotal = 0
  for (const v of acc.skipped.values()) skippedTotal += v
  const topDifferences: TopDifference[] = acc.paths.top(top).map(([path, e]) => ({
    path,
    count: e.count,
    share: acc.mismatched === 0 ? 0 : e.count / acc.mismatched,
    kinds: e.kinds,
    examples: e.examples,
    example: e.example
  }))
  const statusPairs: StatusPair[] = [...acc.statusPairs]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_STATUS_PAIRS)
    .map(([label, s]) => ({ primary: s.primary, shadow: s.shadow, label, count: s.count, examples: s.examples }))
  const operations: OperationCounts[] = [...acc.operations]
    .map(([operation, o]) => ({
      operation,
      compared: o.matched + o.mismatched,
      matched: o.matched,
      mismatched: o.mismatched,
      errors: o.errors,
      parity: parityOf(o.matched, o.matched + o.mismatched)
    }))
    .sort((a, b) => (a.operation < b.operation ? -1 : 1))
  return {
    route: acc.route,
    stage,
    verdict: verdictOf({ compared, errors: acc.errors, parity }, t),
    compared,
    matched: acc.matched,
    mismatched: acc.mismatched,
    errors: acc.errors,
    skipped: sortedCounts(acc.skipped),
    skippedTotal,
    parity,
    errorRate: pairs === 0 ? null : acc.errors / pairs,
    firstAt: acc.firstAt,
    lastAt: acc.lastAt,
    latency: {
      primary: { count: acc.primaryMs.count, p50: acc.primaryMs.percentile(0.5), p99: acc.primaryMs.percentile(0.99) },
      shadow: { count: acc.shadowMs.count, p50: acc.shadowMs.percentile(0.5), p99: acc.shadowMs.percentile(0.99) }
    },
    topDifferences,
    distinctPaths: acc.paths.distinct,
    pathsApproximate: acc.paths.approximate,
    statusPairs,
    topErrors: acc.errorMessages.top(TOP_ERRORS).map(([message, e]) => ({ message, count: e.count, examples: e.examples })),
    operations,
    contract: acc.contract.records,
    topContract: acc.contract.top(TOP_ERRORS)
  }
}
