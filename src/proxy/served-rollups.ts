import { hostname } from 'node:os'
import { LatencyBuckets } from '../metrics/latency-buckets.js'
import type { Rollup } from '../store/rollup.js'
import type { Store } from '../store/store.js'

/** How often a proxy writes its rollups, unless told otherwise. */
export const ROLLUP_INTERVAL_MS = 10_000

const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const

/** What one route's answers from one upstream add up to in the current interval. */
interface Cell {
  readonly route: string
  readonly upstream: string
  requests: number
  /** answers by status class: index 0 = 1xx … 4 = 5xx */
  readonly status: Uint32Array
  errors: number
  readonly latency: LatencyBuckets
}

export interface ServedRollupsOptions {
  readonly store: Store
  /** interval length; intervals start at multiples of it (default 10 s) */
  readonly intervalMs?: number
  /** the `proxy` of each rollup (default `host:pid`) */
  readonly proxy?: string
  /** the clock, in epoch milliseconds (tests inject one) */
  readonly now?: () => number
}

/**
 * Counts what the proxy served, per route and upstream, and writes one
 * Rollup per (route, upstream) that answered anything to the store at the
 * end of each interval (and on close), for `strangler rollout`.
 *
 * On the request path (`served`) it costs two Map lookups, a few integer
 * increments and a logarithm: the counters of a (route, upstream) are made
 * on its first request and reused for every interval after (reset, never
 * reallocated). They are keyed by route name, so they outlive a reload that
 * swaps the route table.
 */
export class ServedRollups {
  readonly #store: Store
  readonly #intervalMs: number
  readonly #proxy: string
  readonly #now: () => number
  readonly #cells = new Map<string, Map<string, Cell>>()
  #intervalStart: number
  #timer: NodeJS.Timeout | null = null
  #closed = false

  constructor (opts: ServedRollupsOptions) {
    this.#store = opts.store
    this.#intervalMs = opts.intervalMs ?? ROLLUP_INTERVAL_MS
    this.#proxy = opts.proxy ?? `${hostname()}:${process.pid}`
    this.#now = opts.now ?? Date.now
    this.#intervalStart = this.#now()
  }

  /**
   * One answered request: its route's name, the upstream whose answer the
   * client got, the status the client got, and the time to that upstream's
   * response head in ms (negative when no upstream answered: the proxy
   * answered 502/504 for it, counted in `errors` too).
   */
  served (route: string, upstream: string, status: number, headMs: number): void {
    let byUpstream = this.#cells.get(route)
    if (byUpstream === undefined) {
      byUpstream = new Map()
      this.#cells.set(route, byUpstream)
    }
    let cell = byUpstream.get(upstream)
    if (cell === undefined) {
      cell = { route, upstream, requests: 0, status: new Uint32Array(5), errors: 0, latency: new LatencyBuckets() }
      byUpstream.set(upstream, cell)
    }
    cell.requests++
    const c = (status / 100) | 0
    cell.status[c < 1 ? 0 : c > 5 ? 4 : c - 1]!++
    if (headMs < 0) {
      if (status >= 500) cell.errors++
    } else {
      cell.latency.add(headMs)
    }
  }

  /** Write the current interval's rollups (ending at `end`) to the store and start the next. */
  flush (end = this.#now()): void {
    const at = new Date(this.#intervalStart).toISOString()
    const ms = Math.max(0, end - this.#intervalStart)
    this.#intervalStart = end
    for (const byUpstream of this.#cells.values()) {
      for (const cell of byUpstream.values()) {
        if (cell.requests === 0) continue
        this.#store.appendRollup(this.#rollupOf(cell, at, ms))
        cell.requests = 0
        cell.status.fill(0)
        cell.errors = 0
        cell.latency.reset()
      }
    }
  }

  #rollupOf (cell: Cell, at: string, ms: number): Rollup {
    const status: Record<string, number> = {}
    for (let i = 0; i < CLASSES.length; i++) {
      if (cell.status[i]! > 0) status[CLASSES[i]!] = cell.status[i]!
    }
    return { v: 1, at, ms, proxy: this.#proxy, route: cell.route, upstream: cell.upstream, requests: cell.requests, status, errors: cell.errors, latency: cell.latency.toRecord() }
  }

  /** Write every interval from now on; the timer does not keep the process alive. */
  start (): void {
    if (this.#closed || this.#timer !== null) return
    this.#intervalStart = this.#now()
    this.#schedule()
  }

  #schedule (): void {
    const now = this.#now()
    // from the interval's start when a timer fired a little early: the next boundary, not the same one again
    const boundary = (Math.floor(Math.max(now, this.#intervalStart) / this.#intervalMs) + 1) * this.#intervalMs
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.flush(boundary)
      if (!this.#closed) this.#schedule()
    }, Math.max(0, boundary - now))
    this.#timer.unref()
  }

  /** Stop the timer and write the last, partial interval (before the store closes). Idempotent. */
  close (): void {
    if (this.#closed) return
    this.#closed = true
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    this.flush()
  }
}
