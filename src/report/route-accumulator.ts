/**
 * One route's part of a report, built one record at a time. Memory is bounded
 * whatever the number of records: counters, two latency histograms, a bounded
 * path counter and a bounded error-message counter, status pairs and
 * operations (a handful per route).
 */
import type { Stage } from '../config/types.js'
import type { Difference, DifferenceKind } from '../store/difference.js'
import { foldIndexes } from '../config/json-path.js'
import type { DiffRecord } from '../store/record.js'
import { LatencyHistogram } from './latency-histogram.js'
import { PathCounter, MAX_EXAMPLES } from './path-counter.js'
import type {
  DifferenceExample, OperationCounts, RouteGates, RouteReport, StatusPair, TopDifference, VerdictThresholds
} from './parity-report.js'
import { verdictOf } from './verdict-of.js'
import { parityOf } from './parity-of.js'
import { sortedCounts } from './sorted-counts.js'
import { ContractCounter } from './contract-counter.js'

const TOP_STATUS_PAIRS = 10
const TOP_ERRORS = 5
const MAX_ERROR_MESSAGE = 300
const ERROR_MESSAGE_CAPACITY = 100
const MAX_NOISE_PATHS = 200

interface OperationAcc { matched: number; mismatched: number; errors: number }
interface StatusPairAcc { readonly primary: number | null; readonly shadow: number | null; count: number; readonly examples: string[] }

export class RouteAccumulator {
  private matched = 0
  private mismatched = 0
  private errors = 0
  private readonly skipped = new Map<string, number>()
  private firstAt: string | null = null
  private lastAt: string | null = null
  /** the stage written in the newest record that carries one */
  private stage: Stage | null = null
  private stageAt: string | null = null
  private readonly primaryMs = new LatencyHistogram()
  private readonly shadowMs = new LatencyHistogram()
  private readonly paths: PathCounter
  private readonly statusPairs = new Map<string, StatusPairAcc>()
  private readonly errorMessages = new PathCounter(ERROR_MESSAGE_CAPACITY)
  private readonly operations = new Map<string, OperationAcc>()
  private readonly contract = new ContractCounter()
  /** differences learned correlation explained, summed over compared records */
  private correlated = 0
  /** folded paths of differences recorded as noise (calibration), bounded */
  private readonly noise = new Set<string>()
  /** scratch for the record being added: its folded paths, and path + kind pairs */
  private readonly seen = new Set<string>()

  /** `pathCapacity`: distinct paths counted exactly before counts become approximate */
  constructor (readonly route: string, pathCapacity: number) {
    this.paths = new PathCounter(pathCapacity)
  }

  /**
   * Count one record of this route. The caller has checked that it is an
   * object of this route with a known outcome; every other field is untrusted
   * (the line was only JSON-parsed).
   */
  add (r: DiffRecord): void {
    const at = typeof r.at === 'string' ? r.at : null
    if (at !== null) {
      if (this.firstAt === null || at < this.firstAt) this.firstAt = at
      if (this.lastAt === null || at > this.lastAt) this.lastAt = at
    }
    if (typeof r.stage === 'string' && (this.stageAt === null || (at !== null && at >= this.stageAt))) {
      this.stage = r.stage
      this.stageAt = at ?? this.stageAt
    }
    const id = typeof r.id === 'string' ? r.id : ''
    let op: OperationAcc | undefined
    if (typeof r.operation === 'string' && r.operation !== '') {
      op = this.operations.get(r.operation)
      if (op === undefined) { op = { matched: 0, mismatched: 0, errors: 0 }; this.operations.set(r.operation, op) }
    }
    switch (r.outcome) {
      case 'skipped': this.addSkipped(r); break
      case 'shadow-error': this.addError(r, id, op); break
      case 'match':
      case 'mismatch': this.addCompared(r, id, op); break
    }
  }

  /**
   * The route's report. `rulesStage`: the route's stage from the rules, when
   * the caller has them; otherwise the stage of the newest record that carries
   * one, else null. `gates`: what `thresholds` came from, as the report
   * shows it (default: the thresholds themselves, no window).
   */
  report (thresholds: VerdictThresholds, top: number, rulesStage?: Stage, gates?: RouteGates): RouteReport {
    const compared = this.matched + this.mismatched
    const parity = parityOf(this.matched, compared)
    const pairs = compared + this.errors
    let skippedTotal = 0
    for (const v of this.skipped.values()) skippedTotal += v
    const topDifferences: TopDifference[] = this.paths.top(top).map(([path, e]) => ({
      path,
      count: e.count,
      share: this.mismatched === 0 ? 0 : e.count / this.mismatched,
      kinds: e.kinds,
      examples: e.examples,
      example: e.example
    }))
    const statusPairs: StatusPair[] = [...this.statusPairs]
      .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_STATUS_PAIRS)
      .map(([label, s]) => ({ primary: s.primary, shadow: s.shadow, label, count: s.count, examples: s.examples }))
    const operations: OperationCounts[] = [...this.operations]
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
      route: this.route,
      stage: rulesStage ?? this.stage,
      verdict: verdictOf({ compared, errors: this.errors, parity }, thresholds),
      gates: gates ?? { minPairs: thresholds.minCompared, parity: thresholds.ready, maxShadowErrors: thresholds.readyErrorRate, window: null },
      lastFlip: null,
      compared,
      matched: this.matched,
      mismatched: this.mismatched,
      errors: this.errors,
      skipped: sortedCounts(this.skipped),
      skippedTotal,
      parity,
      errorRate: pairs === 0 ? null : this.errors / pairs,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      latency: {
        primary: { count: this.primaryMs.count, p50: this.primaryMs.percentile(0.5), p99: this.primaryMs.percentile(0.99) },
        shadow: { count: this.shadowMs.count, p50: this.shadowMs.percentile(0.5), p99: this.shadowMs.percentile(0.99) }
      },
      topDifferences,
      distinctPaths: this.paths.distinct,
      pathsApproximate: this.paths.approximate,
      statusPairs,
      topErrors: this.errorMessages.top(TOP_ERRORS).map(([message, e]) => ({ message, count: e.count, examples: e.examples })),
      operations,
      contract: this.contract.records,
      topContract: this.contract.top(TOP_ERRORS),
      correlated: this.correlated,
      noise: [...this.noise].sort(),
      explainedBy: null
    }
  }

  /** An aggregated skip line stands for `count` pairs. */
  private addSkipped (r: DiffRecord): void {
    const n = r.count as unknown
    const weight = typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1
    const reason = typeof r.skipped === 'string' ? r.skipped : 'unknown'
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + weight)
  }

  private addError (r: DiffRecord, id: string, op: OperationAcc | undefined): void {
    this.errors++
    if (op) op.errors++
    const msg = typeof r.error === 'string' && r.error !== '' ? r.error.slice(0, MAX_ERROR_MESSAGE) : '(no message)'
    const e = this.errorMessages.entry(msg)
    e.count++
    if (e.examples.length < MAX_EXAMPLES) e.examples.push(id)
  }

  private addCompared (r: DiffRecord, id: string, op: OperationAcc | undefined): void {
    if (r.outcome === 'match') { this.matched++; if (op) op.matched++ } else { this.mismatched++; if (op) op.mismatched++ }
    this.contract.add(r, id)
    const correlated = r.correlated as unknown
    if (typeof correlated === 'number' && Number.isInteger(correlated) && correlated > 0) this.correlated += correlated
    this.primaryMs.add(r.primary?.ms)
    this.shadowMs.add(r.shadow?.ms)
    const ps = r.primary?.status ?? null
    const ss = r.shadow?.status ?? null
    if (ps !== ss) {
      const key = `${statusLabel(ps)} → ${statusLabel(ss)}`
      let sp = this.statusPairs.get(key)
      if (sp === undefined) { sp = { primary: ps, shadow: ss, count: 0, examples: [] }; this.statusPairs.set(key, sp) }
      sp.count++
      if (sp.examples.length < MAX_EXAMPLES) sp.examples.push(id)
    }
    if (Array.isArray(r.differences) && r.differences.length > 0) this.addDifferences(r, id)
  }

  /** A record counts once per folded path, and once per kind at it. */
  private addDifferences (r: DiffRecord, id: string): void {
    const diffs = r.differences
    const seen = this.seen
    seen.clear()
    for (let i = 0; i < diffs.length; i++) {
      const d = diffs[i] as Difference | null | undefined // untrusted: the line was only JSON-parsed
      if (d === null || d === undefined || typeof d !== 'object' || typeof (d.path as unknown) !== 'string' || (d as { accepted?: unknown }).accepted === true) continue
      if ((d as { noise?: unknown }).noise === true) {
        if (this.noise.size < MAX_NOISE_PATHS) this.noise.add(foldIndexes(d.path))
        continue
      }
      // a match keeps only accepted or noise differences: nothing to count
      if (r.outcome !== 'mismatch') continue
      const path = foldIndexes(d.path)
      const kind: DifferenceKind = d.kind
      if (diffs.length > 1) {
        const pathKind = path + '\u0000' + kind
        if (seen.has(pathKind)) continue
        seen.add(pathKind)
        if (seen.has(path)) {
          const known = this.paths.entry(path)
          known.kinds[kind] = (known.kinds[kind] ?? 0) + 1
          continue
        }
        seen.add(path)
      }
      const e = this.paths.entry(path)
      e.count++
      e.kinds[kind] = (e.kinds[kind] ?? 0) + 1
      if (e.examples.length < MAX_EXAMPLES && !e.examples.includes(id)) e.examples.push(id)
      if (e.example === null) e.example = exampleOf(r, id, d)
    }
  }
}

function statusLabel (s: number | null): string {
  return s === null ? 'none' : String(s)
}

/** The first difference seen at a path, kept whole with the record's upstreams. */
function exampleOf (r: DiffRecord, id: string, d: Difference): DifferenceExample {
  const ups = {
    primaryUpstream: typeof r.primary?.upstream === 'string' ? r.primary.upstream : null,
    shadowUpstream: typeof r.shadow?.upstream === 'string' ? r.shadow.upstream : null,
    method: typeof r.method === 'string' && r.method !== '' ? r.method : null,
    url: typeof r.url === 'string' && r.url !== '' ? r.url : null
  }
  switch (d.kind) {
    case 'added': return { id, kind: d.kind, path: d.path, shadow: d.shadow, ...ups }
    case 'removed': return { id, kind: d.kind, path: d.path, primary: d.primary, ...ups }
    case 'contract': return { id, kind: d.kind, path: d.path, message: `${d.side} breaks ${d.schemaPath}: ${d.message}`, ...ups }
    default: return { id, kind: d.kind, path: d.path, primary: d.primary, shadow: d.shadow, ...ups }
  }
}
