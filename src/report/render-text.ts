/**
 * `strangler report` (default format): a summary table of routes in report
 * order, then per route its counts, latency, status pairs, shadow errors and
 * most frequent differing paths. Text from records is passed through
 * plainText, so a key holding an escape sequence cannot drive the terminal.
 */
import { rescoredLine } from './parity-report.js'
import type { ParityReport, RouteReport, Verdict } from './parity-report.js'
import { formatCount, formatMs, formatPercent, formatSkipped, plainText } from './format-values.js'
import { describeGates, hasOwnGates } from './gate-thresholds.js'
import { describeFlip } from './last-flip.js'

function table (headers: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(headers), ...rows.map(line)]
}

function ms2 (a: number | null, b: number | null): string {
  return a === null && b === null ? '—' : `${a === null ? '—' : a.toFixed(1)}/${b === null ? '—' : b.toFixed(1)}`
}

function headline (report: ParityReport): string[] {
  const t = report.totals
  const lines: string[] = []
  const span = t.firstAt !== null ? ` · ${t.firstAt} → ${t.lastAt}` : ''
  lines.push(`strangler parity report · store ${plainText(report.store ?? '(stream)')}${span}`)
  const f: string[] = []
  if (report.filters.route !== null) f.push(`route ${plainText(report.filters.route)}`)
  if (report.filters.since !== null) f.push(`since ${report.filters.since}`)
  if (f.length > 0) lines.push(`filters: ${f.join(', ')}`)
  const rescored = rescoredLine(report.rescored)
  if (rescored !== null) lines.push(plainText(rescored))
  lines.push(`${formatCount(t.records)} records · ${t.routes} route${t.routes === 1 ? '' : 's'} · compared ${formatCount(t.compared)} · parity ${formatPercent(t.parity)} · shadow errors ${formatCount(t.errors)} · skipped ${formatCount(t.skippedTotal)}`)
  const group = (v: Verdict): string => report.routes.filter(r => r.verdict === v).map(r => `${plainText(r.route)} (${formatPercent(r.parity)})`).join(', ')
  const parts: string[] = []
  for (const v of ['ready', 'almost', 'broken'] as const) if (t.verdicts[v] > 0) parts.push(`${v}: ${group(v)}`)
  if (t.verdicts['insufficient-data'] > 0) parts.push(`insufficient data (${minPairsOf(report)}): ${t.verdicts['insufficient-data']}`)
  if (parts.length > 0) lines.push(parts.join(' · '))
  return lines
}

/** What the insufficient-data routes lack: `< 100 pairs`, or `< their minPairs` when their gates differ. */
function minPairsOf (report: ParityReport): string {
  const needed = new Set(report.routes.filter(r => r.verdict === 'insufficient-data').map(r => r.gates.minPairs))
  return needed.size === 1 ? `< ${[...needed][0]} pairs` : '< their minPairs'
}

function summary (report: ParityReport): string[] {
  // the CONTRACT column (records with contract findings, `serve --spec`) only when there are any
  const contract = report.routes.some(r => r.contract > 0)
  // the CORRELATED column (differences learned correlation explained) only when there are any
  const correlated = report.routes.some(r => r.correlated > 0)
  return table(
    ['ROUTE', 'VERDICT', 'STAGE', 'COMPARED', 'MATCHED', 'MISMATCHED', 'ERRORS', 'SKIPPED', 'PARITY', ...(correlated ? ['CORRELATED'] : []), ...(contract ? ['CONTRACT'] : []), 'PRIMARY p50/p99 ms', 'SHADOW p50/p99 ms'],
    report.routes.map(r => [
      plainText(r.route), r.verdict, r.stage ?? '—', formatCount(r.compared), formatCount(r.matched), formatCount(r.mismatched),
      formatCount(r.errors), formatCount(r.skippedTotal), formatPercent(r.parity), ...(correlated ? [formatCount(r.correlated)] : []), ...(contract ? [formatCount(r.contract)] : []),
      ms2(r.latency.primary.p50, r.latency.primary.p99), ms2(r.latency.shadow.p50, r.latency.shadow.p99)
    ]),
    [false, false, false, true, true, true, true, true, true, ...(correlated ? [true] : []), ...(contract ? [true] : []), true, true])
}

function ids (examples: readonly string[]): string {
  return examples.map(plainText).join(', ')
}

function routeDetail (r: RouteReport, report: ParityReport): string[] {
  const out: string[] = []
  out.push(`── ${plainText(r.route)} · ${r.verdict} · parity ${formatPercent(r.parity)} (${formatCount(r.matched)} of ${formatCount(r.compared)} compared)${r.stage ? ` · stage ${r.stage}` : ''}`)
  if (r.lastFlip !== null) out.push(`   last flip ${plainText(describeFlip(r.lastFlip))}`)
  if (hasOwnGates(r.gates, report.thresholds)) out.push(`   gates    ${describeGates(r.gates)} (the route's own)`)
  out.push(`   mismatched ${formatCount(r.mismatched)} · shadow errors ${formatCount(r.errors)} · skipped ${formatCount(r.skippedTotal)}${r.skippedTotal > 0 ? ` (${formatSkipped(r.skipped)})` : ''}`)
  out.push(`   latency  primary p50 ${formatMs(r.latency.primary.p50)}, p99 ${formatMs(r.latency.primary.p99)} · shadow p50 ${formatMs(r.latency.shadow.p50)}, p99 ${formatMs(r.latency.shadow.p99)}`)
  for (const s of r.statusPairs) out.push(`   status   ${s.label}  ×${formatCount(s.count)}  e.g. ${ids(s.examples)}`)
  for (const e of r.topErrors) out.push(`   error    ${plainText(e.message)}  ×${formatCount(e.count)}  e.g. ${ids(e.examples)}`)
  if (r.explainedBy !== null && r.mismatched > 0) out.push(`   cause    every mismatch has: ${plainText(r.explainedBy)}`)
  if (r.noise.length > 0) out.push(`   noise    (calibration: the primary's own answers differ; not counted) ${r.noise.map(plainText).join(', ')}`)
  if (r.topDifferences.length > 0) {
    out.push(`   differing paths (records, of ${formatCount(r.mismatched)} mismatched; ${formatCount(r.distinctPaths)}${r.pathsApproximate ? '+ (approximate counts)' : ''} distinct):`)
    for (const l of table(['COUNT', 'SHARE', 'PATH', 'KINDS', 'EXAMPLES'], r.topDifferences.map(d => [
      formatCount(d.count), formatPercent(d.share), plainText(d.path),
      Object.keys(d.kinds).join(','), ids(d.examples)
    ]), [true, true, false, false, false])) out.push(`     ${l}`)
  }
  if (r.topContract.length > 0) {
    out.push(`   contract findings (not counted in parity; ${formatCount(r.contract)} of ${formatCount(r.compared)} compared records):`)
    for (const l of table(['COUNT', 'SIDE', 'PATH', 'BREAKS', 'EXAMPLES'], r.topContract.map(c => [
      formatCount(c.count), c.side, plainText(c.path), plainText(`${c.schemaPath}: ${c.message}`), ids(c.examples)
    ]), [true, false, false, false, false])) out.push(`     ${l}`)
  }
  if (r.operations.length > 0) {
    out.push('   operations:')
    for (const o of r.operations) out.push(`     ${plainText(o.operation)}: ${formatCount(o.compared)} compared, parity ${formatPercent(o.parity)}, shadow errors ${formatCount(o.errors)}`)
  }
  return out
}

/** Root causes: the largest groups of one difference signature across routes. */
function groupLines (report: ParityReport): string[] {
  if (report.groups.length === 0) return []
  const out = ['', 'root causes (differences grouped across routes, largest first):']
  for (const l of table(['PAIRS', 'ROUTES', 'DIFFERENCE', 'IN', 'EXAMPLES'], report.groups.map(g => [
    formatCount(g.pairs), String(g.routes.length), plainText(g.signature),
    g.routes.slice(0, 4).map(x => plainText(x.route)).join(', ') + (g.routes.length > 4 ? ', …' : ''), ids(g.examples)
  ]), [true, true, false, false, false])) out.push(`  ${l}`)
  return out
}

export function renderText (report: ParityReport): string {
  const lines = [...headline(report), '', ...summary(report), ...groupLines(report)]
  for (const r of report.routes) lines.push('', ...routeDetail(r, report))
  return lines.join('\n') + '\n'
}
