/**
 * Root causes across routes: the differences of mismatched pairs grouped by
 * signature, whatever route they came from. A signature is the difference's
 * kind and folded path, and for a status difference the `primary → shadow`
 * pair (`status 200 → 401`): one auth problem shows up as one group spanning
 * many routes. Memory is bounded by the number of distinct signatures
 * (capped), never by records.
 */
import { foldIndexes } from '../config/json-path.js'
import type { Difference } from '../store/difference.js'
import type { DiffRecord } from '../store/record.js'
import { MAX_EXAMPLES } from './path-counter.js'
import type { DifferenceGroup } from './parity-report.js'

/** distinct signatures tracked; past it new ones are not (the report says so) */
const MAX_GROUPS = 2000

interface GroupAcc {
  readonly signature: string
  readonly kind: Difference['kind']
  readonly path: string
  readonly status: { readonly primary: number; readonly shadow: number } | null
  pairs: number
  readonly routes: Map<string, number>
  readonly examples: string[]
}

export class DifferenceGroups {
  readonly #groups = new Map<string, GroupAcc>()
  readonly #seen = new Set<string>()
  /** mismatched records seen per route */
  readonly #mismatched = new Map<string, number>()
  #overflow = false

  /** Count one record (only mismatches have differences that count). */
  add (r: DiffRecord): void {
    if (r.outcome !== 'mismatch' || !Array.isArray(r.differences)) return
    this.#mismatched.set(r.route, (this.#mismatched.get(r.route) ?? 0) + 1)
    const id = typeof r.id === 'string' ? r.id : ''
    const seen = this.#seen
    seen.clear()
    for (const d of r.differences as ReadonlyArray<Difference | null | undefined>) {
      if (d === null || d === undefined || typeof d !== 'object' || typeof (d.path as unknown) !== 'string') continue
      if ((d as { accepted?: unknown }).accepted === true || (d as { noise?: unknown }).noise === true || d.kind === 'contract') continue
      const path = foldIndexes(d.path)
      const status = d.kind === 'status' && typeof d.primary === 'number' && typeof d.shadow === 'number' ? { primary: d.primary, shadow: d.shadow } : null
      const signature = status !== null ? `status ${status.primary} → ${status.shadow}` : `${d.kind} ${path}`
      if (seen.has(signature)) continue
      seen.add(signature)
      let g = this.#groups.get(signature)
      if (g === undefined) {
        if (this.#groups.size >= MAX_GROUPS) { this.#overflow = true; continue }
        g = { signature, kind: d.kind, path, status, pairs: 0, routes: new Map(), examples: [] }
        this.#groups.set(signature, g)
      }
      g.pairs++
      g.routes.set(r.route, (g.routes.get(r.route) ?? 0) + 1)
      if (g.examples.length < MAX_EXAMPLES) g.examples.push(id)
    }
  }

  /** true when more signatures existed than were tracked */
  get approximate (): boolean { return this.#overflow }

  /** Groups, largest first (pairs, then routes), at most `top`. */
  groups (top: number): DifferenceGroup[] {
    return [...this.#groups.values()]
      .sort((a, b) => b.pairs - a.pairs || b.routes.size - a.routes.size || (a.signature < b.signature ? -1 : 1))
      .slice(0, top)
      .map((g) => ({
        signature: g.signature,
        kind: g.kind,
        path: g.path,
        status: g.status,
        pairs: g.pairs,
        routes: [...g.routes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([route, pairs]) => ({ route, pairs })),
        examples: [...g.examples]
      }))
  }

  /**
   * The signature that explains every mismatched pair of `route` (it is in
   * all of them): a status group first (a 401 explains the body it came
   * with), else the largest; null when none does.
   */
  explaining (route: string): string | null {
    const n = this.#mismatched.get(route) ?? 0
    if (n === 0) return null
    let best: GroupAcc | null = null
    for (const g of this.#groups.values()) {
      if (g.routes.get(route) !== n) continue
      if (best === null || rank(g) > rank(best)) best = g
    }
    return best?.signature ?? null
  }
}

/** Order among groups that all explain a route: status groups first, then by pairs. */
function rank (g: GroupAcc): number {
  return (g.status !== null ? 1e12 : 0) + g.pairs
}
