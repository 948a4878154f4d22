import { describe, expect, it } from 'vitest'
import { formatPercent } from '../../src/report/format-values.js'

describe('parity shown as a percentage', () => {
  it('shows 100% only when every pair matched, and 0% only when none did', () => {
    expect(formatPercent(1)).toBe('100%')
    expect(formatPercent(0.99999)).toBe('>99.99%')
    expect(formatPercent(0.9995)).toBe('99.95%')
    expect(formatPercent(2 / 3)).toBe('66.67%')
    expect(formatPercent(0.8)).toBe('80.00%')
    expect(formatPercent(0.00001)).toBe('<0.01%')
    expect(formatPercent(0)).toBe('0%')
    expect(formatPercent(null)).toBe('—')
  })
})
