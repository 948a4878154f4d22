import { relative } from 'node:path'
import { formatCount, formatPercent, plainText } from '../report/format-values.js'
import type { CoverageReport, OperationCoverage, ParityCounts } from './coverage.js'

export const COVERAGE_FORMATS = ['text', 'json', 'md'] as const
export type CoverageFormat = typeof COVERAGE_FORMATS[number]

/** "23 of 140 operations migrated, 12 shadowing at 99.20% parity, 2 canary, 103 on legacy" */
export function coverageHeadline (report: CoverageReport): string {
  const t = report.totals
  const s = t.byStage
  const parts = [`${formatCount(s.migrated)} of ${formatCount(t.operations)} operation${t.operations === 1 ? '' : 's'} migrated`]
  if (s.shadowing === 0) parts.push('0 shadowing')
  else if (t.shadowing.parity === null) parts.push(`${formatCount(s.shadowing)} shadowing (nothing compared yet)`)
  else parts.push(`${formatCount(s.shadowing)} shadowing at ${formatPercent(t.shadowing.parity)} parity`)
  if (s.canary > 0) parts.push(`${formatCount(s.canary)} canary`)
  if (s.verifying > 0) parts.push(`${formatCount(s.verifying)} verifying`)
  parts.push(`${formatCount(s.legacy)} on legacy`)
  return parts.join(', ')
}

/** The coverage report as text (a terminal), json (scripts; parity as a fraction) or md. */
export function renderCoverage (report: CoverageReport, format: CoverageFormat): string {
  switch (format) {
    case 'json': return JSON.stringify(report, null, 2) + '\n'
    case 'md': return renderMarkdown(report)
    case 'text': return renderText(report)
  }
}

const HEADERS = ['STAGE', 'METHOD', 'PATH', 'OPERATION', 'ROUTE', 'SERVED BY', 'COMPARED', 'PARITY', 'ERRORS', 'NOTE'] as const
const RIGHT = [false, false, false, false, false, false, true, true, true, false]

function row (o: OperationCoverage): string[] {
  const p = o.parity
  return [
    o.stage,
    o.method,
    plainText(o.path),
    plainText(o.operationId ?? '—'),
    o.route === null ? '(default)' : plainText(o.route),
    plainText(o.servedBy),
    p === null ? '—' : formatCount(p.compared),
    p === null ? '—' : formatPercent(p.parity),
    p === null ? '—' : formatCount(p.errors),
    note(o, p)
  ]
}

function note (o: OperationCoverage, p: ParityCounts | null): string {
  const notes: string[] = []
  for (const a of o.audiences) notes.push(`${a.stage} for ${plainText(a.audience)} via ${plainText(a.route)}${a.parity?.parity != null ? ` (${formatPercent(a.parity.parity)} parity, ${formatCount(a.parity.compared)} compared)` : ''}`)
  if (o.partial.length > 0) notes.push(`partly taken by ${o.partial.map(n => plainText(JSON.stringify(n))).join(', ')}`)
  for (const t of o.transforms.configured) notes.push(`transform ${plainText(t)}`)
  for (const t of o.transforms.suggested) notes.push(`needs a transform? ${plainText(t)}`)
  if (p !== null && p.contractViolations > 0) notes.push(`${formatCount(p.contractViolations)} contract violation${p.contractViolations === 1 ? '' : 's'}`)
  return notes.join('; ')
}

function shortFile (file: string): string {
  if (file === '<inline>') return file
  const rel = relative(process.cwd(), file)
  return rel !== '' && !rel.startsWith('..') ? rel : file
}

function recordsLine (report: CoverageReport): string | null {
  if (report.records === null) return null
  const r = report.records
  return `records: ${formatCount(r.read)} read` + (r.unattributed > 0 ? `, ${formatCount(r.unattributed)} not attributed to an operation's current route` : '')
}

function renderText (report: CoverageReport): string {
  const lines = [
    `strangler coverage · spec ${plainText(shortFile(report.spec))} · rules ${plainText(shortFile(report.rules))}`,
    coverageHeadline(report)
  ]
  const rec = recordsLine(report)
  if (rec !== null) lines.push(rec)
  lines.push('')
  const rows = report.operations.map(row)
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const fmt = (cells: readonly string[]): string => cells.map((c, i) => RIGHT[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)).join('  ').trimEnd()
  lines.push(fmt(HEADERS), ...rows.map(fmt))
  if (report.unmatchedRoutes.length > 0) {
    lines.push('', `Routes matching no operation (${report.unmatchedRoutes.length}):`)
    for (const r of report.unmatchedRoutes) {
      lines.push(`  ${plainText(r.route)}  ${r.methods?.join(',') ?? 'ANY'} ${plainText(r.path)}${r.line !== null ? `  (line ${r.line})` : ''}`)
    }
  }
  if (report.defaultOnly.length > 0) {
    lines.push('', `Operations served only by the default ${plainText(JSON.stringify(report.defaultUpstream))} (${report.defaultOnly.length}):`)
    for (const o of report.defaultOnly) lines.push(`  ${o.method} ${plainText(o.path)}${o.operationId !== null ? `  ${plainText(o.operationId)}` : ''}`)
  }
  return lines.join('\n') + '\n'
}

function md (s: string): string {
  return plainText(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([`*_<>[\]])/g, '\\$1')
}

function renderMarkdown (report: CoverageReport): string {
  const lines = [
    '# Migration coverage',
    '',
    `Spec \`${plainText(shortFile(report.spec))}\`, rules \`${plainText(shortFile(report.rules))}\`.`,
    '',
    `**${coverageHeadline(report)}**`
  ]
  const rec = recordsLine(report)
  if (rec !== null) lines.push('', rec)
  lines.push('', '| Stage | Method | Path | Operation | Route | Served by | Compared | Parity | Errors | Note |', '|---|---|---|---|---|---|--:|--:|--:|---|')
  for (const o of report.operations) lines.push('| ' + row(o).map(md).join(' | ') + ' |')
  if (report.unmatchedRoutes.length > 0) {
    lines.push('', `## Routes matching no operation (${report.unmatchedRoutes.length})`, '')
    for (const r of report.unmatchedRoutes) lines.push(`- ${md(r.route)}: ${r.methods?.join(',') ?? 'any method'} ${md(r.path)}`)
  }
  if (report.defaultOnly.length > 0) {
    lines.push('', `## Operations served only by the default (${report.defaultOnly.length})`, '')
    for (const o of report.defaultOnly) lines.push(`- ${o.method} ${md(o.path)}${o.operationId !== null ? ` (${md(o.operationId)})` : ''}`)
  }
  return lines.join('\n') + '\n'
}
