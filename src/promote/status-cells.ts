/** The cells of a status board row as people read them, shared by the text, Markdown and HTML boards. */
import { formatCount, formatPercent } from '../report/format-values.js'
import { gatePercent } from '../report/gate-thresholds.js'
import type { StatusGates, StatusHeldBy, StatusRow } from './status-board.js'

/** `minPairs (42 of 100)`, `parity (76.00%, needs 99.9%)`, `maxShadowErrors (2.10%, at most 0.1%)`, or `—` */
export function heldByCell (h: StatusHeldBy | null): string {
  if (h === null) return '—'
  switch (h.gate) {
    case 'minPairs': return `minPairs (${formatCount(h.figure ?? 0)} of ${formatCount(h.needed)})`
    case 'parity': return `parity (${formatPercent(h.figure)}, needs ${gatePercent(h.needed)})`
    case 'maxShadowErrors': return `maxShadowErrors (${formatPercent(h.figure)}, at most ${gatePercent(h.needed)})`
  }
}

/** `≥ 100 pairs, parity ≥ 99.9%, shadow errors ≤ 0.1%, window 24h` */
export function gatesCell (g: StatusGates): string {
  return `≥ ${g.minPairs} pairs, parity ≥ ${gatePercent(g.parity)}, shadow errors ≤ ${gatePercent(g.maxShadowErrors)}, window ${g.window}`
}

/** The measured cells: parity, pairs, shadow error rate (`—` when not measured). */
export function measuredCells (r: StatusRow): { parity: string; pairs: string; errors: string } {
  return { parity: formatPercent(r.parity), pairs: formatCount(r.pairs), errors: formatPercent(r.errorRate) }
}
