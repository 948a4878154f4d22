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

/** Live parity per route since the proxy started, for GET /routes. */
export class ParityTracker {
  private readonly byRoute = new Map<string, Counts>()

  count (route: string, outcome: Outcome, n = 1): void {
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
