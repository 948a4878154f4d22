import { VERDICTS, type RouteReport } from './parity-report.js'

/**
 * Report order, so both ends of the list stand out: `ready` routes first (the
 * ones to flip), then `almost`, then `broken`; within each, parity descending,
 * so the most broken route closes the list of routes with enough data.
 * `insufficient-data` routes come last, most compared first. Ties: more
 * compared first, then by name.
 */
export function sortRoutes (routes: readonly RouteReport[]): RouteReport[] {
  return [...routes].sort((a, b) =>
    VERDICTS.indexOf(a.verdict) - VERDICTS.indexOf(b.verdict) ||
    (a.verdict === 'insufficient-data' ? 0 : (b.parity ?? -1) - (a.parity ?? -1)) ||
    (a.verdict === 'insufficient-data' ? 0 : (a.errorRate ?? 0) - (b.errorRate ?? 0)) ||
    b.compared - a.compared ||
    (a.route < b.route ? -1 : a.route > b.route ? 1 : 0))
}
