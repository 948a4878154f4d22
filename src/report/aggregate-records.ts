/**
 * Streaming aggregation of diff records into a ParityReport. One pass, memory
 * bounded by the number of routes (one RouteAccumulator each), never by the
 * number of records.
 */
import type { GatesConfig, Stage } from '../config/types.js'
import type { DiffRecord } from '../store/record.js'
import { DEFAULT_THRESHOLDS, type ParityReport, type VerdictThresholds } from './parity-report.js'
import { RouteAccumulator } from './route-accumulator.js'
import { DifferenceGroups } from './difference-groups.js'
import { reportTotals } from './report-totals.js'
import { sortRoutes } from './sort-routes.js'
import { routeGatesOf, thresholdsOfGates } from './gate-thresholds.js'

export interface AggregateOptions {
  /** keep only this route (also applied by the store reader; checked again here) */
  readonly route?: string | null
  /** keep only records at or after this time */
  readonly since?: Date | null
  /** the stage of each route, when the caller has the rules; otherwise the stage the newest record carries, else null */
  readonly stages?: ReadonlyMap<string, Stage>
  /** the report's thresholds (default DEFAULT_THRESHOLDS): the verdicts of routes without `gates` below */
  readonly thresholds?: Partial<VerdictThresholds>
  /** each route's gates, when the caller has the rules: its verdict is judged by them (gate-thresholds.ts) */
  readonly gates?: ReadonlyMap<string, GatesConfig>
  /** how many differing paths per route (default 10) */
  readonly top?: number
  /** distinct paths counted exactly per route before counts become approximate (default 1000) */
  readonly pathCapacity?: number
  /** the store directory, reported as is */
  readonly store?: string | null
  /** the report's time (default now) */
  readonly now?: Date
}

function isOutcome (o: unknown): o is DiffRecord['outcome'] {
  return o === 'match' || o === 'mismatch' || o === 'shadow-error' || o === 'skipped'
}

/** Aggregate records, in one streaming pass, into a ParityReport. */
export async function aggregateRecords (records: AsyncIterable<DiffRecord> | Iterable<DiffRecord>, opts: AggregateOptions = {}): Promise<ParityReport> {
  const thresholds: VerdictThresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds }
  const top = opts.top ?? 10
  const pathCapacity = opts.pathCapacity ?? 1000
  const routeFilter = opts.route ?? null
  const sinceMs = opts.since ? opts.since.getTime() : null
  const routes = new Map<string, RouteAccumulator>()
  const groups = new DifferenceGroups()
  let read = 0
  let ignored = 0

  for await (const r of records) {
    if (r === null || typeof r !== 'object' || typeof r.route !== 'string' || !isOutcome(r.outcome)) { ignored++; continue }
    if (routeFilter !== null && r.route !== routeFilter) continue
    if (sinceMs !== null) {
      const t = typeof r.at === 'string' ? Date.parse(r.at) : NaN
      if (!(t >= sinceMs)) continue
    }
    read++
    let acc = routes.get(r.route)
    if (acc === undefined) { acc = new RouteAccumulator(r.route, pathCapacity); routes.set(r.route, acc) }
    acc.add(r)
    groups.add(r)
  }

  const sorted = sortRoutes([...routes.values()].map(acc => {
    const gates = opts.gates?.get(acc.route)
    const judged = gates === undefined ? thresholds : thresholdsOfGates(gates)
    return { ...acc.report(judged, top, opts.stages?.get(acc.route), routeGatesOf(gates, thresholds)), explainedBy: groups.explaining(acc.route) }
  }))
  return {
    generatedAt: (opts.now ?? new Date()).toISOString(),
    store: opts.store ?? null,
    filters: { route: routeFilter, since: opts.since ? opts.since.toISOString() : null },
    thresholds,
    totals: reportTotals(sorted, { records: read, ignored }),
    routes: sorted,
    groups: groups.groups(top)
  }
}
