import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { RouteConfig } from '../config/types.js'
import type { ComparePool, CompareReceiver } from '../compare/pool/compare-pool.js'
import type { CompareResult } from '../compare/compare-result.js'
import type { CapturedResponse } from '../compare/captured-response.js'
import type { ContractFinding, Difference } from '../store/difference.js'
import { redactDifferences, redactUrl } from '../compare/redact.js'
import { clipDifferences } from '../compare/clip-differences.js'
import type { DiffRecord, Outcome, SideSummary, SkipReason } from '../store/record.js'
import type { Store } from '../store/store.js'
import type { ProxyMetrics } from '../metrics/metrics.js'
import type { ParityTracker } from './parity-tracker.js'
import type { SideCapture } from './side-capture.js'
import { absorbCorrelated, type CorrelationLookup } from '../compare/absorb-correlated.js'
import type { LearnedPair } from '../compare/learn-pairs.js'
import type { NoisePaths } from './noise-paths.js'
import type { PairKeeper, PairRequest } from './pair-keeper.js'

/** A pair that teaches learned correlation: the route's learn paths, and who takes what they find. */
export interface PairLearning {
  readonly paths: readonly string[]
  /** called exactly once per recorded pair: with the pairs found, or none (not compared) */
  done (pairs: readonly LearnedPair[]): void
}

const NOTHING_LEARNED: readonly LearnedPair[] = []

/** Checks a response against the OpenAPI contract; wired with `serve --spec`. */
export interface ContractCheck {
  /** the operation template for a request, or null when no operation matches */
  operation (method: string, path: string): string | null
  /** contract findings of one side; empty when it conforms or no schema applies */
  check (method: string, path: string, side: 'primary' | 'shadow', res: CapturedResponse): ContractFinding[]
}

export interface PairInput {
  readonly route: RouteConfig
  readonly method: string
  readonly path: string
  readonly query: string
  readonly at: Date
  readonly primary: SideCapture
  readonly shadow: SideCapture
  /** set when the route learns correlation pairs */
  readonly learning?: PairLearning | null
  /** noise calibration: a second answer of the primary's upstream to the same request */
  readonly calibration?: SideCapture | null
  /** the client's request, for a kept pair */
  readonly request?: PairRequest | null
  /** `shadow.maxBodyBytes` and `shadow.maxPairsPerMinute` of the rules the request ran on */
  readonly limits?: { readonly maxBodyBytes: number; readonly maxPairsPerMinute: number }
}

export interface PairRecorderDeps {
  readonly comparePool: ComparePool
  readonly store: Store
  readonly metrics: ProxyMetrics
  readonly parity: ParityTracker
  readonly log: Logger
  readonly contract: ContractCheck | null
  /** learned correlation: differences it explains are counted (`correlated`), not kept */
  readonly correlation?: CorrelationLookup | null
  /** noise found by calibration, per route */
  readonly noise?: NoisePaths | null
  /** which compared pairs are kept whole beside their records (`shadow.keepPairs`) */
  readonly pairs?: PairKeeper | null
}

/** What every record of one pair shares. */
interface RecordBase {
  readonly id: string
  readonly at: string
  readonly route: RouteConfig
  readonly method: string
  readonly url: string
  readonly operation: string | null
  readonly primary: SideSummary
  readonly shadow: SideSummary
}

/**
 * One record, built as a single object literal (no spread of a shared base
 * per record); key order as in DESIGN.md. Optional keys are left out, not
 * set to undefined, so the stored JSON is the same.
 */
function recordOf (b: RecordBase, outcome: Outcome, differences: readonly Difference[], skipped: SkipReason | undefined, error: string | undefined): DiffRecord {
  if (error === undefined && skipped === undefined) {
    return b.operation === null
      ? { v: 1, id: b.id, at: b.at, route: b.route.name, method: b.method, url: b.url, stage: b.route.stage, primary: b.primary, shadow: b.shadow, outcome, differences }
      : { v: 1, id: b.id, at: b.at, route: b.route.name, method: b.method, url: b.url, operation: b.operation, stage: b.route.stage, primary: b.primary, shadow: b.shadow, outcome, differences }
  }
  // the rarer records: skipped / error before differences, as they always were
  const r: { -readonly [K in keyof DiffRecord]?: DiffRecord[K] } = { v: 1, id: b.id, at: b.at, route: b.route.name, method: b.method, url: b.url }
  if (b.operation !== null) r.operation = b.operation
  r.stage = b.route.stage
  r.primary = b.primary
  r.shadow = b.shadow
  r.outcome = outcome
  if (skipped !== undefined) r.skipped = skipped
  if (error !== undefined) r.error = error
  r.differences = differences
  return r as DiffRecord
}

let lastMs = NaN
let lastIso = ''

/** Date#toISOString, remembered for the last millisecond (records under load share it). */
function isoTime (d: Date): string {
  const ms = d.getTime()
  if (ms !== lastMs) {
    lastMs = ms
    lastIso = d.toISOString()
  }
  return lastIso
}

function summary (s: SideCapture): SideSummary {
  return { upstream: s.upstream, status: s.status, ms: s.ms, bytes: s.bytes }
}

/**
 * Turns a settled pair into a diff record, off the request path: compare (in
 * the compare pool), add contract findings (their own list: they are about one
 * side and never change the outcome), redact, append. Every failure
 * here becomes a record or a log line; none reaches a client (Scientist's
 * rule: the control always wins).
 */
export class PairRecorder {
  private readonly deps: PairRecorderDeps
  private inFlight = 0
  private idle: Array<() => void> = []

  constructor (deps: PairRecorderDeps) {
    this.deps = deps
  }

  record (pair: PairInput): void {
    this.inFlight++
    let handedOver = false
    try {
      handedOver = this.process(pair)
    } catch (err) {
      this.deps.log.error({ err, route: pair.route.name }, 'recording a shadow pair failed')
    }
    if (!handedOver) {
      learned(pair, NOTHING_LEARNED)
      this.settled()
    }
  }

  /** Resolves once every pair handed over so far is in the store's buffer. */
  async drained (): Promise<void> {
    if (this.inFlight === 0) return
    await new Promise<void>((resolve) => this.idle.push(resolve))
  }

  /** One pair is recorded (or given up). */
  settled (): void {
    this.inFlight--
    if (this.inFlight === 0) for (const f of this.idle.splice(0)) f()
  }

  /** Record what needs no comparison; else start the comparison and return true (a PendingPair settles it). */
  private process (pair: PairInput): boolean {
    const { route, primary, shadow } = pair
    const operation = this.deps.contract?.operation(pair.method, pair.path) ?? null
    const base: RecordBase = {
      id: randomUUID(),
      at: isoTime(pair.at),
      route,
      method: pair.method,
      url: redactUrl(pair.path + pair.query, route.redact),
      operation,
      primary: summary(primary),
      shadow: summary(shadow)
    }
    const skip = (reason: SkipReason): false => {
      this.write(recordOf(base, 'skipped', [], reason, undefined))
      return false
    }

    if (primary.kind === 'aborted') return skip('client-aborted')
    if (primary.kind === 'error') return skip('primary-error')
    if (primary.kind === 'too-large' || shadow.kind === 'too-large') return skip('too-large')
    if (shadow.kind === 'error') {
      this.write(recordOf(base, 'shadow-error', [], undefined, shadow.error))
      return false
    }
    if (shadow.kind === 'aborted') return skip('client-aborted')

    const calibration = pair.calibration
    // a calibration answer with another status failed (or hit a real change): it teaches nothing
    if (calibration != null && calibration.kind === 'ok' && calibration.status === primary.status && this.deps.noise != null) {
      // the primary against its own second answer first: what differs there is noise for this route
      this.deps.comparePool.compareWith(primary, calibration, route.compare, new Calibration(this, pair, base, primary, shadow))
      return true
    }
    this.compareSides(pair, base, primary, shadow)
    return true
  }

  /** @internal the primary against the shadow (an `ok` side is the CapturedResponse the comparison takes) */
  compareSides (pair: PairInput, base: RecordBase, primary: CapturedResponse, shadow: CapturedResponse): void {
    this.deps.comparePool.compareWith(primary, shadow, pair.route.compare, new PendingPair(this, pair, base, primary, shadow), pair.learning?.paths)
  }

  /** @internal calibration compared: its paths are noise for the route */
  calibrated (pair: PairInput, result: CompareResult): void {
    if (result.differences.length > 0) this.deps.noise?.add(pair.route.name, result.differences.map((d) => d.path))
  }

  /** The comparison of a pair is done: add contract findings, redact, write. */
  compared (pair: PairInput, base: RecordBase, p: CapturedResponse, s: CapturedResponse, result: CompareResult): void {
    const route = pair.route
    let found = result.differences
    let outcome: Outcome = result.outcome
    let correlated = 0
    const lookup = this.deps.correlation
    if (lookup != null && found.length > 0) {
      const absorbed = absorbCorrelated(found, lookup)
      if (absorbed.correlated > 0) {
        found = absorbed.kept
        correlated = absorbed.correlated
        // what is left decides, unless differences past the cap were not kept
        if (!result.truncated && !found.some((d) => d.accepted !== true && d.noise !== true)) outcome = 'match'
      }
    }
    const noise = this.deps.noise
    if (noise != null && found.length > 0 && noise.any(route.name)) {
      let marked = false
      const withNoise = found.map((d) => {
        if (d.accepted === true || d.noise === true || !noise.has(route.name, d.path)) return d
        marked = true
        return { ...d, noise: true as const }
      })
      if (marked) {
        found = withNoise
        if (!result.truncated && !found.some((d) => d.accepted !== true && d.noise !== true)) outcome = 'match'
      }
    }
    const differences = found.length === 0 ? [] : clipDifferences(redactDifferences(found, route.redact))
    let record = recordOf(base, outcome, differences, undefined, undefined)
    if (correlated > 0) record = { ...record, correlated }
    if (this.keepPair(pair, base, outcome, p, s)) record = { ...record, pair: true }
    const contract = this.contractFindings(pair, p, s)
    // a finding carries a path, a schema pointer and the schema's message: no response values to redact
    this.write(contract.length === 0 ? record : { ...record, contract })
  }

  /** Keep the pair whole beside its record when the route keeps such pairs and its minute has room. */
  private keepPair (pair: PairInput, base: RecordBase, outcome: Outcome, p: CapturedResponse, s: CapturedResponse): boolean {
    const keeper = this.deps.pairs
    const limits = pair.limits
    if (keeper == null || limits === undefined || !keeper.wants(pair.route, outcome, limits.maxPairsPerMinute)) return false
    try {
      this.deps.store.appendPair(keeper.build({
        id: base.id,
        at: base.at,
        route: pair.route,
        method: pair.method,
        url: base.url,
        request: pair.request ?? null,
        primary: { ...p, upstream: base.primary.upstream },
        shadow: { ...s, upstream: base.shadow.upstream },
        maxBodyBytes: limits.maxBodyBytes
      }))
      return true
    } catch (err) {
      this.deps.log.error({ err, route: pair.route.name }, 'keeping a pair failed')
      return false
    }
  }

  /** Both sides' contract findings (`serve --spec`); a failing check is logged, never recorded. */
  private contractFindings (pair: PairInput, p: CapturedResponse, s: CapturedResponse): ContractFinding[] {
    if (this.deps.contract === null) return []
    try {
      return [
        ...this.deps.contract.check(pair.method, pair.path, 'primary', p),
        ...this.deps.contract.check(pair.method, pair.path, 'shadow', s)
      ]
    } catch (err) {
      this.deps.log.error({ err, route: pair.route.name }, 'contract check failed')
      return []
    }
  }

  /** Writing a pair's record failed (a bug): logged, never thrown at the compare pool. */
  failedToRecord (pair: PairInput, err: unknown): void {
    try {
      this.deps.log.error({ err, route: pair.route.name }, 'recording a shadow pair failed')
    } catch {
      // a logger that throws: nothing more to do
    }
  }

  /** The comparison of a pair could not run. */
  compareFailed (pair: PairInput, base: RecordBase, err: Error): void {
    const code = (err as { code?: string }).code
    if (code === 'COMPARE_QUEUE_FULL') {
      this.write(recordOf(base, 'skipped', [], 'compare-busy', undefined))
      return
    }
    this.deps.log.error({ err, route: pair.route.name }, 'comparison failed')
    this.write(recordOf(base, 'skipped', [], 'compare-error', undefined))
  }

  /** A pair given up before the mirror was sent (e.g. a request body over the cap). */
  skipPair (input: { route: RouteConfig; method: string; path: string; query: string; at: Date; primary: string; shadow: string; reason: SkipReason }): void {
    const route = input.route
    this.write({
      v: 1,
      id: randomUUID(),
      at: input.at.toISOString(),
      route: route.name,
      method: input.method,
      url: redactUrl(input.path + input.query, route.redact),
      stage: route.stage,
      primary: { upstream: input.primary, status: null, ms: 0, bytes: 0 },
      shadow: { upstream: input.shadow, status: null, ms: 0, bytes: 0 },
      outcome: 'skipped',
      skipped: input.reason,
      differences: []
    })
  }

  /** An aggregated skip line (concurrency skips are counted, not written one by one). */
  skipped (route: RouteConfig, reason: SkipReason, count: number, at: Date): void {
    const none = { upstream: '', status: null, ms: 0, bytes: 0 }
    this.write({
      v: 1,
      id: randomUUID(),
      at: at.toISOString(),
      route: route.name,
      method: '*',
      url: '',
      stage: route.stage,
      primary: none,
      shadow: { ...none, upstream: route.shadow ?? '' },
      outcome: 'skipped',
      skipped: reason,
      count,
      differences: []
    }, count)
  }

  private write (record: DiffRecord, n = 1): void {
    this.deps.store.append(record)
    this.deps.parity.count(record.route, record.outcome, n, record.stage)
    if (record.outcome === 'skipped') this.deps.metrics.shadowSkip(record.route, record.skipped ?? 'unknown', n)
    else this.deps.metrics.comparison(record.route, record.outcome)
  }
}

/** A pair whose primary is first compared with its calibration answer; then the sides are compared. */
class Calibration implements CompareReceiver {
  constructor (
    private readonly recorder: PairRecorder,
    private readonly pair: PairInput,
    private readonly base: RecordBase,
    private readonly p: CapturedResponse,
    private readonly s: CapturedResponse
  ) {}

  compared (result: CompareResult): void {
    try {
      this.recorder.calibrated(this.pair, result)
    } catch (err) {
      this.recorder.failedToRecord(this.pair, err)
    }
    this.next()
  }

  failed (): void {
    // no calibration this time; the pair is compared as usual
    this.next()
  }

  private next (): void {
    try {
      this.recorder.compareSides(this.pair, this.base, this.p, this.s)
    } catch (err) {
      this.recorder.failedToRecord(this.pair, err)
      learned(this.pair, NOTHING_LEARNED)
      this.recorder.settled()
    }
  }
}

/** A pair waiting for its comparison: the compare pool's receiver for it. */
class PendingPair implements CompareReceiver {
  private readonly recorder: PairRecorder
  private readonly pair: PairInput
  private readonly base: RecordBase
  private readonly p: CapturedResponse
  private readonly s: CapturedResponse

  constructor (recorder: PairRecorder, pair: PairInput, base: RecordBase, p: CapturedResponse, s: CapturedResponse) {
    this.recorder = recorder
    this.pair = pair
    this.base = base
    this.p = p
    this.s = s
  }

  compared (result: CompareResult): void {
    // learn first: this pair's own token or id difference is then explained by what it taught
    learned(this.pair, result.learned ?? NOTHING_LEARNED)
    try {
      this.recorder.compared(this.pair, this.base, this.p, this.s, result)
    } catch (err) {
      this.recorder.failedToRecord(this.pair, err)
    }
    this.recorder.settled()
  }

  failed (err: Error): void {
    learned(this.pair, NOTHING_LEARNED)
    try {
      this.recorder.compareFailed(this.pair, this.base, err)
    } catch (e) {
      this.recorder.failedToRecord(this.pair, e)
    }
    this.recorder.settled()
  }
}

/** Hand a pair's learned correlation pairs over; a failing taker never stops the record. */
function learned (pair: PairInput, pairs: readonly LearnedPair[]): void {
  try {
    pair.learning?.done(pairs)
  } catch {
    // the taker is the coordinator's; nothing here can help it
  }
}
