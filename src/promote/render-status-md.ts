/**
 * `strangler status --format md`: the board as GitHub-flavoured Markdown (a
 * pull request, a wiki page). Names and texts from files go through mdText
 * or mdCode: a pipe or HTML in a route name cannot change the table.
 */
import { describeFlip } from '../report/last-flip.js'
import { mdCode, mdText } from '../report/render-md.js'
import type { StatusBoard, StatusRow } from './status-board.js'
import { gatesCell, heldByCell, measuredCells } from './status-cells.js'
import { headlineText } from './status-headline.js'
import { describeRollout } from './status-rollout.js'

function row (cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`
}

function nextCell (r: StatusRow): string {
  return mdText(r.next.says) + (r.next.command !== null ? `<br>${mdCode(r.next.command)}` : '')
}

function notes (r: StatusRow): string {
  const out: string[] = []
  if (r.rollout !== null) out.push(`rollout ${mdText(describeRollout(r.rollout))}`)
  out.push(`gates ${mdText(gatesCell(r.gates))}`)
  return out.join('<br>')
}

export function renderStatusMarkdown (board: StatusBoard): string {
  const out = ['# strangler status', '']
  out.push(`rules ${mdCode(board.rules)} · store ${mdCode(board.store)} · generated ${board.generatedAt}`, '')
  out.push(`**${mdText(headlineText(board.headline))}**`, '')
  if (board.routes.length === 0) {
    out.push('No routes: every request goes to the default upstream.')
    return out.join('\n') + '\n'
  }
  out.push(row(['Route', 'Stage', 'Serving', 'Shadow', 'Parity', 'Pairs', 'Shadow errors', 'Verdict', 'Held by', 'Next', 'Last flip', 'Gates and rollout']))
  out.push('|---|---|---|---|---:|---:|---:|---|---|---|---|---|')
  for (const r of board.routes) {
    const m = measuredCells(r)
    out.push(row([
      mdText(r.route), r.stage, mdText(r.serving), r.shadow === null ? '—' : mdText(r.shadow), m.parity, m.pairs, m.errors, r.verdict ?? '—',
      r.heldBy === null ? '—' : `${mdText(heldByCell(r.heldBy))}<br>${mdText(r.heldBy.message)}`,
      nextCell(r),
      r.lastFlip === null ? '—' : mdText(describeFlip(r.lastFlip)),
      notes(r)
    ]))
  }
  return out.join('\n') + '\n'
}
