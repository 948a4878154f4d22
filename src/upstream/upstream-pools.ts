import { Pool } from 'undici'
import { DeadlineQueue, type DeadlineSignal } from './deadline-queue.js'

export interface PoolOptions {
  /** sockets per upstream origin */
  readonly connections: number
  /** how long an idle socket is kept; must stay under the upstream server's keep-alive */
  readonly keepAliveTimeoutMs: number
}

const DEFAULTS: PoolOptions = { connections: 128, keepAliveTimeoutMs: 4_000 }

/**
 * One undici pool per upstream origin, with keep-alive, shared by primary
 * forwards, fallbacks and shadows, and kept across reloads for origins that
 * stay. Deadlines are our own (DeadlineQueue, one per timeout value), not
 * undici's timers, which fire with about one second of slack: undici's
 * headersTimeout and bodyTimeout are off, and the relay's own deadline runs
 * until response headers, then starts over at each body chunk (an idle
 * limit that pauses while the client's socket is full).
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>()
  private readonly queues = new Map<number, DeadlineQueue>()
  private readonly options: PoolOptions
  private closed = false

  constructor (options: Partial<PoolOptions> = {}) {
    this.options = { ...DEFAULTS, ...options }
  }

  pool (origin: string): Pool {
    let p = this.pools.get(origin)
    if (p === undefined) {
      if (this.closed) throw new Error('upstream pools are closed')
      p = new Pool(origin, {
        connections: this.options.connections,
        pipelining: 1,
        keepAliveTimeout: this.options.keepAliveTimeoutMs,
        keepAliveMaxTimeout: this.options.keepAliveTimeoutMs,
        headersTimeout: 0,
        bodyTimeout: 0,
        connect: { timeout: 10_000 }
      })
      this.pools.set(origin, p)
    }
    return p
  }

  deadline (timeoutMs: number): DeadlineSignal {
    let q = this.queues.get(timeoutMs)
    if (q === undefined) {
      q = new DeadlineQueue(timeoutMs)
      this.queues.set(timeoutMs, q)
    }
    return q.start()
  }

  /** Close pools for origins no longer used (after a reload); in-flight requests finish first. */
  retain (origins: ReadonlySet<string>): void {
    for (const [origin, pool] of this.pools) {
      if (!origins.has(origin)) {
        this.pools.delete(origin)
        pool.close().catch(() => {})
      }
    }
  }

  /**
   * Close every pool: requests still in flight may finish for `graceMs`,
   * then their sockets are destroyed, so shutdown never waits on a stalled
   * upstream for its whole timeout.
   */
  async close (graceMs = 2_000): Promise<void> {
    this.closed = true
    for (const q of this.queues.values()) q.close()
    const pools = [...this.pools.values()]
    this.pools.clear()
    let timer: NodeJS.Timeout | undefined
    const grace = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), graceMs); timer.unref() })
    const closed = Promise.all(pools.map(async (p) => { await p.close().catch(() => {}) })).then(() => 'closed' as const)
    if (await Promise.race([closed, grace]) === 'late') {
      await Promise.all(pools.map(async (p) => { await p.destroy().catch(() => {}) }))
    }
    clearTimeout(timer)
  }
}
