import type { RouteConfig, Rules } from '../config/types.js'
import { aggregateRecords } from '../report/aggregate-records.js'
import type { ParityReport, RouteReport } from '../report/parity-report.js'
import { rescoreRecords, type RescoreCounts } from '../report/rescore.js'
import { thresholdsOfGates } from '../report/gate-thresholds.js'
import type { DiffRecord } from '../store/record.js'
import type { Store } from '../store/store.js'
import type { StoredPair } from '../store/stored-pair.js'
import { evaluateGates, type GateResult } from './evaluate-gates.js'

/** A route's parity evidence over its gates' window, and what its gates say of it. */
export interface RouteEvidence {
  readonly route: RouteConfig
  /** now minus the route's window */
  readonly since: Date
  /** the report's row for the route over its window; null when no record of it is in the window */
  readonly report: RouteReport | null
  readonly gates: GateResult
}

/**
 * Reads the store once and measures every route of `rules` over its own
 * gates' window (records older than it are left out), scored under the
 * rules' compare settings (kept pairs re-compared, as `report --rules`
 * does), so a flip is judged on the same figures the report shows.
 */
export async function readRouteEvidence (store: Store, rules: Rules, now: Date): Promise<{ readonly routes: ReadonlyMap<string, RouteEvidence>; readonly report: ParityReport }> {
  const sinceOf = new Map(rules.routes.map(r => [r.name, now.getTime() - r.gates.windowMs]))
  const earliest = new Date(Math.min(now.getTime() - rules.gates.windowMs, ...sinceOf.values()))
  const inWindow = (r: { readonly route: string; readonly at: string }): boolean => {
    const since = sinceOf.get(r.route)
    return since === undefined || Date.parse(r.at) >= since
  }
  const pairs = new Map<string, StoredPair>()
  for await (const p of store.readPairs({ since: earliest })) if (inWindow(p)) pairs.set(p.id, p)
  async function * windowed (): AsyncGenerator<DiffRecord> {
    for await (const r of store.read({ since: earliest })) if (inWindow(r)) yield r
  }
  const stages = new Map(rules.routes.map(r => [r.name, r.stage]))
  const gates = new Map(rules.routes.map(r => [r.name, r.gates]))
  const report = await aggregateRecords(rescoreRecords(windowed(), pairs, rules, new Map<string, RescoreCounts>()), { stages, gates, thresholds: thresholdsOfGates(rules.gates), now, since: earliest })
  const rows = new Map(report.routes.map(r => [r.route, r]))
  const routes = new Map<string, RouteEvidence>()
  for (const route of rules.routes) {
    const row = rows.get(route.name) ?? null
    const since = new Date(sinceOf.get(route.name)!)
    const counts = row === null ? { compared: 0, matched: 0, errors: 0 } : { compared: row.compared, matched: row.matched, errors: row.errors }
    routes.set(route.name, { route, since, report: row, gates: evaluateGates(route.gates, counts, since) })
  }
  return { routes, report }
}
