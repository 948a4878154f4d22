/**
 * The latency encoding of rollups (`Rollup.latency`): log buckets of relative
 * width LATENCY_GAMMA. Bucket `k` holds latencies in (γ^(k-1), γ^k]
 * milliseconds and is written as the string of the integer `k`, so a rollup's
 * histogram is a sparse record `{ "143": 12, "150": 3 }`. Histograms of any
 * number of intervals and proxies add up key by key; a quantile read from
 * them is within LATENCY_RELATIVE_ERROR of the true one (1.96% for γ = 1.04).
 * Latencies at or under 1 µs fall in the lowest bucket, an hour or more in
 * the highest.
 */

/** The ratio between a bucket's upper and lower bound. */
export const LATENCY_GAMMA = 1.04
const LN_GAMMA = Math.log(LATENCY_GAMMA)
/** The largest relative error of a quantile read from buckets: (γ-1)/(γ+1). */
export const LATENCY_RELATIVE_ERROR = (LATENCY_GAMMA - 1) / (LATENCY_GAMMA + 1)
const FLOOR_MS = 0.001
const CEILING_MS = 3_600_000
/** The lowest key: latencies at or under 1 µs. */
export const MIN_LATENCY_KEY = Math.ceil(Math.log(FLOOR_MS) / LN_GAMMA)
/** The highest key: latencies of an hour or more. */
export const MAX_LATENCY_KEY = Math.ceil(Math.log(CEILING_MS) / LN_GAMMA)
const SIZE = MAX_LATENCY_KEY - MIN_LATENCY_KEY + 1

/** The bucket key of a latency in milliseconds (NaN and negatives go to the lowest). */
export function latencyKey (ms: number): number {
  if (!(ms > FLOOR_MS)) return MIN_LATENCY_KEY
  if (ms >= CEILING_MS) return MAX_LATENCY_KEY
  return Math.ceil(Math.log(ms) / LN_GAMMA)
}

/** The value a bucket stands for: the point of its range with the least relative error to either bound. */
export function latencyOfKey (key: number): number {
  return 2 * Math.pow(LATENCY_GAMMA, key) / (LATENCY_GAMMA + 1)
}

/**
 * A latency histogram in this encoding, dense in memory (one slot per key:
 * `add` is a logarithm and an increment, no allocation), sparse when written
 * (`toRecord`). Used on the request path by the rollup writer and by readers
 * that merge rollups.
 */
export class LatencyBuckets {
  readonly #counts = new Float64Array(SIZE)
  #count = 0

  /** Observations held. */
  get count (): number {
    return this.#count
  }

  /** One latency, in milliseconds. */
  add (ms: number): void {
    this.#counts[latencyKey(ms) - MIN_LATENCY_KEY]!++
    this.#count++
  }

  /**
   * Add a histogram as a rollup stores it. Keys that are not integers and
   * counts that are not positive numbers are skipped (a line written by
   * something else); keys out of range count in the nearest end bucket.
   */
  merge (record: Readonly<Record<string, number>>): void {
    for (const key in record) {
      const n = record[key]
      const k = Number(key)
      if (!Number.isInteger(k) || typeof n !== 'number' || !(n > 0) || !Number.isFinite(n)) continue
      const i = Math.min(Math.max(k, MIN_LATENCY_KEY), MAX_LATENCY_KEY) - MIN_LATENCY_KEY
      this.#counts[i]! += n
      this.#count += n
    }
  }

  /** Add another histogram's counts. */
  mergeBuckets (other: LatencyBuckets): void {
    const from = other.#counts
    for (let i = 0; i < SIZE; i++) this.#counts[i]! += from[i]!
    this.#count += other.#count
  }

  /**
   * The latency (ms) at quantile `p` (0..1): the value of the bucket holding
   * the observation of rank ⌈p·n⌉ (at least the first); null when empty.
   */
  quantile (p: number): number | null {
    if (this.#count === 0) return null
    const rank = Math.max(1, Math.ceil(Math.min(Math.max(p, 0), 1) * this.#count))
    let seen = 0
    const counts = this.#counts
    for (let i = 0; i < SIZE; i++) {
      seen += counts[i]!
      if (seen >= rank) return latencyOfKey(i + MIN_LATENCY_KEY)
    }
    return latencyOfKey(MAX_LATENCY_KEY)
  }

  /** The sparse form a rollup stores: key → count, non-empty buckets only. */
  toRecord (): Record<string, number> {
    const out: Record<string, number> = {}
    if (this.#count === 0) return out
    const counts = this.#counts
    for (let i = 0; i < SIZE; i++) {
      if (counts[i]! > 0) out[String(i + MIN_LATENCY_KEY)] = counts[i]!
    }
    return out
  }

  /** Empty it (the memory is kept). */
  reset (): void {
    if (this.#count === 0) return
    this.#counts.fill(0)
    this.#count = 0
  }
}
