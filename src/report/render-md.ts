/**
 * `--format md`: GitHub-flavoured Markdown for a pull request or a wiki page.
 * Text from records goes through mdText or mdCode: table pipes, HTML and
 * Markdown syntax in a record value cannot change the document's structure.
 */
import { rescoredLine } from './parity-report.js'
import type { ParityReport, RouteReport } from './parity-report.js'
import { formatCount, formatMs, formatPercent, formatSkipped, plainText, shortJson } from './format-values.js'
import { describeGates, hasOwnGates } from './gate-thresholds.js'
import { describeFlip } from './last-flip.js'

/** Plain Markdown text: every character with meaning is backslash-escaped. */
export function mdText (s: string): string {
  return plainText(s).replace(/[\\`*_[\]<>#|~&]/g, c => `\\${c}`)
}

/** A code span that survives any backticks inside, pipes escaped for tables. */
export function mdCode (s: string): string {
  const t = plainText(s).replace(/\|/g, '\\|')
  const runs = t.match(/`+/g) ?? []
  const fence = '`'.repeat(Math.max(0, ...runs.map(r => r.length)) + 1)
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${t}${pad}${fence}`
}

function row (cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`
}

function ids (examples: readonly string[]): string {
  return examples.map(mdCode).join(', ')
}

/** The first 8 characters of record ids: enough to find one with `strangler show` and short in a PR comment. */
function shortIds (examples: readonly string[]): string {
  return examples.map(id => mdCode(id.slice(0, 8))).join(', ')
}

function groupSection (report: ParityReport): string[] {
  if (report.groups.length === 0) return []
  const out = ['## Root causes', '', 'Differences grouped by signature across routes, largest first.', '']
  out.push('| Difference | Pairs | Routes | Examples |', '|---|---:|---|---|')
  for (const g of report.groups) {
    out.push(row([mdCode(g.signature), formatCount(g.pairs), g.routes.map(x => `${mdText(x.route)} (${formatCount(x.pairs)})`).join(', '), shortIds(g.examples)]))
  }
  out.push('')
  return out
}

function routeSection (r: RouteReport, report: ParityReport): string[] {
  const out: string[] = []
  out.push(`## ${mdText(r.route)} — ${r.verdict}, parity ${formatPercent(r.parity)}`, '')
  if (r.lastFlip !== null) out.push(`- last flip: ${mdText(describeFlip(r.lastFlip))}`)
  if (hasOwnGates(r.gates, report.thresholds)) out.push(`- gates (the route's own): ${mdText(describeGates(r.gates))}`)
  out.push(`- compared **${formatCount(r.compared)}**: matched ${formatCount(r.matched)}, mismatched ${formatCount(r.mismatched)}`)
  out.push(`- shadow errors ${formatCount(r.errors)}; skipped ${formatCount(r.skippedTotal)}${r.skippedTotal > 0 ? ` (${formatSkipped(r.skipped)})` : ''}`)
  if (r.stage !== null) out.push(`- stage ${r.stage}`)
  if (r.explainedBy !== null && r.mismatched > 0) out.push(`- every mismatch has ${mdCode(r.explainedBy)} (see Root causes)`)
  out.push(`- latency: primary p50 ${formatMs(r.latency.primary.p50)}, p99 ${formatMs(r.latency.primary.p99)}; shadow p50 ${formatMs(r.latency.shadow.p50)}, p99 ${formatMs(r.latency.shadow.p99)}`)
  if (r.noise.length > 0) out.push(`- noise (calibration: the primary's own answers differ; not counted): ${r.noise.map(mdCode).join(', ')}`)
  out.push('')
  if (r.statusPairs.length > 0) {
    out.push('| Status (primary → shadow) | Count | Examples |', '|---|---:|---|')
    for (const s of r.statusPairs) out.push(row([s.label, formatCount(s.count), ids(s.examples)]))
    out.push('')
  }
  if (r.topErrors.length > 0) {
    out.push('| Shadow error | Count | Examples |', '|---|---:|---|')
    for (const e of r.topErrors) out.push(row([mdCode(e.message), formatCount(e.count), ids(e.examples)]))
    out.push('')
  }
  if (r.topDifferences.length > 0) {
    out.push(`Most frequent differing paths (records, of ${formatCount(r.mismatched)} mismatched${r.pathsApproximate ? '; counts approximate' : ''}):`, '')
    out.push('| Path | Count | Share | Kinds | Primary | Shadow | Examples |', '|---|---:|---:|---|---|---|---|')
    for (const d of r.topDifferences) {
      const ex = d.example
      const value = (v: unknown, present: boolean): string => present ? mdCode(shortJson(v, 40)) : '—'
      out.push(row([mdCode(d.path), formatCount(d.count), formatPercent(d.share), Object.keys(d.kinds).join(', '),
        value(ex?.primary, ex !== null && ex !== undefined && 'primary' in ex), value(ex?.shadow, ex !== null && ex !== undefined && 'shadow' in ex), shortIds(d.examples)]))
    }
    out.push('')
  }
  if (r.topContract.length > 0) {
    out.push(`Contract findings (not counted in parity; ${formatCount(r.contract)} of ${formatCount(r.compared)} compared records):`, '')
    out.push('| Side | Path | Count | Breaks | Examples |', '|---|---|---:|---|---|')
    for (const c of r.topContract) out.push(row([c.side, mdCode(c.path), formatCount(c.count), mdCode(`${c.schemaPath}: ${c.message}`), ids(c.examples)]))
    out.push('')
  }
  if (r.operations.length > 0) {
    out.push('| Operation | Compared | Parity | Shadow errors |', '|---|---:|---:|---:|')
    for (const o of r.operations) out.push(row([mdCode(o.operation), formatCount(o.compared), formatPercent(o.parity), formatCount(o.errors)]))
    out.push('')
  }
  return out
}

export function renderMarkdown (report: ParityReport): string {
  const t = report.totals
  const out: string[] = ['# strangler parity report', '']
  const meta = [`generated ${report.generatedAt}`]
  if (report.store !== null) meta.unshift(`store ${mdCode(report.store)}`)
  if (t.firstAt !== null) meta.push(`records from ${t.firstAt} to ${t.lastAt}`)
  if (report.filters.route !== null) meta.push(`route ${mdCode(report.filters.route)}`)
  if (report.filters.since !== null) meta.push(`since ${report.filters.since}`)
  out.push(meta.join(' · '), '')
  const rescored = rescoredLine(report.rescored)
  if (rescored !== null) out.push(`_${mdText(rescored)}_`, '')
  out.push(`**${formatCount(t.records)}** record${t.records === 1 ? '' : 's'}, ${t.routes} route${t.routes === 1 ? '' : 's'}: compared ${formatCount(t.compared)}, parity **${formatPercent(t.parity)}**, shadow errors ${formatCount(t.errors)}, skipped ${formatCount(t.skippedTotal)}. ` +
    `Ready ${t.verdicts.ready}, almost ${t.verdicts.almost}, broken ${t.verdicts.broken}, insufficient data ${t.verdicts['insufficient-data']}.`, '')
  // the Contract column (records with contract findings, `serve --spec`) only when there are any
  const contract = report.routes.some(r => r.contract > 0)
  // the Correlated column (differences learned correlation explained) only when there are any
  const correlated = report.routes.some(r => r.correlated > 0)
  out.push(row(['Route', 'Verdict', 'Stage', 'Compared', 'Matched', 'Mismatched', 'Errors', 'Skipped', 'Parity', ...(correlated ? ['Correlated'] : []), ...(contract ? ['Contract'] : []), 'Primary p50 / p99', 'Shadow p50 / p99']))
  out.push(`|---|---|---|---:|---:|---:|---:|---:|---:|${correlated ? '---:|' : ''}${contract ? '---:|' : ''}---:|---:|`)
  for (const r of report.routes) {
    out.push(row([mdText(r.route), r.verdict, r.stage ?? '—', formatCount(r.compared), formatCount(r.matched), formatCount(r.mismatched),
      formatCount(r.errors), formatCount(r.skippedTotal), formatPercent(r.parity), ...(correlated ? [formatCount(r.correlated)] : []), ...(contract ? [formatCount(r.contract)] : []),
      `${formatMs(r.latency.primary.p50)} / ${formatMs(r.latency.primary.p99)}`, `${formatMs(r.latency.shadow.p50)} / ${formatMs(r.latency.shadow.p99)}`]))
  }
  out.push('')
  out.push(...groupSection(report))
  for (const r of report.routes) out.push(...routeSection(r, report))
  return out.join('\n').replace(/\n+$/, '') + '\n'
}
