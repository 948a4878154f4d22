/**
 * `strangler status` (default format): the headline, a table of every route
 * in file order, then per route its next step (words and the command), the
 * gate holding it back, its gates, its rollout and its last flip. Names and
 * texts from files go through plainText: an escape sequence in a route name
 * or an audit line cannot drive the terminal.
 */
import { plainText } from '../report/format-values.js'
import { describeFlip } from '../report/last-flip.js'
import type { StatusBoard, StatusRow } from './status-board.js'
import { gatesCell, heldByCell, measuredCells } from './status-cells.js'
import { headlineText } from './status-headline.js'
import { describeRollout } from './status-rollout.js'

function table (headers: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(headers), ...rows.map(line)]
}

function detail (r: StatusRow): string[] {
  const out = [`── ${plainText(r.route)} · ${r.stage} · ${r.verdict ?? 'not compared'}`]
  out.push(`   next       ${plainText(r.next.says)}`)
  if (r.next.command !== null) out.push(`              ${plainText(r.next.command)}`)
  if (r.heldBy !== null) out.push(`   held by    ${plainText(r.heldBy.message)}`)
  out.push(`   gates      ${gatesCell(r.gates)}`)
  if (r.rollout !== null) out.push(`   rollout    ${plainText(describeRollout(r.rollout))}`)
  if (r.lastFlip !== null) out.push(`   last flip  ${plainText(describeFlip(r.lastFlip))}`)
  return out
}

export function renderStatusText (board: StatusBoard): string {
  const lines = [
    `strangler status · rules ${plainText(board.rules)} · store ${plainText(board.store)} · ${board.generatedAt}`,
    plainText(headlineText(board.headline)),
    ''
  ]
  if (board.routes.length === 0) {
    lines.push('no routes: every request goes to the default upstream')
    return lines.join('\n') + '\n'
  }
  lines.push(...table(
    ['ROUTE', 'STAGE', 'SERVING', 'SHADOW', 'PARITY', 'PAIRS', 'SHADOW ERRORS', 'VERDICT', 'HELD BY'],
    board.routes.map(r => {
      const m = measuredCells(r)
      return [plainText(r.route), r.stage, plainText(r.serving), plainText(r.shadow ?? '—'), m.parity, m.pairs, m.errors, r.verdict ?? '—', heldByCell(r.heldBy)]
    }),
    [false, false, false, false, true, true, true, false, false]))
  for (const r of board.routes) lines.push('', ...detail(r))
  return lines.join('\n') + '\n'
}
