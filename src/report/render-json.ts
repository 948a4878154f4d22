/**
 * `strangler report --format json`: a stable, versioned document that scripts
 * gate deployments on. Fields are only ever added within a version; renaming
 * or removing one bumps `version`. The field list is in README (report).
 */
import type { ParityReport, RouteReport } from './parity-report.js'
import type { LastFlip } from './last-flip.js'

export const REPORT_JSON_VERSION = 1

/** A last flip as the json report and `status --format json` give it. */
export function lastFlipJson (f: LastFlip): Record<string, unknown> {
  const routing = (r: LastFlip['from']): Record<string, unknown> => ({ stage: r.stage, serve: typeof r.serve === 'string' ? r.serve : { ...r.serve }, shadow: r.shadow })
  return { at: f.at, by: f.by, action: f.action, from: routing(f.from), to: routing(f.to), forced: f.forced, reason: f.reason }
}

function routeJson (r: RouteReport): Record<string, unknown> {
  return {
    route: r.route,
    stage: r.stage,
    verdict: r.verdict,
    compared: r.compared,
    matched: r.matched,
    mismatched: r.mismatched,
    errors: r.errors,
    skipped: r.skipped,
    skippedTotal: r.skippedTotal,
    parity: r.parity,
    errorRate: r.errorRate,
    firstAt: r.firstAt,
    lastAt: r.lastAt,
    latency: {
      primary: { p50: r.latency.primary.p50, p99: r.latency.primary.p99, count: r.latency.primary.count },
      shadow: { p50: r.latency.shadow.p50, p99: r.latency.shadow.p99, count: r.latency.shadow.count }
    },
    topDifferences: r.topDifferences.map(d => ({ path: d.path, count: d.count, share: d.share, kinds: d.kinds, examples: d.examples })),
    distinctPaths: r.distinctPaths,
    pathsApproximate: r.pathsApproximate,
    statusPairs: r.statusPairs.map(s => ({ primary: s.primary, shadow: s.shadow, label: s.label, count: s.count, examples: s.examples })),
    topErrors: r.topErrors.map(e => ({ message: e.message, count: e.count, examples: e.examples })),
    operations: r.operations.map(o => ({ operation: o.operation, compared: o.compared, matched: o.matched, mismatched: o.mismatched, errors: o.errors, parity: o.parity })),
    correlated: r.correlated,
    noise: [...r.noise],
    explainedBy: r.explainedBy,
    contract: r.contract,
    topContract: r.topContract.map(c => ({ side: c.side, path: c.path, count: c.count, schemaPath: c.schemaPath, message: c.message, examples: c.examples })),
    gates: { minPairs: r.gates.minPairs, parity: r.gates.parity, maxShadowErrors: r.gates.maxShadowErrors, window: r.gates.window },
    lastFlip: r.lastFlip === null ? null : lastFlipJson(r.lastFlip)
  }
}

/** The report as the JSON document of version 1 (an object; see renderJson for the text). */
export function toReportJson (report: ParityReport): Record<string, unknown> {
  const t = report.totals
  return {
    version: REPORT_JSON_VERSION,
    generatedAt: report.generatedAt,
    store: report.store,
    filters: { route: report.filters.route, since: report.filters.since },
    thresholds: { ...report.thresholds },
    totals: {
      records: t.records,
      routes: t.routes,
      compared: t.compared,
      matched: t.matched,
      mismatched: t.mismatched,
      errors: t.errors,
      skipped: t.skipped,
      skippedTotal: t.skippedTotal,
      parity: t.parity,
      verdicts: t.verdicts,
      ignored: t.ignored,
      unreadableLines: t.unreadableLines,
      firstAt: t.firstAt,
      lastAt: t.lastAt
    },
    routes: report.routes.map(routeJson),
    ...(report.rescored !== undefined ? { rescored: { rules: report.rescored.rules, routes: { ...report.rescored.routes } } } : {}),
    groups: report.groups.map(g => ({ signature: g.signature, kind: g.kind, path: g.path, status: g.status, pairs: g.pairs, routes: g.routes.map(x => ({ route: x.route, pairs: x.pairs })), examples: [...g.examples] }))
  }
}

export function renderJson (report: ParityReport): string {
  return JSON.stringify(toReportJson(report), null, 2) + '\n'
}
