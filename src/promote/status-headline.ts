import type { Stage } from '../config/types.js'

/** The migrated share of the monolith, the status board's first line. */
export interface StatusHeadline {
  /** routes in the rules file */
  readonly routes: number
  /** routes whose clients the new side answers: migrated or verifying */
  readonly migrated: number
  /** of `migrated`, the ones the monolith still shadows */
  readonly verifying: number
  /** migrated ÷ routes, 0..1; null when the file has no routes */
  readonly share: number | null
  readonly canary: number
  /** each canary route's share of traffic on its new side, percent */
  readonly canaryWeights: ReadonlyArray<{ readonly route: string; readonly upstream: string | null; readonly percent: number }>
  readonly shadowing: number
  /** shadowing routes whose gates hold: ready for a canary */
  readonly shadowingReady: number
  readonly legacy: number
  /** with `--spec`: the spec's operations by the stage of the route serving each (coverage) */
  readonly operations: StatusOperations | null
}

export interface StatusOperations {
  readonly total: number
  /** operations served by a migrated or verifying route */
  readonly migrated: number
  /** migrated ÷ total, 0..1; null when the spec has none */
  readonly share: number | null
  readonly byStage: Readonly<Record<Stage, number>>
}

/** A share as a percentage to one decimal that never rounds up to 100% or down to 0%: `25%`, `37.5%`, `>99.9%`. */
export function sharePercent (share: number | null): string {
  if (share === null) return '—'
  if (share >= 1) return '100%'
  if (share <= 0) return '0%'
  const p = Math.round(share * 1000) / 10
  if (p >= 100) return '>99.9%'
  if (p <= 0) return '<0.1%'
  return `${p}%`
}

/** `Migrated: 3 of 12 routes (25%; 1 verifying), 14 of 40 operations (35%) · 2 canary (at 10%, 25%) · 4 shadowing (1 ready) · 3 legacy` */
export function headlineText (h: StatusHeadline): string {
  let migrated = `Migrated: ${h.migrated} of ${h.routes} route${h.routes === 1 ? '' : 's'} (${sharePercent(h.share)}${h.verifying > 0 ? `; ${h.verifying} verifying` : ''})`
  if (h.operations !== null) migrated += `, ${h.operations.migrated} of ${h.operations.total} operation${h.operations.total === 1 ? '' : 's'} (${sharePercent(h.operations.share)})`
  const parts = [migrated]
  if (h.canary > 0) parts.push(`${h.canary} canary (at ${h.canaryWeights.map(w => `${Number(w.percent.toFixed(1))}%`).join(', ')})`)
  if (h.shadowing > 0) parts.push(`${h.shadowing} shadowing (${h.shadowingReady} ready)`)
  if (h.legacy > 0) parts.push(`${h.legacy} legacy`)
  return parts.join(' · ')
}
