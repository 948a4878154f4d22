import { describe, expect, it } from 'vitest'
import { LatencyHistogram } from '../../src/report/latency-histogram.js'
import { exactPercentile } from './ground-truth-store.js'

function rng (seed: number): () => number {
  let s = seed >>> 0
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32 }
}

describe('LatencyHistogram', () => {
  it('is exact for one-decimal latencies under 204.8 ms', () => {
    const r = rng(1)
    const h = new LatencyHistogram()
    const values: number[] = []
    for (let i = 0; i < 5000; i++) { const v = Math.round(r() * 2000) / 10; values.push(v); h.add(v) }
    for (const p of [0.01, 0.5, 0.9, 0.99, 1]) expect(h.percentile(p)).toBe(exactPercentile(values, p))
  })

  it('stays within 0.1 % on a long tail up to minutes', () => {
    const r = rng(2)
    const h = new LatencyHistogram()
    const values: number[] = []
    for (let i = 0; i < 20000; i++) { const v = Math.round(Math.exp(r() * 14) * 10) / 10; values.push(v); h.add(v) }
    for (const p of [0.5, 0.9, 0.99, 0.999]) {
      const exact = exactPercentile(values, p)
      expect(Math.abs(h.percentile(p)! - exact) / exact).toBeLessThanOrEqual(0.001)
    }
  })

  it('ignores values that are not latencies and is null when empty', () => {
    const h = new LatencyHistogram()
    expect(h.percentile(0.5)).toBeNull()
    for (const v of [NaN, -1, Infinity, undefined as unknown as number, '5' as unknown as number]) h.add(v)
    expect(h.count).toBe(0)
    h.add(0)
    expect(h.percentile(0.99)).toBe(0)
  })
})
