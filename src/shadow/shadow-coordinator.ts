import type { Logger } from 'pino'
import type { RouteConfig } from '../config/types.js'
import type { UpstreamPools } from '../upstream/upstream-pools.js'
import type { ProxyMetrics } from '../metrics/metrics.js'
import type { SkipReason } from '../store/record.js'
import type { MirrorSource, ShadowExchange } from './shadow-exchange.js'
import { headerObject } from '../upstream/forward-headers.js'
import { finishMirrorHeaders, mirrorClientHeaders, mirrorHeaders } from './mirror-headers.js'
import { correlateMirror, mirrorTokens, type MirrorParts } from './correlate-mirror.js'
import type { Correlation, Learning } from './correlation.js'
import type { UpstreamConfig } from '../config/types.js'
import { learnValues, type LearnedPair, type LearnedValue } from '../compare/learn-pairs.js'
import type { JsonValue } from '../store/difference.js'
import { rewritePath } from '../routing/rewrite-path.js'
import { BodyCapture } from './body-capture.js'
import { CaptureBudget } from './capture-budget.js'
import { OversizeBackoff, type OversizeVerdict } from './oversize-backoff.js'
import { mirrorRequest } from './mirror-request.js'
import type { PairLearning, PairRecorder } from '../record/pair-recorder.js'
import type { SideCapture } from '../record/side-capture.js'
import { shadowTarget } from './shadow-eligibility.js'
import type { MirrorTransforms } from './mirror-transforms.js'
import type { SharedCorrelation } from './shared-correlation.js'

export interface ShadowCoordinatorDeps {
  readonly pools: UpstreamPools
  readonly recorder: PairRecorder
  readonly metrics: ProxyMetrics
  readonly log: Logger
  /** learned correlation (rules with `correlate`); null: mirrors go as the client sent them */
  readonly correlation?: Correlation | null
  /** learned pairs shared with other proxies (serve --correlation); null: this process's own only */
  readonly sharedCorrelation?: SharedCorrelation | null
  /** how often aggregated skips (concurrency, too-large-backoff) are written (ms) */
  readonly skipFlushMs?: number
  /** route transforms for mirrors (null: mirrors and their answers go as they are) */
  readonly transforms?: MirrorTransforms | null
  /** the clock of the oversize backoff (tests) */
  readonly now?: () => number
}

/** skips counted per request and written in aggregate */
type AggregatedSkip = 'concurrency' | 'too-large-backoff'

/**
 * Decides which requests are mirrored and runs each mirrored exchange: the
 * shadow request starts together with the primary; the primary body is
 * teed to a bounded copy while it streams to the client; once both sides
 * have settled, the pair goes to the recorder. At most
 * `shadow.maxConcurrent` mirrors are in flight; beyond that a request is
 * served without a mirror and the skip is counted.
 */
export class ShadowCoordinator {
  private readonly deps: ShadowCoordinatorDeps
  private inFlight = 0
  /** aggregated skips waiting to be written: route -> reason -> count */
  private readonly pendingSkips = new Map<RouteConfig, Map<AggregatedSkip, number>>()
  private skipTimer: NodeJS.Timeout | null = null
  /** the bytes the mirror answers being read hold together (shadow.maxBufferedBytes of the rules in force) */
  readonly budget = new CaptureBudget(Infinity)
  /** routes whose shadow keeps answering over maxBodyBytes are not mirrored for a while */
  readonly oversize: OversizeBackoff

  constructor (deps: ShadowCoordinatorDeps) {
    this.deps = deps
    this.oversize = new OversizeBackoff(deps.now)
    deps.metrics.shadowBufferStats(() => this.budget)
  }

  get shadowsInFlight (): number {
    return this.inFlight
  }

  begin (st: MirrorSource): ShadowExchange | null {
    const route = st.route
    if (route === null) return null
    const policy = st.rules.shadow
    const target = shadowTarget(route, st.method, st.serving, policy)
    if (target === null) return null
    if (this.inFlight >= policy.maxConcurrent) {
      this.countSkip(route, 'concurrency')
      return null
    }
    const verdict = this.oversize.check(route.name, target)
    if (verdict === 'skip') {
      this.countSkip(route, 'too-large-backoff')
      return null
    }
    this.inFlight++
    this.deps.metrics.setShadowsInFlight(this.inFlight)
    this.budget.limit = policy.maxBufferedBytes
    return new MirroredExchange(this, st, route, target, verdict)
  }

  /** called once per begun exchange when its mirror is over (sent and answered, or never sent) */
  release (): void {
    this.inFlight--
    this.deps.metrics.setShadowsInFlight(this.inFlight)
  }

  get pools (): UpstreamPools { return this.deps.pools }
  get correlation (): Correlation | null { return this.deps.correlation ?? null }
  get sharedCorrelation (): SharedCorrelation | null { return this.deps.sharedCorrelation ?? null }
  get recorder (): PairRecorder { return this.deps.recorder }
  get transforms (): MirrorTransforms | null { return this.deps.transforms ?? null }
  get metrics (): ProxyMetrics { return this.deps.metrics }

  private countSkip (route: RouteConfig, reason: AggregatedSkip): void {
    let byReason = this.pendingSkips.get(route)
    if (byReason === undefined) {
      byReason = new Map()
      this.pendingSkips.set(route, byReason)
    }
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1)
    if (this.skipTimer === null) {
      this.skipTimer = setTimeout(() => this.flushSkips(), this.deps.skipFlushMs ?? 1000)
      this.skipTimer.unref()
    }
  }

  /** Write the aggregated concurrency skips now (also on shutdown). */
  flushSkips (): void {
    if (this.skipTimer !== null) {
      clearTimeout(this.skipTimer)
      this.skipTimer = null
    }
    const at = new Date()
    for (const [route, byReason] of this.pendingSkips) {
      for (const [reason, n] of byReason) this.deps.recorder.skipped(route, reason, n, at)
    }
    this.pendingSkips.clear()
  }
}

/** One mirrored request, from the decision to the hand-over to the recorder. */
class MirroredExchange implements ShadowExchange, PairLearning {
  readonly wantsBody: boolean
  readonly maxBodyBytes: number
  private readonly owner: ShadowCoordinator
  private readonly st: MirrorSource
  private readonly route: RouteConfig
  private readonly target: string
  private readonly at = new Date()
  private primary: SideCapture | null = null
  private primaryUpstream: string | null = null
  private primaryStatus: number | null = null
  private primaryHeaders: readonly string[] | null = null
  private capture: BodyCapture | null = null
  private shadow: SideCapture | null = null
  private released = false
  private cancelled = false
  /** the primary answer, while the pairs it teaches are being learned */
  private learning: Learning | null = null
  /** noise calibration: the same request sent a second time to the primary's upstream */
  private readonly calibrating: boolean
  private calibration: SideCapture | null = null
  /** the request body the mirror carried, for a kept pair */
  private requestBody: Buffer | null = null
  /** the oversize backoff's word on this mirror (a probe reports back) */
  private readonly verdict: OversizeVerdict
  private sent = false

  constructor (owner: ShadowCoordinator, st: MirrorSource, route: RouteConfig, target: string, verdict: OversizeVerdict) {
    this.owner = owner
    this.verdict = verdict
    this.st = st
    this.route = route
    this.target = target
    this.wantsBody = st.bodyDeclared
    this.maxBodyBytes = st.rules.shadow.maxBodyBytes
    this.calibrating = route.calibrate > 0 && (st.method === 'GET' || st.method === 'HEAD') && Math.random() < route.calibrate
  }

  start (body: Buffer | null): void {
    this.requestBody = body
    const st = this.st
    const upstream = st.rules.upstreams[this.target]!
    const path = rewritePath(this.route, st.path)
    if (this.calibrating) this.calibrate(path)
    const corr = this.owner.correlation
    const shared = st.rules.correlate.length > 0 ? this.owner.sharedCorrelation : null
    if (corr === null || (corr.idle && shared === null)) {
      this.send(upstream, path, st.query, mirrorHeaders(st.headers, upstream), body)
      return
    }
    const parts: MirrorParts = { path, query: st.query, headers: mirrorClientHeaders(st.headers, upstream), body }
    if (shared === null) {
      this.correlate(corr, upstream, parts)
      return
    }
    // the fleet's pairs for the values this mirror carries first (bounded wait; the client never waits)
    shared.resolve(mirrorTokens(parts), corr, st.rules.shadow.correlationEntries, () => this.correlate(corr, upstream, parts), st.rules.shadow.timeoutMs)
  }

  private correlate (corr: Correlation, upstream: UpstreamConfig, parts: MirrorParts): void {
    const st = this.st
    const pending = corr.learning === 0 ? NOT_WAITING : corr.pendingFor(mirrorTokens(parts))
    if (pending.length === 0) {
      this.sendCorrelated(corr, upstream, parts)
      return
    }
    // a value this mirror carries is still being learned: wait for it (the client never does)
    corr.wait(pending, st.rules.shadow.timeoutMs, () => this.sendCorrelated(corr, upstream, parts))
  }

  /** The same read, a second time, to the primary's upstream: where its two answers differ is noise. */
  private calibrate (path: string): void {
    const st = this.st
    const upstream = st.rules.upstreams[st.serving]!
    const transforms = this.owner.transforms
    let parts = { path, query: st.query, headers: mirrorHeaders(st.headers, upstream), body: null }
    if (transforms !== null) parts = transforms.request(this.route, st.serving, st.path, parts) as typeof parts
    mirrorRequest(this.owner.pools, {
      upstreamName: st.serving,
      upstream,
      method: st.method,
      path: upstream.basePath + parts.path + parts.query,
      headers: parts.headers,
      body: null,
      timeoutMs: st.rules.shadow.timeoutMs,
      maxBodyBytes: st.rules.shadow.maxBodyBytes,
      budget: this.owner.budget
    }, (r) => {
      if (this.calibration !== null) return
      this.calibration = transforms === null ? r : transforms.response(this.route, st.serving, st.method, r)
      this.maybeRecord()
    })
  }

  private sendCorrelated (corr: Correlation, upstream: UpstreamConfig, parts: MirrorParts): void {
    correlateMirror(parts, corr)
    this.send(upstream, parts.path, parts.query, finishMirrorHeaders(parts.headers, upstream), parts.body)
  }

  private send (upstream: UpstreamConfig, path: string, query: string, headers: string[], body: Buffer | null): void {
    const shadow = this.st.rules.shadow
    const started = performance.now()
    this.sent = true
    const transforms = this.owner.transforms
    if (transforms !== null) ({ path, query, headers, body } = transforms.request(this.route, this.target, this.st.path, { path, query, headers, body }))
    mirrorRequest(this.owner.pools, {
      upstreamName: this.target,
      upstream,
      method: this.st.method,
      path: upstream.basePath + path + query,
      headers,
      body,
      timeoutMs: shadow.timeoutMs,
      maxBodyBytes: shadow.maxBodyBytes,
      budget: this.owner.budget,
      abandon: () => this.owner.oversize.backingOff(this.route.name, this.target)
    }, (r) => {
      this.owner.metrics.shadowDone(this.route.name, this.target, (performance.now() - started) / 1000)
      this.owner.oversize.settled(this.route.name, this.target, this.verdict, r.kind === 'too-large')
      this.settleShadow(transforms === null ? r : transforms.response(this.route, this.target, this.st.method, r))
    })
  }

  cancel (reason: SkipReason): void {
    if (this.cancelled) return
    this.cancelled = true
    if (!this.sent) this.owner.oversize.dropped(this.route.name, this.target, this.verdict)
    this.learned([])
    this.release()
    if (reason === 'too-large') {
      const st = this.st
      this.owner.recorder.skipPair({ route: this.route, method: st.method, path: st.path, query: st.query, at: this.at, primary: st.serving, shadow: this.target, reason })
    }
  }

  primaryResponse (upstream: string, status: number, headers: readonly string[]): void {
    this.primaryUpstream = upstream
    this.primaryStatus = status
    this.primaryHeaders = headers
    this.capture = new BodyCapture(this.maxBodyBytes)
  }

  primaryData (chunk: Buffer): void {
    this.capture?.add(chunk)
  }

  primaryEnd (): void {
    const capture = this.capture
    if (capture === null) return
    const end = capture.finish()
    const upstream = this.primaryUpstream!
    const status = this.primaryStatus!
    if (end.kind === 'complete') {
      const corr = this.owner.correlation
      // this answer teaches pairs once its shadow answer is compared: later mirrors carrying its values wait
      if (corr !== null && this.route.learn.length > 0 && end.body !== null && !this.cancelled) {
        const values = valuesToLearn(end.body, this.primaryHeaders!, this.route.learn)
        if (values.length > 0) {
          this.learning = corr.track(values)
          // the fleet's mirrors carrying these values wait for the pair too
          if (this.st.rules.correlate.length > 0) this.owner.sharedCorrelation?.learning?.(values.map(String), this.st.rules.shadow.timeoutMs)
        }
      }
      this.settlePrimary({ kind: 'ok', upstream, status, headers: headerObject(this.primaryHeaders!), body: end.body, bytes: end.total, ms: this.elapsed() })
    } else {
      this.settlePrimary({ kind: 'too-large', upstream, status, bytes: end.total, ms: this.elapsed() })
    }
  }

  primaryAborted (): void {
    this.settlePrimary({ kind: 'aborted', upstream: this.primaryUpstream ?? this.st.answeredBy, status: this.primaryStatus, bytes: this.capture?.total ?? 0, ms: this.elapsed() })
  }

  primaryFailed (upstream: string, code: string): void {
    this.settlePrimary({ kind: 'error', upstream, status: null, error: code, bytes: 0, ms: this.elapsed() } as SideCapture)
  }

  private elapsed (): number {
    return Math.round((performance.now() - this.st.started) * 10) / 10
  }

  private release (): void {
    if (this.released) return
    this.released = true
    this.owner.release()
  }

  private settlePrimary (c: SideCapture): void {
    if (this.primary !== null) return
    this.primary = c
    this.maybeRecord()
  }

  private settleShadow (c: SideCapture): void {
    if (this.shadow !== null) return
    this.shadow = c
    this.release()
    this.maybeRecord()
  }

  private maybeRecord (): void {
    if (this.cancelled || this.primary === null || this.shadow === null) return
    if (this.calibrating && this.calibration === null) return
    this.owner.recorder.record({
      route: this.route,
      method: this.st.method,
      path: this.st.path,
      query: this.st.query,
      at: this.at,
      primary: this.primary,
      shadow: this.shadow,
      learning: this.route.learn.length > 0 && this.owner.correlation !== null ? this : null,
      calibration: this.calibration,
      request: { headers: this.st.headers, body: this.requestBody },
      limits: this.st.rules.shadow
    })
  }

  /** PairLearning: the paths this route learns at */
  get paths (): readonly string[] { return this.route.learn }

  /** PairLearning: the comparison found these pairs (or the pair was not compared) */
  done (pairs: readonly LearnedPair[]): void {
    this.learned(pairs)
  }

  private learned (pairs: readonly LearnedPair[]): void {
    const corr = this.owner.correlation
    if (corr === null) return
    if (pairs.length > 0) {
      corr.learn(pairs, this.st.rules.shadow.correlationEntries)
      this.owner.sharedCorrelation?.learned(pairs)
    }
    if (this.learning !== null) {
      corr.finish(this.learning)
      this.learning = null
    }
  }
}

const NOT_WAITING: readonly Learning[] = []
const NOTHING: LearnedValue[] = []

/** Per learn path, the quoted key names it needs (`$.order.id`: `"order"` and `"id"`); null: any body may hold it (`$[0]`, `$.*`). */
const keyNames = new WeakMap<readonly string[], ReadonlyArray<readonly Buffer[] | null>>()

/** false when no learn path can match: a key it names is not in the body (spares the JSON.parse). */
function mayHold (body: Buffer, paths: readonly string[]): boolean {
  let keys = keyNames.get(paths)
  if (keys === undefined) {
    keys = paths.map((p) => {
      const names = [...p.matchAll(/(?:\.\.?|\[')([A-Za-z_$][\w$-]*)/g)].map((m) => Buffer.from(JSON.stringify(m[1])))
      return names.length === 0 ? null : names
    })
    keyNames.set(paths, keys)
  }
  for (const names of keys) {
    if (names === null || names.every((n) => body.includes(n))) return true
  }
  return false
}

/**
 * The values a primary answer holds at its route's learn paths: the ones a
 * later mirror may carry before their pairs are learned. Read from an
 * uncompressed JSON body only (a compressed one is learned from as usual,
 * its mirrors just do not wait for it).
 */
function valuesToLearn (body: Buffer, headers: readonly string[], paths: readonly string[]): LearnedValue[] {
  if (!mayHold(body, paths)) return NOTHING
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!
    if (name === 'content-encoding' && headers[i + 1] !== 'identity') return []
  }
  let doc: JsonValue
  try { doc = JSON.parse(body.toString('utf8')) as JsonValue } catch { return [] }
  return learnValues(doc, paths)
}
