import { describe, expect, it } from 'vitest'
import { differsPastSixthDigit, toleranceFor } from '../../src/suggest/float-noise.js'

describe('float noise and the tolerance that absorbs it', () => {
  it('two numbers are noise when they agree in their first 6 significant digits', () => {
    expect(differsPastSixthDigit(0.1 + 0.2, 0.3)).toBe(true)
    expect(differsPastSixthDigit(123.456789, 123.456712)).toBe(true)
    expect(differsPastSixthDigit(100_000, 100_001)).toBe(false)
    expect(differsPastSixthDigit(1_000_000, 1_000_001)).toBe(true)
    expect(differsPastSixthDigit(10, 10.5)).toBe(false)
    expect(differsPastSixthDigit(0, 1e-12)).toBe(false)
    expect(differsPastSixthDigit(5, 5)).toBe(false)
  })

  it('rounds the largest difference up to one significant digit, and it absorbs it as the differ compares', () => {
    expect(toleranceFor(3.2e-7)).toBe(4e-7)
    expect(toleranceFor(0.003)).toBe(0.003)
    expect(toleranceFor(9.5e-5)).toBe(0.0001)
    expect(toleranceFor(8.82e-7)).toBe(9e-7)
    for (const [a, b] of [[0.1 + 0.2, 0.3], [294, 294 * (1 + 3e-9)], [7.35 * 3, 7.35 * 3 * (1 + 2e-9)]] as const) {
      const gap = Math.abs(a - b)
      expect(gap <= toleranceFor(gap)).toBe(true)
    }
    expect(() => toleranceFor(0)).toThrow(RangeError)
  })
})
