/**
 * A compact latency histogram (HDR-like). Latencies are stored in tenths of a
 * millisecond (records keep one decimal): below 204.8 ms every tenth has its
 * own bucket, so percentiles are exact; above, each power of two is split into
 * 1024 sub-buckets, so a percentile is off by at most 0.1 %. Buckets live in a
 * sparse map: memory grows with the distinct buckets hit (a few hundred to a
 * few thousand), never with the number of samples.
 */

const EXACT = 2048 // tenths of ms below which buckets are exact
const SUB_BITS = 10 // 1024 sub-buckets per power of two above EXACT

function bucketOf (tenths: number): number {
  if (tenths < EXACT) return tenths
  const e = Math.floor(Math.log2(tenths)) - SUB_BITS // >= 1
  const sub = Math.floor(tenths / 2 ** e) // in [1024, 2047]
  return EXACT + (e - 1) * 1024 + (sub - 1024)
}

/** Representative value of a bucket, in tenths of ms (the middle of its range). */
function valueOf (bucket: number): number {
  if (bucket < EXACT) return bucket
  const k = bucket - EXACT
  const e = Math.floor(k / 1024) + 1
  const sub = (k % 1024) + 1024
  const low = sub * 2 ** e
  const high = (sub + 1) * 2 ** e - 1
  return (low + high) / 2
}

export class LatencyHistogram {
  private readonly buckets = new Map<number, number>()
  private n = 0

  get count (): number { return this.n }

  /** Add a latency in milliseconds; non-finite or negative values are ignored. */
  add (ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return
    const b = bucketOf(Math.round(ms * 10))
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1)
    this.n++
  }

  /**
   * Nearest-rank percentile, `p` in (0, 1]: the smallest recorded value such
   * that at least p of the samples are at or below it. Milliseconds, one
   * decimal; null when empty.
   */
  percentile (p: number): number | null {
    if (this.n === 0) return null
    const rank = Math.max(1, Math.ceil(p * this.n))
    const keys = [...this.buckets.keys()].sort((a, b) => a - b)
    let seen = 0
    for (const k of keys) {
      seen += this.buckets.get(k)!
      if (seen >= rank) return Math.round(valueOf(k)) / 10
    }
    return Math.round(valueOf(keys[keys.length - 1]!)) / 10
  }
}
