import type { Logger } from 'pino'
import type { ProxyMetrics } from '../metrics/metrics.js'

/**
 * Client connections closed for sending their request headers too slowly
 * (limits.headersTimeout): each one is counted in
 * `strangler_client_timeouts_total{reason="headers"}`, and logged at most
 * once per interval. The first of a quiet spell is logged at once; those
 * that follow within the interval are summed into one line at its end, so a
 * thousand dripping sockets cost two log lines, not a thousand.
 */
export class ClientTimeouts {
  private readonly metrics: ProxyMetrics
  private readonly log: Logger
  private readonly intervalMs: number
  private readonly limitMs: () => number
  private pending = 0
  private timer: NodeJS.Timeout | null = null

  constructor (metrics: ProxyMetrics, log: Logger, limitMs: () => number, intervalMs = 10_000) {
    this.metrics = metrics
    this.log = log
    this.limitMs = limitMs
    this.intervalMs = intervalMs
  }

  /** A connection was closed: its request's headers were not complete in time. */
  closed (): void {
    this.metrics.clientTimeout('headers')
    if (this.timer !== null) {
      this.pending++
      return
    }
    this.log.warn({ reason: 'headers', headersTimeoutMs: this.limitMs() },
      'closed a client connection: its request headers were not complete within limits.headersTimeout (more in the next interval are logged as one line)')
    this.schedule()
  }

  /** Log what is pending now and stop the interval (shutdown). */
  close (): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.flush(false)
  }

  private schedule (): void {
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush(true)
    }, this.intervalMs)
    this.timer.unref()
  }

  private flush (keepGoing: boolean): void {
    if (this.pending === 0) return
    const count = this.pending
    this.pending = 0
    this.log.warn({ reason: 'headers', count, intervalMs: this.intervalMs, headersTimeoutMs: this.limitMs() },
      `closed ${count} more client connections: request headers not complete within limits.headersTimeout`)
    // still coming: the next ones are summed over another interval
    if (keepGoing) this.schedule()
  }
}
