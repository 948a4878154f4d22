import type { Outcome } from '../store/record.js'

export interface RouteParity {
  readonly compared: number
  readonly matched: number
  readonly mismatched: number
  readonly errors: number
  readonly skipped: number
  /** matched / compared, or null before the first comparison */
  readonly parity: number | null
}

interface Counts { matched: number; mismatched: number; errors: number; skipped: number }

/**
 * Live parity per route for GET /routes: since the proxy started, or since
 * the route last changed stage. `stages` is told the stage of every route at
 * start and on each reload; a route whose stage changed starts from zero
 * (parity while shadowing says nothing about a canary), and pairs recorded
 * under its former stage, still finishing after the swap, are not counted.
 */
export class ParityTracker {
  private readonly byRoute = new Map<string, Counts>()
  private readonly stageOf = new Map<string, string>()

  /** the stage of each route of the running rules: routes whose stage changed (or that are gone) start over */
  stages (routes: Iterable<{ readonly name: string; readonly stage: string }>): void {
    const next = new Map<string, string>()
    for (const r of routes) next.set(r.name, r.stage)
    for (const name of this.byRoute.keys()) {
      if (next.get(name) !== this.stageOf.get(name)) this.byRoute.delete(name)
    }
    this.stageOf.clear()
    for (const [name, stage] of next) this.stageOf.set(name, stage)
  }

  /** count `n` pairs of `route`; `stage`, the stage they were recorded under, when it is known */
  count (route: string, outcome: Outcome, n = 1, stage?: string): void {
    if (stage !== undefined) {
      const current = this.stageOf.get(route)
      if (current !== undefined && current !== stage) return
    }
    let c = this.byRoute.get(route)
    if (c === undefined) {
      c = { matched: 0, mismatched: 0, errors: 0, skipped: 0 }
      this.byRoute.set(route, c)
    }
    if (outcome === 'match') c.matched += n
    else if (outcome === 'mismatch') c.mismatched += n
    else if (outcome === 'shadow-error') c.errors += n
    else c.skipped += n
  }

  parity (route: string): RouteParity | null {
    const c = this.byRoute.get(route)
    if (c === undefined) return null
    const compared = c.matched + c.mismatched
    return { compared, matched: c.matched, mismatched: c.mismatched, errors: c.errors, skipped: c.skipped, parity: compared === 0 ? null : c.matched / compared }
  }
}
