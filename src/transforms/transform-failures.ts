import type { Logger } from 'pino'
import type { ProxyMetrics } from '../metrics/metrics.js'
import type { Failure } from './apply-transform.js'

const LOG_EVERY_MS = 60_000

/**
 * Where a transform that could not apply is told: counted in
 * strangler_transform_failures_total{route,upstream,reason} every time, and
 * logged (warn) at most once a minute per route, upstream and reason, with
 * how many since the last line. The answer itself goes on as it came.
 */
export class TransformFailures {
  private readonly metrics: ProxyMetrics
  private readonly log: Logger
  private readonly lastLogged = new Map<string, { at: number; since: number }>()

  constructor (metrics: ProxyMetrics, log: Logger) {
    this.metrics = metrics
    this.log = log
  }

  failed (route: string, upstream: string, side: 'request' | 'response', f: Failure): void {
    this.metrics.transformFailure(route, upstream, f.reason)
    const key = `${route}\u0000${upstream}\u0000${f.reason}`
    const now = Date.now()
    const last = this.lastLogged.get(key)
    if (last !== undefined && now - last.at < LOG_EVERY_MS) {
      last.since++
      return
    }
    this.lastLogged.set(key, { at: now, since: 0 })
    this.log.warn({ route, upstream, side, reason: f.reason, ...(last !== undefined && last.since > 0 ? { alsoSinceLastLine: last.since } : {}) }, `transform not applied, the ${side} goes as it came: ${f.detail}`)
  }
}
