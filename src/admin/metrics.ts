import { Counter, Histogram, Registry, Gauge } from 'prom-client'

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/**
 * Prometheus metrics of one proxy. Label children are cached by key so the
 * hot path does one Map lookup, not a label hash, per observation.
 */
export class ProxyMetrics {
  readonly registry = new Registry()
  private readonly requests: Counter<'route' | 'upstream' | 'status'>
  private readonly latency: Histogram<'route' | 'upstream'>
  private readonly fallbacks: Counter<'route' | 'from' | 'to' | 'reason'>
  private readonly reloads: Counter<'result'>
  private readonly comparisons: Counter<'route' | 'outcome'>
  private readonly skips: Counter<'route' | 'reason'>
  private readonly shadowLatency: Histogram<'route' | 'upstream'>
  private readonly shadowsInFlight: Gauge
  private readonly storeErrors: Counter
  private readonly requestChildren = new Map<string, { inc: () => void }>()
  private readonly latencyChildren = new Map<string, { observe: (v: number) => void }>()

  constructor () {
    const registers = [this.registry]
    this.requests = new Counter({ name: 'strangler_requests_total', help: 'Client requests answered, by route, serving upstream and status', labelNames: ['route', 'upstream', 'status'], registers })
    this.latency = new Histogram({ name: 'strangler_upstream_latency_seconds', help: 'Time to the upstream response headers', labelNames: ['route', 'upstream'], buckets: LATENCY_BUCKETS, registers })
    this.fallbacks = new Counter({ name: 'strangler_fallbacks_total', help: 'Requests retried on the fallback upstream', labelNames: ['route', 'from', 'to', 'reason'], registers })
    this.reloads = new Counter({ name: 'strangler_reloads_total', help: 'Rules reloads by result (ok, invalid)', labelNames: ['result'], registers })
    this.comparisons = new Counter({ name: 'strangler_comparisons_total', help: 'Shadow comparisons by route and outcome', labelNames: ['route', 'outcome'], registers })
    this.skips = new Counter({ name: 'strangler_shadow_skips_total', help: 'Shadows not compared, by route and reason', labelNames: ['route', 'reason'], registers })
    this.shadowLatency = new Histogram({ name: 'strangler_shadow_latency_seconds', help: 'Shadow upstream time to the end of the body', labelNames: ['route', 'upstream'], buckets: LATENCY_BUCKETS, registers })
    this.shadowsInFlight = new Gauge({ name: 'strangler_shadows_in_flight', help: 'Shadow requests in flight', registers })
    this.storeErrors = new Counter({ name: 'strangler_store_errors_total', help: 'Diff records the store failed to write', registers })
    this.reloads.inc({ result: 'ok' }, 0)
    this.reloads.inc({ result: 'invalid' }, 0)
  }

  request (route: string, upstream: string, status: number): void {
    const key = route + '\u0000' + upstream + '\u0000' + status
    let child = this.requestChildren.get(key)
    if (child === undefined) {
      child = this.requests.labels(route, upstream, String(status))
      this.requestChildren.set(key, child)
    }
    child.inc()
  }

  upstreamLatency (route: string, upstream: string, seconds: number): void {
    const key = route + '\u0000' + upstream
    let child = this.latencyChildren.get(key)
    if (child === undefined) {
      child = this.latency.labels(route, upstream)
      this.latencyChildren.set(key, child)
    }
    child.observe(seconds)
  }

  fallback (route: string, from: string, to: string, reason: string): void {
    this.fallbacks.inc({ route, from, to, reason })
  }

  reload (result: 'ok' | 'invalid'): void {
    this.reloads.inc({ result })
  }

  comparison (route: string, outcome: string): void {
    this.comparisons.inc({ route, outcome })
  }

  shadowSkip (route: string, reason: string, n = 1): void {
    this.skips.inc({ route, reason }, n)
  }

  shadowDone (route: string, upstream: string, seconds: number): void {
    this.shadowLatency.observe({ route, upstream }, seconds)
  }

  setShadowsInFlight (n: number): void {
    this.shadowsInFlight.set(n)
  }

  storeError (): void {
    this.storeErrors.inc()
  }

  /** Expose contract-check counters (serve --spec), read at scrape time. */
  contractStats (read: () => { checked: number; violating: number; skipped: Readonly<Record<string, number>> }): void {
    const registers = [this.registry]
    // eslint-disable-next-line no-new
    new Gauge({
      name: 'strangler_contract_checks',
      help: 'Responses checked against the OpenAPI contract (checked, violating) and not checked, by reason',
      labelNames: ['result'],
      registers,
      collect () {
        const s = read()
        this.set({ result: 'checked' }, s.checked)
        this.set({ result: 'violating' }, s.violating)
        for (const [reason, n] of Object.entries(s.skipped)) this.set({ result: `skipped-${reason}` }, n)
      }
    })
  }

  async text (): Promise<string> {
    return await this.registry.metrics()
  }
}
