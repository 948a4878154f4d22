import { VERDICTS, type ReportTotals, type RouteReport, type Verdict } from './parity-report.js'
import { parityOf } from './parity-of.js'
import { sortedCounts } from './sorted-counts.js'

/**
 * The report's totals: the route reports summed (counts, skip reasons, verdicts,
 * first and last record time) plus the record counts only the reader knows.
 * `unreadableLines` starts at 0; runReport sets it from the store reader.
 */
export function reportTotals (routes: readonly RouteReport[], read: { readonly records: number; readonly ignored: number }): ReportTotals {
  const skipped: Record<string, number> = {}
  let matched = 0; let mismatched = 0; let errors = 0; let skippedTotal = 0
  let firstAt: string | null = null; let lastAt: string | null = null
  const verdicts = Object.fromEntries(VERDICTS.map(v => [v, 0])) as Record<Verdict, number>
  for (const r of routes) {
    matched += r.matched; mismatched += r.mismatched; errors += r.errors; skippedTotal += r.skippedTotal
    for (const [k, v] of Object.entries(r.skipped)) skipped[k] = (skipped[k] ?? 0) + v
    if (r.firstAt !== null && (firstAt === null || r.firstAt < firstAt)) firstAt = r.firstAt
    if (r.lastAt !== null && (lastAt === null || r.lastAt > lastAt)) lastAt = r.lastAt
    verdicts[r.verdict]++
  }
  return {
    records: read.records,
    ignored: read.ignored,
    unreadableLines: 0,
    routes: routes.length,
    compared: matched + mismatched,
    matched,
    mismatched,
    errors,
    skipped: sortedCounts(skipped),
    skippedTotal,
    parity: parityOf(matched, matched + mismatched),
    verdicts,
    firstAt,
    lastAt
  }
}
