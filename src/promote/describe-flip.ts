import { formatDuration } from '../config/duration.js'
import { formatCount, formatPercent } from '../report/format-values.js'
import type { AuditEvidence, AuditRouting } from '../store/audit-entry.js'
import { describeRouting } from './describe-routing.js'

export interface FlipSummary {
  readonly route: string
  readonly from: AuditRouting
  readonly to: AuditRouting
  /** the gate figures the step was judged on, or null (a step that needs none) */
  readonly evidence: AuditEvidence | null
  /** the messages of the gates it went past with --force */
  readonly forcedPast?: readonly string[]
}

/** `parity 99.95% over 1,204 pairs in the last 24h` */
export function describeEvidence (e: AuditEvidence): string {
  const window = `in the last ${formatDuration(e.gates.windowMs)}`
  const pairs = `${formatCount(e.pairs)} pair${e.pairs === 1 ? '' : 's'}`
  return e.parity === null ? `nothing compared (${pairs} ${window})` : `parity ${formatPercent(e.parity)} over ${pairs} ${window}`
}

/**
 * One line of a flip for people:
 * `get-order: shadowing → canary (orders 10%, legacy 90%) · parity 99.95% over 1,204 pairs in the last 24h`,
 * with `· forced past minPairs: …` when --force went past a gate.
 */
export function describeFlip (f: FlipSummary): string {
  const parts = [`${f.route}: ${f.from.stage} → ${f.to.stage} (${describeRouting(f.to)})`]
  if (f.evidence !== null) parts.push(describeEvidence(f.evidence))
  if (f.forcedPast !== undefined && f.forcedPast.length > 0) parts.push(`forced past ${f.forcedPast.join('; ')}`)
  return parts.join(' · ')
}
