/**
 * A rollup: what one proxy served on one route from one upstream during one
 * interval (10 s by default), written to the store so that `strangler
 * rollout` (one controller per fleet) can watch a canary's error rate and
 * latency while the proxies stay stateless.
 */
export interface Rollup {
  readonly v: 1
  /** the start of the interval (ISO) */
  readonly at: string
  /** the interval's length in milliseconds */
  readonly ms: number
  /** the proxy process that wrote it (`host:pid`), so rollups of a fleet add up */
  readonly proxy: string
  /** the route's name; requests no route matched are under `(default)` */
  readonly route: string
  /** the upstream that answered (after any fallback: the one whose answer the client got) */
  readonly upstream: string
  /** requests answered in the interval */
  readonly requests: number
  /** answers by status class, `2xx` … `5xx`, as the client saw them (a proxy-made 502/504 counts as 5xx) */
  readonly status: Readonly<Record<string, number>>
  /** answers the proxy made itself because the upstream failed (unreachable, reset, timeout); also counted in `status['5xx']` */
  readonly errors: number
  /** time to the upstream's response head, milliseconds, as a sparse histogram: bucket key → count (encoding: metrics/latency-buckets.ts) */
  readonly latency: Readonly<Record<string, number>>
}

/** Where `readRollups` reads from: the records filter's shape. */
export type RollupKey = Pick<Rollup, 'route' | 'at'>
