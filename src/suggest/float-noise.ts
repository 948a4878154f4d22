/**
 * Float noise: two numbers that agree in their first 6 significant digits
 * (`0.1 + 0.2` against `0.3`, a sum added up in another order, a float32
 * round trip) and the absolute `compare.tolerance` that absorbs such
 * differences.
 */

/** Significant digits two numbers must share for their difference to be noise. */
export const SIGNIFICANT_DIGITS = 6

/**
 * True when `a` and `b` differ, but only past the 6th significant digit of the
 * larger: |a - b| < 10^(e - 5) where e is the larger's decimal exponent.
 */
export function differsPastSixthDigit (a: number, b: number): boolean {
  if (a === b || !Number.isFinite(a) || !Number.isFinite(b)) return false
  const scale = Math.max(Math.abs(a), Math.abs(b))
  const exponent = Math.floor(Math.log10(scale))
  return Math.abs(a - b) < 10 ** (exponent - (SIGNIFICANT_DIGITS - 1))
}

/**
 * The smallest tolerance of one significant digit that is at least `diff`
 * (3.2e-7 → 4e-7, 0.003 → 0.003), so that `|a - b| <= tolerance` holds for
 * every difference up to `diff`, as the differ computes it.
 */
export function toleranceFor (diff: number): number {
  if (!(diff > 0) || !Number.isFinite(diff)) throw new RangeError('a tolerance is for a positive, finite difference')
  let exponent = Math.floor(Math.log10(diff))
  let digit = Math.ceil(diff / 10 ** exponent)
  for (;;) {
    if (digit >= 10) { digit = 1; exponent++ }
    const t = Number(`${digit}e${exponent}`)
    if (t >= diff) return t
    digit++
  }
}
