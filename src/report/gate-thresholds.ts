import type { GatesConfig } from '../config/types.js'
import { formatDuration } from '../config/duration.js'
import { DEFAULT_THRESHOLDS, type RouteGates, type VerdictThresholds } from './parity-report.js'

/**
 * The verdict thresholds of a route's gates (DESIGN.md "Flipping routes"):
 * `ready` is exactly the gates (pairs ≥ minPairs, parity ≥ parity, shadow
 * error rate ≤ maxShadowErrors), the bar `promote` checks. `almost` keeps
 * the report's looser bar (parity ≥ 95 %, errors ≤ 5 %), never stricter
 * than the gate itself: with `parity: 0.9` almost is parity ≥ 90 % (with
 * more errors than ready allows). The default gates give the default
 * thresholds.
 */
export function thresholdsOfGates (gates: Pick<GatesConfig, 'minPairs' | 'parity' | 'maxShadowErrors'>): VerdictThresholds {
  return {
    minCompared: gates.minPairs,
    ready: gates.parity,
    almost: Math.min(DEFAULT_THRESHOLDS.almost, gates.parity),
    readyErrorRate: gates.maxShadowErrors,
    almostErrorRate: Math.max(DEFAULT_THRESHOLDS.almostErrorRate, gates.maxShadowErrors)
  }
}

/** A route's gates as a report shows them: from the rules (with their window), or the thresholds used without them. */
export function routeGatesOf (gates: GatesConfig | undefined, thresholds: VerdictThresholds): RouteGates {
  if (gates === undefined) return { minPairs: thresholds.minCompared, parity: thresholds.ready, maxShadowErrors: thresholds.readyErrorRate, window: null }
  return { minPairs: gates.minPairs, parity: gates.parity, maxShadowErrors: gates.maxShadowErrors, window: formatDuration(gates.windowMs) }
}

/** A gate's fraction as a percentage without trailing zeros: `99.9%`, `90%`, `0.1%`. */
export function gatePercent (f: number): string {
  return `${Number((f * 100).toFixed(4))}%`
}

/** `≥ 100 pairs, parity ≥ 99.9%, shadow errors ≤ 0.1%, window 24h` */
export function describeGates (g: RouteGates): string {
  return `≥ ${g.minPairs} pairs, parity ≥ ${gatePercent(g.parity)}, shadow errors ≤ ${gatePercent(g.maxShadowErrors)}${g.window !== null ? `, window ${g.window}` : ''}`
}

/** Whether a route was judged by gates of its own, other than the report's thresholds (its rules set them). */
export function hasOwnGates (g: RouteGates, t: VerdictThresholds): boolean {
  return g.minPairs !== t.minCompared || g.parity !== t.ready || g.maxShadowErrors !== t.readyErrorRate
}
