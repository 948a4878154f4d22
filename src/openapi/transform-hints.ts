import type { RouteConfig } from '../config/types.js'
import type { DiffRecord } from '../store/record.js'

/**
 * What `coverage` says about transforms, per operation: the transforms its
 * route already has (by upstream, which parts), and, for a route still
 * comparing a new service against the monolith, the transform its
 * mismatches point at: a field only in the monolith's answer whose value
 * turns up under another name in the new one (a rename), or a status the
 * new service answers instead (a status map). A hint is shown when it
 * explains at least half of the operation's mismatched pairs.
 */
export interface TransformHints {
  /** `orders: path, body, xml`, one per upstream the route transforms */
  readonly configured: readonly string[]
  /** e.g. `orders: rename $.phoneNumber → $.phone (100 of 100 mismatches)` */
  readonly suggested: readonly string[]
}

/** Counts candidate transforms over one operation's mismatched records. */
export class TransformHintCounter {
  private mismatched = 0
  private readonly candidates = new Map<string, number>()

  add (r: DiffRecord): void {
    if (r.outcome !== 'mismatch' || !Array.isArray(r.differences)) return
    this.mismatched++
    const seen = new Set<string>()
    const removed = r.differences.filter((d) => d.kind === 'removed' && d.accepted !== true && d.noise !== true)
    for (const d of r.differences) {
      if (d.accepted === true || d.noise === true) continue
      if (d.kind === 'status') seen.add(`status { ${d.shadow}: ${d.primary} }`)
      if (d.kind !== 'added') continue
      const same = removed.find((x) => x.kind === 'removed' && JSON.stringify(x.primary) === JSON.stringify(d.shadow))
      if (same !== undefined) seen.add(`rename ${d.path} → ${same.path}`)
    }
    for (const s of seen) this.candidates.set(s, (this.candidates.get(s) ?? 0) + 1)
  }

  /** the candidates that explain at least half of the mismatches, most frequent first (at most 3) */
  hints (): string[] {
    return [...this.candidates]
      .filter(([, n]) => n * 2 >= this.mismatched)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([s, n]) => `${s} (${n} of ${this.mismatched} mismatches)`)
  }
}

/** The transforms `route` has, one line per upstream. */
export function configuredTransforms (route: RouteConfig | null): string[] {
  if (route === null) return []
  return Object.entries(route.transform).map(([upstream, t]) => {
    const parts: string[] = []
    if (t.request !== null) {
      if (t.request.path !== null) parts.push('path')
      if (t.request.query !== null) parts.push('query')
      if (t.request.headers !== null) parts.push('request headers')
      if (t.request.body.length > 0) parts.push('request body')
    }
    if (t.response !== null) {
      if (Object.keys(t.response.status).length > 0) parts.push('status')
      if (t.response.headers !== null) parts.push('headers')
      if (t.response.body.length > 0) parts.push('body')
      if (t.response.format !== null) parts.push(t.response.format)
    }
    return `${upstream}: ${parts.join(', ') || 'nothing'}`
  })
}

/** The new service a hint is for: the shadow while the monolith still answers (shadowing, canary). */
export function hintTarget (route: RouteConfig | null): string | null {
  if (route === null || route.shadow === null) return null
  return route.stage === 'shadowing' || route.stage === 'canary' ? route.shadow : null
}
