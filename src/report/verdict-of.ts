import type { Verdict, VerdictThresholds } from './parity-report.js'

/**
 * The verdict of a route from its counts (see `Verdict`). Pairs are compared
 * records plus shadow errors: a shadow that fails half the time is not ready
 * even if the other half matches.
 */
export function verdictOf (
  c: { readonly compared: number; readonly errors: number; readonly parity: number | null },
  t: VerdictThresholds
): Verdict {
  const pairs = c.compared + c.errors
  if (pairs === 0 || pairs < t.minCompared) return 'insufficient-data'
  const errorRate = c.errors / pairs
  const parity = c.parity ?? 0
  if (c.compared > 0 && parity >= t.ready && errorRate <= t.readyErrorRate) return 'ready'
  if (c.compared > 0 && parity >= t.almost && errorRate <= t.almostErrorRate) return 'almost'
  return 'broken'
}
