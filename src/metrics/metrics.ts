import { Counter, Registry, Gauge } from 'prom-client'

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** One label set's pending count, folded into its prom-client counter at scrape time. */
interface CountCell {
  readonly labels: Record<string, string>
  pending: number
}

/** One label set of a FastHistogram: per-bucket counts (not cumulative), sum, count. */
interface HistogramCell {
  readonly labels: Record<string, string>
  readonly counts: Float64Array
  sum: number
  count: number
}

/**
 * A histogram for the per-request path: observe() is an indexed loop over the
 * bucket bounds and three additions on a cell the caller keeps, no label
 * hashing. Registered with the prom-client registry as a metric of its own;
 * exposes exactly what a prom-client Histogram would.
 */
class FastHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  readonly name: string
  readonly help: string
  private readonly bounds: readonly number[]
  private readonly cells: HistogramCell[] = []

  constructor (name: string, help: string, bounds: readonly number[], registry: Registry) {
    this.name = name
    this.help = help
    this.bounds = bounds
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0])
  }

  cell (labels: Record<string, string>): HistogramCell {
    const c: HistogramCell = { labels, counts: new Float64Array(this.bounds.length), sum: 0, count: 0 }
    this.cells.push(c)
    return c
  }

  observe (c: HistogramCell, value: number): void {
    const bounds = this.bounds
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) { c.counts[i]!++; break }
    }
    c.sum += value
    c.count++
  }

  // what prom-client's Registry reads (the same shape as Histogram#getForPromString)
  async getForPromString (): Promise<{ name: string; help: string; type: string; aggregator: string; values: Array<{ labels: Record<string, string | number>; sharedLabels: Record<string, string>; value: number; metricName: string }> }> {
    const values: Array<{ labels: Record<string, string | number>; sharedLabels: Record<string, string>; value: number; metricName: string }> = []
    const bucket = `${this.name}_bucket`
    for (const c of this.cells) {
      let acc = 0
      for (let i = 0; i < this.bounds.length; i++) {
        acc += c.counts[i]!
        values.push({ labels: { le: this.bounds[i]! }, sharedLabels: c.labels, value: acc, metricName: bucket })
      }
      values.push({ labels: { le: '+Inf' }, sharedLabels: c.labels, value: c.count, metricName: bucket })
      values.push({ labels: {}, sharedLabels: c.labels, value: c.sum, metricName: `${this.name}_sum` })
      values.push({ labels: {}, sharedLabels: c.labels, value: c.count, metricName: `${this.name}_count` })
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values }
  }

  /** the JSON form (Registry#getMetricsAsJSON): labels merged */
  async get (): Promise<{ name: string; help: string; type: string; aggregator: string; values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> }> {
    const d = await this.getForPromString()
    return { ...d, values: d.values.map((v) => ({ labels: { ...v.sharedLabels, ...v.labels }, value: v.value, metricName: v.metricName })) }
  }

  reset (): void {
    for (const c of this.cells) { c.counts.fill(0); c.sum = 0; c.count = 0 }
  }
}

/**
 * Prometheus metrics of one proxy. The per-request observations (requests,
 * upstream latency, comparisons, shadow latency) touch plain cells found
 * through nested Maps keyed by the label values (config strings, whose
 * hashes V8 caches), with no label object and no label hash per call;
 * counters are folded into prom-client at scrape time (`collect`), and the
 * latency histograms are FastHistograms.
 */
/** What sharing learned pairs with the fleet (serve --correlation redis://…) has done since start. */
export interface SharedCorrelationCounts {
  /** pairs written to the fleet */
  readonly published: number
  /** pairs announced by other proxies */
  readonly received: number
  /** pairs found in the fleet's store for a mirror's tokens */
  readonly fetched: number
  /** fleet pairs taken into this process's map (a mirror or a comparison needed them) */
  readonly adopted: number
  /** failures by operation (set, publish, get, subscribe, connection): each one meant local-only */
  readonly errors: Readonly<Record<string, number>>
  /** mirrors that waited for a pair another proxy announced it was learning (a fleet that announces) */
  readonly waited?: number
  /** of those, the ones whose pair did not come within the wait (sent uncorrelated) */
  readonly waitTimeouts?: number
}

/** What the learned-correlation map has done since start (metrics read it at scrape time). */
export interface CorrelationCounts {
  readonly learned: number
  readonly applied: number
  readonly evicted: number
  readonly waits: number
  readonly waitTimeouts: number
  readonly pairs: number
}

export class ProxyMetrics {
  readonly registry = new Registry()
  private readonly requests: Counter<'route' | 'upstream' | 'status'>
  private readonly latency: FastHistogram
  private readonly fallbacks: Counter<'route' | 'from' | 'to' | 'reason'>
  private readonly reloads: Counter<'result'>
  private readonly comparisons: Counter<'route' | 'outcome'>
  private readonly skips: Counter<'route' | 'reason'>
  private readonly shadowLatency: FastHistogram
  private readonly shadowsInFlight: Gauge
  private readonly storeErrors: Counter
  private readonly clientTimeouts: Counter<'reason'>
  private readonly transformFailures: Counter<'route' | 'upstream' | 'reason'>
  private shadowsInFlightNow = 0
  // route -> upstream -> status -> cell
  private readonly requestCells = new Map<string, Map<string, Map<number, CountCell>>>()
  private readonly latencyCells = new Map<string, Map<string, HistogramCell>>()
  private readonly shadowLatencyCells = new Map<string, Map<string, HistogramCell>>()
  private readonly comparisonCells = new Map<string, Map<string, CountCell>>()

  constructor () {
    const registers = [this.registry]
    const requestCells = this.requestCells
    const comparisonCells = this.comparisonCells
    this.requests = new Counter({
      name: 'strangler_requests_total',
      help: 'Client requests answered, by route, serving upstream and status',
      labelNames: ['route', 'upstream', 'status'],
      registers,
      collect () {
        for (const byUpstream of requestCells.values()) {
          for (const byStatus of byUpstream.values()) {
            for (const cell of byStatus.values()) fold(this, cell)
          }
        }
      }
    })
    this.latency = new FastHistogram('strangler_upstream_latency_seconds', 'Time to the upstream response headers', LATENCY_BUCKETS, this.registry)
    this.fallbacks = new Counter({ name: 'strangler_fallbacks_total', help: 'Requests retried on the fallback upstream', labelNames: ['route', 'from', 'to', 'reason'], registers })
    this.reloads = new Counter({ name: 'strangler_reloads_total', help: 'Rules reloads by result: ok, invalid, unchanged (the file was the same as when last read: nothing reloaded)', labelNames: ['result'], registers })
    this.comparisons = new Counter({
      name: 'strangler_comparisons_total',
      help: 'Shadow comparisons by route and outcome',
      labelNames: ['route', 'outcome'],
      registers,
      collect () {
        for (const byOutcome of comparisonCells.values()) {
          for (const cell of byOutcome.values()) fold(this, cell)
        }
      }
    })
    this.skips = new Counter({ name: 'strangler_shadow_skips_total', help: 'Shadows not compared, by route and reason', labelNames: ['route', 'reason'], registers })
    this.shadowLatency = new FastHistogram('strangler_shadow_latency_seconds', 'Shadow upstream time to the end of the body', LATENCY_BUCKETS, this.registry)
    const inFlight = (): number => this.shadowsInFlightNow
    this.shadowsInFlight = new Gauge({ name: 'strangler_shadows_in_flight', help: 'Shadow requests in flight', registers, collect () { this.set(inFlight()) } })
    this.storeErrors = new Counter({ name: 'strangler_store_errors_total', help: 'Diff records the store failed to write', registers })
    this.clientTimeouts = new Counter({ name: 'strangler_client_timeouts_total', help: 'Client connections closed for being too slow, by reason (headers: a request\'s headers not complete within limits.headersTimeout)', labelNames: ['reason'], registers })
    this.transformFailures = new Counter({ name: 'strangler_transform_failures_total', help: 'Requests and answers a route\'s transform could not apply to (sent as they came), by route, upstream and reason', labelNames: ['route', 'upstream', 'reason'], registers })
    this.reloads.inc({ result: 'ok' }, 0)
    this.reloads.inc({ result: 'invalid' }, 0)
    this.reloads.inc({ result: 'unchanged' }, 0)
    this.clientTimeouts.inc({ reason: 'headers' }, 0)
  }

  request (route: string, upstream: string, status: number): void {
    let byUpstream = this.requestCells.get(route)
    if (byUpstream === undefined) { byUpstream = new Map(); this.requestCells.set(route, byUpstream) }
    let byStatus = byUpstream.get(upstream)
    if (byStatus === undefined) { byStatus = new Map(); byUpstream.set(upstream, byStatus) }
    let cell = byStatus.get(status)
    if (cell === undefined) {
      cell = { labels: { route, upstream, status: String(status) }, pending: 0 }
      byStatus.set(status, cell)
    }
    cell.pending++
  }

  upstreamLatency (route: string, upstream: string, seconds: number): void {
    this.latency.observe(histogramCell(this.latency, this.latencyCells, route, upstream), seconds)
  }

  fallback (route: string, from: string, to: string, reason: string): void {
    this.fallbacks.inc({ route, from, to, reason })
  }

  reload (result: 'ok' | 'invalid' | 'unchanged'): void {
    this.reloads.inc({ result })
  }

  comparison (route: string, outcome: string): void {
    let byOutcome = this.comparisonCells.get(route)
    if (byOutcome === undefined) { byOutcome = new Map(); this.comparisonCells.set(route, byOutcome) }
    let cell = byOutcome.get(outcome)
    if (cell === undefined) {
      cell = { labels: { route, outcome }, pending: 0 }
      byOutcome.set(outcome, cell)
    }
    cell.pending++
  }

  shadowSkip (route: string, reason: string, n = 1): void {
    this.skips.inc({ route, reason }, n)
  }

  shadowDone (route: string, upstream: string, seconds: number): void {
    this.shadowLatency.observe(histogramCell(this.shadowLatency, this.shadowLatencyCells, route, upstream), seconds)
  }

  /** read at scrape time (the gauge's collect) */
  setShadowsInFlight (n: number): void {
    this.shadowsInFlightNow = n
  }

  storeError (): void {
    this.storeErrors.inc()
  }

  /** Expose the records the store dropped (full buffer, unwritable at close, ...), read from its stats at scrape time. */
  storeStats (read: () => { readonly dropped: number }): void {
    // eslint-disable-next-line no-new
    new Counter({
      name: 'strangler_store_dropped_total',
      help: 'Diff records the store dropped: buffer full while the disk failed, unwritable at close, appended after close, not serializable',
      registers: [this.registry],
      collect () {
        this.reset()
        this.inc(read().dropped)
      }
    })
  }

  /** Expose kept pairs (shadow.keepPairs): kept, and dropped past maxPairsPerMinute; read at scrape time. */
  pairStats (read: () => { readonly kept: number; readonly dropped: number }): void {
    // eslint-disable-next-line no-new
    new Counter({
      name: 'strangler_pairs_total',
      help: 'Compared pairs kept whole beside their records (kept), and not kept because their route reached shadow.maxPairsPerMinute (dropped)',
      labelNames: ['result'],
      registers: [this.registry],
      collect () {
        const c = read()
        this.reset()
        this.inc({ result: 'kept' }, c.kept)
        this.inc({ result: 'dropped' }, c.dropped)
      }
    })
  }

  transformFailure (route: string, upstream: string, reason: string): void {
    this.transformFailures.inc({ route, upstream, reason })
  }

  clientTimeout (reason: 'headers'): void {
    this.clientTimeouts.inc({ reason })
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

  /** Expose what the mirror answers being read hold (shadow.maxBufferedBytes), read at scrape time. */
  shadowBufferStats (read: () => { readonly used: number; readonly peak: number; readonly paused: number }): void {
    const registers = [this.registry]
    // eslint-disable-next-line no-new
    new Gauge({ name: 'strangler_shadow_buffered_bytes', help: 'Bytes held by mirror answers being read (shadow.maxBufferedBytes bounds it)', registers, collect () { this.set(read().used) } })
    // eslint-disable-next-line no-new
    new Gauge({ name: 'strangler_shadow_buffered_peak_bytes', help: 'The most bytes mirror answers being read held at once since start', registers, collect () { this.set(read().peak) } })
    // eslint-disable-next-line no-new
    new Gauge({ name: 'strangler_shadow_reads_paused', help: 'Mirror answers whose reading is paused until buffered bytes are freed', registers, collect () { this.set(read().paused) } })
  }

  /** Expose learned-correlation counters and the number of pairs held, read at scrape time. */
  correlationStats (read: () => CorrelationCounts): void {
    const registers = [this.registry]
    // eslint-disable-next-line no-new
    new Counter({
      name: 'strangler_correlation_total',
      help: 'Learned correlation: pairs learned, values substituted in mirrors (applied), pairs evicted (LRU), mirrors that waited for a pair being learned, and waits that timed out',
      labelNames: ['event'],
      registers,
      collect () {
        const s = read()
        this.reset()
        this.inc({ event: 'learned' }, s.learned)
        this.inc({ event: 'applied' }, s.applied)
        this.inc({ event: 'evicted' }, s.evicted)
        this.inc({ event: 'waits' }, s.waits)
        this.inc({ event: 'wait-timeouts' }, s.waitTimeouts)
      }
    })
    // eslint-disable-next-line no-new
    new Gauge({ name: 'strangler_correlation_pairs', help: 'Learned correlation pairs held in memory', registers, collect () { this.set(read().pairs) } })
  }

  /** Expose the shared-correlation counters (serve --correlation), read at scrape time. */
  sharedCorrelationStats (read: () => SharedCorrelationCounts): void {
    const registers = [this.registry]
    // eslint-disable-next-line no-new
    new Counter({
      name: 'strangler_correlation_shared_total',
      help: 'Learned pairs shared with the fleet: published (written to Redis), received (announced by another proxy), fetched (read from Redis for a mirror), adopted (taken into this process\'s map), waits (mirrors that waited for a pair another proxy was learning), wait-timeouts (of those, sent uncorrelated)',
      labelNames: ['event'],
      registers,
      collect () {
        const s = read()
        this.reset()
        this.inc({ event: 'published' }, s.published)
        this.inc({ event: 'received' }, s.received)
        this.inc({ event: 'fetched' }, s.fetched)
        this.inc({ event: 'adopted' }, s.adopted)
        this.inc({ event: 'waits' }, s.waited ?? 0)
        this.inc({ event: 'wait-timeouts' }, s.waitTimeouts ?? 0)
      }
    })
    // eslint-disable-next-line no-new
    new Counter({
      name: 'strangler_correlation_shared_errors_total',
      help: 'Shared correlation operations that failed or were skipped because Redis was unreachable or slow (the proxy went on local-only), by operation',
      labelNames: ['op'],
      registers,
      collect () {
        const s = read()
        this.reset()
        for (const [op, n] of Object.entries(s.errors)) this.inc({ op }, n)
      }
    })
  }

  async text (): Promise<string> {
    return await this.registry.metrics()
  }
}

/** Move a cell's pending count into its prom-client counter (called from collect, at scrape time). */
function fold (counter: Counter<string>, cell: CountCell): void {
  if (cell.pending === 0) return
  const n = cell.pending
  cell.pending = 0
  counter.inc(cell.labels, n)
}

function histogramCell (h: FastHistogram, cells: Map<string, Map<string, HistogramCell>>, route: string, upstream: string): HistogramCell {
  let byUpstream = cells.get(route)
  if (byUpstream === undefined) { byUpstream = new Map(); cells.set(route, byUpstream) }
  let cell = byUpstream.get(upstream)
  if (cell === undefined) {
    cell = h.cell({ route, upstream })
    byUpstream.set(upstream, cell)
  }
  return cell
}
