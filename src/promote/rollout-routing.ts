/**
 * Routings (`serve` and `shadow`) as a rollout reads and changes them: the
 * share of an upstream, equality, a serve without the new side, and the
 * stage the audit log writes beside them.
 */
import type { ServeTarget } from '../config/types.js'
import { deriveStage } from '../config/stage.js'
import type { AuditRouting } from '../store/audit-entry.js'
import type { RouteRouting as Routing } from './set-route-routing.js'

export type { Routing }

/** A routing as the audit log keeps it: with its stage (`legacy` is the rules' top-level serve). */
export function auditRouting (r: Routing, legacy: string): AuditRouting {
  return { stage: deriveStage(serveTarget(r.serve), r.shadow, legacy), serve: r.serve, shadow: r.shadow }
}

function serveTarget (serve: Routing['serve']): ServeTarget {
  if (typeof serve === 'string') return { kind: 'single', upstream: serve }
  const targets = Object.entries(serve).map(([upstream, weight]) => ({ upstream, weight }))
  return { kind: 'weighted', targets, total: targets.reduce((n, t) => n + t.weight, 0) }
}

/** The share of requests (percent, 0..100) `upstream` is served by `serve`. */
export function shareOf (serve: Routing['serve'], upstream: string): number {
  if (typeof serve === 'string') return serve === upstream ? 100 : 0
  let total = 0
  for (const w of Object.values(serve)) total += w
  const w = serve[upstream] ?? 0
  return total > 0 ? Math.round((w / total) * 100 * 1e6) / 1e6 : 0
}

/** Whether two routings serve and shadow the same (weights compared by share, key order ignored). */
export function sameRouting (a: Routing, b: Routing): boolean {
  if (a.shadow !== b.shadow) return false
  if (typeof a.serve === 'string' || typeof b.serve === 'string') return a.serve === b.serve
  const names = new Set([...Object.keys(a.serve), ...Object.keys(b.serve)])
  for (const n of names) {
    if (!(n in a.serve) || !(n in b.serve)) return false
    if (Math.abs(shareOf(a.serve, n) - shareOf(b.serve, n)) > 1e-6) return false
  }
  return true
}

/**
 * `serve` without `upstream`: the other upstreams keep their weights; one
 * left is served alone; none left: null.
 */
export function serveWithout (serve: Routing['serve'], upstream: string): Routing['serve'] | null {
  if (typeof serve === 'string') return serve === upstream ? null : serve
  const rest = Object.entries(serve).filter(([u]) => u !== upstream)
  if (rest.length === 0) return null
  if (rest.length === 1) return rest[0]![0]
  return Object.fromEntries(rest)
}

/**
 * A routing with `serve`, keeping `shadow` unless it is the one upstream
 * served (a route never mirrors to where the request went: such a shadow
 * would only draw a warning).
 */
export function withServe (serve: Routing['serve'], shadow: string | null): Routing {
  return { serve, shadow: typeof serve === 'string' && serve === shadow ? null : shadow }
}
