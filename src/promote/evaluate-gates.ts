import type { GatesConfig } from '../config/types.js'
import type { AuditEvidence } from '../store/audit-entry.js'
import { formatDuration } from '../config/duration.js'

export type GateName = 'minPairs' | 'parity' | 'maxShadowErrors'

/** A gate that does not hold: its name, what was measured, what it needs, and a sentence saying both. */
export interface GateFailure {
  readonly gate: GateName
  /** the measured figure: pairs, parity (fraction) or shadow error rate (fraction); null when nothing was measured */
  readonly figure: number | null
  /** the gate's value */
  readonly needed: number
  readonly message: string
}

export interface GateCounts {
  readonly compared: number
  readonly matched: number
  /** shadow errors */
  readonly errors: number
}

export interface GateResult {
  readonly ok: boolean
  /** in gate order: minPairs first (when it fails, the others are not judged: too few pairs say nothing) */
  readonly failures: readonly GateFailure[]
  /** the figures and the gates, as the audit log keeps them */
  readonly evidence: AuditEvidence
}

const percent = (f: number): string => `${(f * 100).toFixed(f >= 0.99 && f < 1 ? 2 : 1).replace(/\.0+$/, '')}%`

/**
 * Whether a route's parity evidence over its window passes its gates
 * (DESIGN.md "Flipping routes"). Pairs are compared records plus shadow
 * errors, as in the report's verdict.
 */
export function evaluateGates (gates: GatesConfig, counts: GateCounts, since: Date): GateResult {
  const pairs = counts.compared + counts.errors
  const parity = counts.compared > 0 ? counts.matched / counts.compared : null
  const errorRate = pairs > 0 ? counts.errors / pairs : null
  const window = formatDuration(gates.windowMs)
  const failures: GateFailure[] = []
  if (pairs < gates.minPairs) {
    failures.push({ gate: 'minPairs', figure: pairs, needed: gates.minPairs, message: `minPairs: ${pairs} pair${pairs === 1 ? '' : 's'} in the last ${window}, ${gates.minPairs} needed` })
  } else {
    if (parity === null || parity < gates.parity) {
      failures.push({
        gate: 'parity',
        figure: parity,
        needed: gates.parity,
        message: parity === null
          ? `parity: nothing compared in the last ${window} (every pair was a shadow error), ${percent(gates.parity)} needed`
          : `parity: ${percent(parity)} (${counts.matched} of ${counts.compared} matched in the last ${window}), ${percent(gates.parity)} needed`
      })
    }
    if (errorRate !== null && errorRate > gates.maxShadowErrors) {
      failures.push({ gate: 'maxShadowErrors', figure: errorRate, needed: gates.maxShadowErrors, message: `maxShadowErrors: ${percent(errorRate)} of pairs were shadow errors (${counts.errors} of ${pairs}) in the last ${window}, at most ${percent(gates.maxShadowErrors)} allowed` })
    }
  }
  return {
    ok: failures.length === 0,
    failures,
    evidence: {
      since: since.toISOString(),
      pairs,
      compared: counts.compared,
      matched: counts.matched,
      errors: counts.errors,
      parity,
      errorRate,
      gates: { minPairs: gates.minPairs, parity: gates.parity, maxShadowErrors: gates.maxShadowErrors, windowMs: gates.windowMs },
      failed: failures.map(f => f.gate)
    }
  }
}
