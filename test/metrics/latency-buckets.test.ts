import { describe, expect, it } from 'vitest'
import { LATENCY_RELATIVE_ERROR, LatencyBuckets, MAX_LATENCY_KEY, MIN_LATENCY_KEY, latencyKey, latencyOfKey } from '../../src/metrics/latency-buckets.js'

/** A deterministic spread of latencies over six orders of magnitude (a linear congruential generator). */
function latencies (n: number, seed: number): number[] {
  let x = seed
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648
    out.push(Math.exp((x / 2_147_483_648) * 14 - 5)) // e^-5 ms .. e^9 ms
  }
  return out
}

function exactQuantile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!
}

describe('latency buckets', () => {
  it('reads every quantile within the relative error bound', () => {
    const values = latencies(5000, 7)
    const h = new LatencyBuckets()
    for (const v of values) h.add(v)
    expect(h.count).toBe(5000)
    for (const p of [0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1]) {
      const exact = exactQuantile(values, p)
      const read = h.quantile(p)!
      expect(Math.abs(read - exact) / exact).toBeLessThanOrEqual(LATENCY_RELATIVE_ERROR + 1e-9)
    }
    expect(LATENCY_RELATIVE_ERROR).toBeLessThan(0.025)
  })

  it('is stored as a sparse record of integer keys that merges back to the same histogram', () => {
    const h = new LatencyBuckets()
    for (const v of [0.2, 0.21, 3, 3.05, 120, 120]) h.add(v)
    const record = h.toRecord()
    for (const [k, n] of Object.entries(record)) {
      expect(k).toMatch(/^-?\d+$/)
      expect(n).toBeGreaterThan(0)
    }
    expect(Object.values(record).reduce((a, b) => a + b, 0)).toBe(6)
    expect(record[String(latencyKey(120))]).toBe(2)
    const back = new LatencyBuckets()
    back.merge(JSON.parse(JSON.stringify(record)) as Record<string, number>)
    expect(back.toRecord()).toEqual(record)
    expect(back.quantile(0.5)).toBe(h.quantile(0.5))
  })

  it('merges histograms of many intervals into the histogram of all their observations', () => {
    const all = new LatencyBuckets()
    const merged = new LatencyBuckets()
    const byRecord = new LatencyBuckets()
    for (let part = 0; part < 4; part++) {
      const one = new LatencyBuckets()
      for (const v of latencies(300, part + 1)) { one.add(v); all.add(v) }
      merged.mergeBuckets(one)
      byRecord.merge(one.toRecord())
    }
    expect(merged.toRecord()).toEqual(all.toRecord())
    expect(byRecord.toRecord()).toEqual(all.toRecord())
    expect(merged.quantile(0.99)).toBe(all.quantile(0.99))
  })

  it('clamps what is out of range and skips what is not a bucket', () => {
    expect(latencyKey(0)).toBe(MIN_LATENCY_KEY)
    expect(latencyKey(-3)).toBe(MIN_LATENCY_KEY)
    expect(latencyKey(Number.NaN)).toBe(MIN_LATENCY_KEY)
    expect(latencyKey(1e12)).toBe(MAX_LATENCY_KEY)
    const h = new LatencyBuckets()
    h.merge({ 'x': 3, '1.5': 2, '10': -1, '20': Number.NaN, '99999': 2, '-99999': 1 })
    expect(h.count).toBe(3)
    expect(h.toRecord()).toEqual({ [String(MAX_LATENCY_KEY)]: 2, [String(MIN_LATENCY_KEY)]: 1 })
    expect(h.quantile(1)).toBeCloseTo(latencyOfKey(MAX_LATENCY_KEY))
  })

  it('answers null for an empty histogram and empties on reset', () => {
    const h = new LatencyBuckets()
    expect(h.quantile(0.99)).toBeNull()
    expect(h.toRecord()).toEqual({})
    h.add(5)
    expect(h.quantile(0.99)! / 5).toBeCloseTo(1, 1)
    h.reset()
    expect(h.count).toBe(0)
    expect(h.quantile(0.5)).toBeNull()
  })
})
