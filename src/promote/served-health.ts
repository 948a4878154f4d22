import { LatencyBuckets } from '../metrics/latency-buckets.js'
import type { Rollup } from '../store/rollup.js'

/** Served requests of `to` fewer than this: its error rate is not judged (too few to say anything). */
export const MIN_ERROR_RATE_REQUESTS = 20
/** Latencies of either side fewer than this: p99s are not compared. */
export const MIN_P99_SAMPLES = 50
/** The health window is `every`, but at least this long… */
export const MIN_HEALTH_WINDOW_MS = 60_000
/** …and at most this long, so that a new failure is not diluted by a long healthy past. */
export const MAX_HEALTH_WINDOW_MS = 5 * 60_000

/** How far back a rollout looks at served requests: its `every`, at least 1 minute, at most 5. */
export function healthWindowMs (everyMs: number): number {
  return Math.min(Math.max(everyMs, MIN_HEALTH_WINDOW_MS), MAX_HEALTH_WINDOW_MS)
}

/** What `to` (and the route's other upstreams) served over a rollout's health window, from the proxies' rollups. */
export interface ServedHealth {
  /** the window's start (ISO): rollups of intervals starting at or after it */
  readonly since: string
  /** requests `to` answered */
  readonly requests: number
  /** of them, 5xx answers (the proxy's own 502/504 included) */
  readonly failed: number
  /** failed ÷ requests; null when requests < MIN_ERROR_RATE_REQUESTS */
  readonly errorRate: number | null
  /** latency p99 of `to`, ms; null under MIN_P99_SAMPLES */
  readonly p99: number | null
  /** requests the route's other upstreams answered */
  readonly otherRequests: number
  /** their latency p99, ms; null under MIN_P99_SAMPLES */
  readonly otherP99: number | null
}

/**
 * Adds up the rollups of `route` from `since` on (every proxy's): `to`'s
 * requests, 5xx and latency, and the other upstreams' latency, for the
 * breach check of a rollout (`rollbackOn`).
 */
export function servedHealth (rollups: Iterable<Rollup>, route: string, to: string, since: Date): ServedHealth {
  const from = since.getTime()
  const mine = new LatencyBuckets()
  const others = new LatencyBuckets()
  let requests = 0
  let failed = 0
  let otherRequests = 0
  for (const r of rollups) {
    if (r.route !== route || !(Date.parse(r.at) >= from)) continue
    if (r.upstream === to) {
      requests += r.requests
      failed += r.status['5xx'] ?? 0
      mine.merge(r.latency)
    } else {
      otherRequests += r.requests
      others.merge(r.latency)
    }
  }
  return {
    since: since.toISOString(),
    requests,
    failed,
    errorRate: requests >= MIN_ERROR_RATE_REQUESTS ? failed / requests : null,
    p99: mine.count >= MIN_P99_SAMPLES ? mine.quantile(0.99) : null,
    otherRequests,
    otherP99: others.count >= MIN_P99_SAMPLES ? others.quantile(0.99) : null
  }
}
