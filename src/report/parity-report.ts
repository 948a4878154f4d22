/**
 * The shape `aggregateRecords` produces and every renderer reads. `--format
 * json` serialises it (see render-json.ts for the stable, versioned schema).
 */
import type { Stage } from '../config/types.js'
import type { DifferenceKind, JsonValue } from '../store/difference.js'
import type { LastFlip } from './last-flip.js'

/**
 * How close a route is to being flipped (thresholds in `VerdictThresholds`,
 * a route's own from its gates when the rules are known: gate-thresholds.ts):
 * - `ready`: enough pairs seen, parity and shadow error rate within the ready bar;
 * - `almost`: enough pairs, within the looser bar;
 * - `broken`: enough pairs, below it;
 * - `insufficient-data`: fewer pairs (compared + shadow errors) than `minCompared`.
 */
export type Verdict = 'ready' | 'almost' | 'broken' | 'insufficient-data'

export const VERDICTS: readonly Verdict[] = ['ready', 'almost', 'broken', 'insufficient-data']

export interface VerdictThresholds {
  /** pairs (compared + shadow errors) needed before any verdict but insufficient-data; default 100 */
  readonly minCompared: number
  /** parity at or above which a route is ready (fraction); default 0.999 */
  readonly ready: number
  /** parity at or above which a route is almost ready; default 0.95 */
  readonly almost: number
  /** highest shadow error rate (errors / (compared + errors)) for ready; default 0.001 */
  readonly readyErrorRate: number
  /** highest shadow error rate for almost; default 0.05 */
  readonly almostErrorRate: number
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = Object.freeze({
  minCompared: 100,
  ready: 0.999,
  almost: 0.95,
  readyErrorRate: 0.001,
  almostErrorRate: 0.05
})

/**
 * The gates a route's verdict was judged by: the route's `gates` from the
 * rules when the report knows them, else the report's thresholds (the
 * defaults). `ready` needs all three; see gate-thresholds.ts for `almost`.
 */
export interface RouteGates {
  /** pairs (compared + shadow errors) needed before a verdict */
  readonly minPairs: number
  /** parity (fraction) at or above which the route is ready */
  readonly parity: number
  /** shadow error rate (fraction) at or below which the route is ready */
  readonly maxShadowErrors: number
  /**
   * the rules' window as written (`24h`): how far back `status` and
   * `promote` read; the report itself reads every record (or `--since`).
   * Null when the report was made without the route's rules.
   */
  readonly window: string | null
}

/** Latency of one side over the compared pairs, milliseconds (≤ 0.1 % relative error). */
export interface LatencySummary {
  /** samples: the compared pairs of the route */
  readonly count: number
  readonly p50: number | null
  readonly p99: number | null
}

/** One difference as stored in a record, kept as the example of a folded path. */
export interface DifferenceExample {
  /** id of the record it comes from */
  readonly id: string
  readonly kind: DifferenceKind
  /** concrete path, before folding */
  readonly path: string
  /** value on the primary side; absent for `added` (and for `contract` on the shadow side) */
  readonly primary?: JsonValue
  /** value on the shadow side; absent for `removed` */
  readonly shadow?: JsonValue
  /** for `contract`: the schema message */
  readonly message?: string
  /** the upstreams of the record's two sides */
  readonly primaryUpstream: string | null
  readonly shadowUpstream: string | null
  /** the record's request: method and url (path and query, secrets redacted), null when the record has none */
  readonly method: string | null
  readonly url: string | null
}

export interface TopDifference {
  /** JSON path with array indexes folded to [*] */
  readonly path: string
  /** mismatched records of the route that differ at this path */
  readonly count: number
  /** count ÷ mismatched records of the route, fraction 0..1 */
  readonly share: number
  /** how the records differ at this path, by difference kind (counts of records) */
  readonly kinds: Readonly<Partial<Record<DifferenceKind, number>>>
  /** up to 3 record ids (the first seen) */
  readonly examples: readonly string[]
  /** the first difference seen at this path, for a side-by-side view */
  readonly example: DifferenceExample | null
}

/** One of the most frequent contract findings of a route (`serve --spec`). */
export interface ContractTop {
  /** the side whose response breaks the contract */
  readonly side: 'primary' | 'shadow'
  /** JSON path with array indexes folded to [*], or `$status` for an undeclared status */
  readonly path: string
  /** records with this finding */
  readonly count: number
  /** up to 3 record ids (the first seen) */
  readonly examples: readonly string[]
  /** the first finding's schema pointer and message */
  readonly schemaPath: string
  readonly message: string
}

export interface StatusPair {
  readonly primary: number | null
  readonly shadow: number | null
  /** e.g. `200 → 201` */
  readonly label: string
  readonly count: number
  readonly examples: readonly string[]
}

export interface ErrorSummary {
  readonly message: string
  readonly count: number
  readonly examples: readonly string[]
}

export interface OperationCounts {
  readonly operation: string
  readonly compared: number
  readonly matched: number
  readonly mismatched: number
  readonly errors: number
  readonly parity: number | null
}

export interface Counts {
  /** matched + mismatched */
  readonly compared: number
  readonly matched: number
  readonly mismatched: number
  /** shadow errors */
  readonly errors: number
  /** pairs not compared, by reason (aggregated skip records count `count` times) */
  readonly skipped: Readonly<Record<string, number>>
  readonly skippedTotal: number
  /** matched ÷ compared, 0..1; null when nothing was compared */
  readonly parity: number | null
}

export interface RouteReport extends Counts {
  readonly route: string
  /** from the rules when the caller knows them, else null (records do not say) */
  readonly stage: Stage | null
  readonly verdict: Verdict
  /** what the verdict was judged by */
  readonly gates: RouteGates
  /** the route's last entry in the audit log (a flip, a rollback, a rollout step); null when none, or not read */
  readonly lastFlip: LastFlip | null
  /** errors ÷ (compared + errors); null when both are 0 */
  readonly errorRate: number | null
  /** time of the first and last record of the route (ISO) */
  readonly firstAt: string | null
  readonly lastAt: string | null
  readonly latency: { readonly primary: LatencySummary; readonly shadow: LatencySummary }
  /** most frequent differing paths, most frequent first */
  readonly topDifferences: readonly TopDifference[]
  /** distinct folded paths seen (a lower bound when `pathsApproximate`) */
  readonly distinctPaths: number
  /** true when the route had more distinct paths than the counter keeps: counts are lower bounds */
  readonly pathsApproximate: boolean
  /** status-code pairs of compared records whose statuses differ, most frequent first */
  readonly statusPairs: readonly StatusPair[]
  /** most frequent shadow error messages */
  readonly topErrors: readonly ErrorSummary[]
  /** per OpenAPI operation, when records carry `operation`; else empty */
  readonly operations: readonly OperationCounts[]
  /** compared records with at least one contract finding (either side); not part of parity */
  /** differences learned correlation explained (`correlate`), summed over compared records; not differences */
  readonly correlated: number
  /** paths recorded as noise (calibration found the primary's own answers differ there), folded, sorted */
  readonly noise: readonly string[]
  /** the group signature found in every mismatched pair of this route, when one is */
  readonly explainedBy: string | null
  readonly contract: number
  /** most frequent contract findings, most frequent first */
  readonly topContract: readonly ContractTop[]
}

export interface ReportFilters {
  readonly route: string | null
  /** ISO time; records before it are left out */
  readonly since: string | null
}

export interface ReportTotals extends Counts {
  /** records read (after filters), aggregated skip records counted once */
  readonly records: number
  /** records that parsed but are not usable (no route, unknown outcome) */
  readonly ignored: number
  /** store lines the reader skipped: torn (a crash mid-write) or malformed; set by runReport */
  readonly unreadableLines: number
  readonly routes: number
  readonly verdicts: Readonly<Record<Verdict, number>>
  readonly firstAt: string | null
  readonly lastAt: string | null
}

/** A root cause across routes: every mismatched pair with a difference of one signature. */
export interface DifferenceGroup {
  /** `status 200 → 401`, or the kind and the folded path: `changed $.items[*].price` */
  readonly signature: string
  readonly kind: DifferenceKind
  /** folded path (`$status` for a status group) */
  readonly path: string
  /** for a status group, the two statuses */
  readonly status: { readonly primary: number; readonly shadow: number } | null
  /** mismatched pairs with such a difference, over all routes */
  readonly pairs: number
  /** the routes it spans, most pairs first */
  readonly routes: ReadonlyArray<{ readonly route: string; readonly pairs: number }>
  /** record ids */
  readonly examples: readonly string[]
}

export interface ParityReport {
  readonly generatedAt: string
  /** the store directory read, when known */
  readonly store: string | null
  readonly filters: ReportFilters
  readonly thresholds: VerdictThresholds
  readonly totals: ReportTotals
  /** in report order: see sortRoutes (sort-routes.ts) */
  readonly routes: readonly RouteReport[]
  /** differences grouped by signature across routes, largest first */
  readonly groups: readonly DifferenceGroup[]
  /** set by `report --rules`: the rules re-scored under, and per route how many records came from kept pairs or stored differences */
  readonly rescored?: Rescored
  /** the HTML report's examples: the two whole answers of a kept pair, by record id */
  readonly exampleDocuments?: Readonly<Record<string, ExampleDocuments>>
}

/** The two answers of a kept pair as text (JSON pretty-printed), for showing them side by side. */
export interface ExampleDocuments {
  readonly primary: string
  readonly shadow: string
}

export interface Rescored {
  readonly rules: string
  readonly routes: Readonly<Record<string, { readonly fromPairs: number; readonly fromDifferences: number }>>
}

/** One line naming how the report was re-scored, or null. */
export function rescoredLine (r: Rescored | undefined): string | null {
  if (r === undefined) return null
  const parts = Object.entries(r.routes).sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([route, c]) => `${route} (${c.fromPairs} from kept pairs, ${c.fromDifferences} from stored differences)`)
  return `re-scored under ${r.rules}: ${parts.length === 0 ? 'no compared records' : parts.join('; ')}`
}
