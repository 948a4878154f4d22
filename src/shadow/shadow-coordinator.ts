import type { Logger } from 'pino'
import type { RouteConfig } from '../config/types.js'
import type { UpstreamPools } from '../upstream/upstream-pools.js'
import type { ProxyMetrics } from '../admin/metrics.js'
import type { SkipReason } from '../store/record.js'
import type { ExchangeState, ShadowExchange, ShadowHook, UpstreamResponse } from '../proxy/exchange.js'
import { forwardHeaders, SHADOW_HEADER } from '../proxy/forward-headers.js'
import { rewritePath } from '../proxy/rewrite-path.js'
import { BodyCapture, type CaptureEnd } from './body-capture.js'
import { mirrorRequest, type MirrorResult } from './mirror-request.js'
import type { PairRecorder } from './pair-recorder.js'
import type { SideCapture } from './side-capture.js'
import { shadowTarget } from './shadow-eligibility.js'

export interface ShadowCoordinatorDeps {
  readonly pools: UpstreamPools
  readonly recorder: PairRecorder
  readonly metrics: ProxyMetrics
  readonly log: Logger
  /** how often aggregated concurrency skips are written (ms) */
  readonly skipFlushMs?: number
}

/**
 * Decides which requests are mirrored and runs each mirrored exchange: the
 * shadow request starts together with the primary; the primary body is
 * teed to a bounded copy while it streams to the client; once both sides
 * have settled, the pair goes to the recorder. At most
 * `shadow.maxConcurrent` mirrors are in flight; beyond that a request is
 * served without a mirror and the skip is counted.
 */
export class ShadowCoordinator implements ShadowHook {
  private readonly deps: ShadowCoordinatorDeps
  private inFlight = 0
  private readonly pendingSkips = new Map<RouteConfig, number>()
  private skipTimer: NodeJS.Timeout | null = null

  constructor (deps: ShadowCoordinatorDeps) {
    this.deps = deps
  }

  get shadowsInFlight (): number {
    return this.inFlight
  }

  begin (st: ExchangeState): ShadowExchange | null {
    const route = st.route
    if (route === null) return null
    const policy = st.rules.shadow
    const target = shadowTarget(route, st.method, st.serving, policy)
    if (target === null) return null
    if (this.inFlight >= policy.maxConcurrent) {
      this.countSkip(route)
      return null
    }
    this.inFlight++
    this.deps.metrics.setShadowsInFlight(this.inFlight)
    return new MirroredExchange(this, st, route, target)
  }

  /** called once per begun exchange when its mirror is over (sent and answered, or never sent) */
  release (): void {
    this.inFlight--
    this.deps.metrics.setShadowsInFlight(this.inFlight)
  }

  get pools (): UpstreamPools { return this.deps.pools }
  get recorder (): PairRecorder { return this.deps.recorder }
  get metrics (): ProxyMetrics { return this.deps.metrics }

  private countSkip (route: RouteConfig): void {
    this.pendingSkips.set(route, (this.pendingSkips.get(route) ?? 0) + 1)
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
    for (const [route, n] of this.pendingSkips) this.deps.recorder.skipped(route, 'concurrency', n, at)
    this.pendingSkips.clear()
  }
}

/** One mirrored request, from the decision to the hand-over to the recorder. */
class MirroredExchange implements ShadowExchange {
  readonly wantsBody: boolean
  readonly maxBodyBytes: number
  private readonly owner: ShadowCoordinator
  private readonly st: ExchangeState
  private readonly route: RouteConfig
  private readonly target: string
  private readonly at = new Date()
  private primary: SideCapture | null = null
  private shadow: SideCapture | null = null
  private released = false
  private cancelled = false

  constructor (owner: ShadowCoordinator, st: ExchangeState, route: RouteConfig, target: string) {
    this.owner = owner
    this.st = st
    this.route = route
    this.target = target
    const raw = st.request.raw
    this.wantsBody = raw.headers['content-length'] !== undefined ? raw.headers['content-length'] !== '0' : raw.headers['transfer-encoding'] !== undefined
    this.maxBodyBytes = st.rules.shadow.maxBodyBytes
    // a client that goes away before the primary answered still settles the pair
    st.reply.raw.once('close', () => {
      if (this.primary === null) this.settlePrimary({ kind: 'aborted', upstream: st.answeredBy, status: null, bytes: 0, ms: this.elapsed() })
    })
  }

  start (body: Buffer | null): void {
    const st = this.st
    const rules = st.rules
    const upstream = rules.upstreams[this.target]!
    const raw = st.request.raw
    const headers = forwardHeaders({ ...raw.headers }, raw.headers, st.request.ip, st.request.protocol)
    headers[SHADOW_HEADER] = '1'
    headers.host = hostOf(upstream.origin)
    if (headers['content-length'] !== undefined) delete headers['content-length']
    if (body !== null) headers['content-length'] = String(body.length)
    const started = performance.now()
    mirrorRequest(this.owner.pools, {
      upstream,
      method: st.method,
      path: upstream.basePath + rewritePath(this.route, st.path) + st.query,
      headers: headers as Record<string, string>,
      body,
      timeoutMs: rules.shadow.timeoutMs,
      maxBodyBytes: rules.shadow.maxBodyBytes
    }).then((r) => {
      this.owner.metrics.shadowDone(this.route.name, this.target, (performance.now() - started) / 1000)
      this.settleShadow(toCapture(this.target, r))
    }, (err: unknown) => {
      this.settleShadow({ kind: 'error', upstream: this.target, status: null, error: String(err), bytes: 0, ms: 0 })
    })
  }

  cancel (reason: SkipReason): void {
    if (this.cancelled) return
    this.cancelled = true
    this.release()
    if (reason === 'too-large') {
      const st = this.st
      this.owner.recorder.skipPair({ route: this.route, method: st.method, path: st.path, query: st.query, at: this.at, primary: st.serving, shadow: this.target, reason })
    }
  }

  primaryResponse (upstream: string, res: UpstreamResponse): void {
    // eslint-disable-next-line no-new
    new BodyCapture(this.maxBodyBytes, res.stream, (end: CaptureEnd) => {
      const ms = this.elapsed()
      if (end.kind === 'complete') {
        this.settlePrimary({ kind: 'ok', upstream, status: res.statusCode, headers: res.headers, body: end.body, bytes: end.total, ms })
      } else if (end.kind === 'overflowed') {
        this.settlePrimary({ kind: 'too-large', upstream, status: res.statusCode, bytes: end.total, ms })
      } else {
        this.settlePrimary({ kind: 'aborted', upstream, status: res.statusCode, bytes: end.total, ms })
      }
    })
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
    this.owner.recorder.record({
      route: this.route,
      method: this.st.method,
      path: this.st.path,
      query: this.st.query,
      at: this.at,
      primary: this.primary,
      shadow: this.shadow
    })
  }
}

const hosts = new Map<string, string>()

/** The Host header for an origin (parsed once per origin, not per mirror). */
function hostOf (origin: string): string {
  let host = hosts.get(origin)
  if (host === undefined) {
    host = new URL(origin).host
    if (hosts.size > 1000) hosts.clear()
    hosts.set(origin, host)
  }
  return host
}

function toCapture (upstream: string, r: MirrorResult): SideCapture {
  if (r.ok) return { kind: 'ok', upstream, status: r.status, headers: r.headers, body: r.body, bytes: r.bytes, ms: r.ms }
  if (r.tooLarge) return { kind: 'too-large', upstream, status: r.status, bytes: r.bytes, ms: r.ms }
  return { kind: 'error', upstream, status: r.status, error: r.error, bytes: r.bytes, ms: r.ms }
}
