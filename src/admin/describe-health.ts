import type { LiveRules } from '../routing/live-rules.js'
import type { LastReload } from './reload.js'

export interface HealthDescription {
  /** `degraded` while the last reload was rejected: the proxy serves the rules loaded at `loadedAt` */
  readonly status: 'ok' | 'degraded'
  readonly rules: string
  readonly routes: number
  /** when the running rules were loaded */
  readonly loadedAt: string
  /** the last reload that read a changed file, or null before the first */
  readonly lastReload:
  | { readonly ok: true; readonly at: string; readonly reason: string; readonly routes: number; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly at: string; readonly reason: string; readonly errors: readonly string[] }
  | null
}

/** What GET /healthz answers (always with 200: the running rules keep serving after a rejected reload). */
export function describeHealth (live: LiveRules, last: LastReload | null): HealthDescription {
  return {
    status: last?.ok === false ? 'degraded' : 'ok',
    rules: live.table.rules.source,
    routes: live.table.rules.routes.length,
    loadedAt: live.loadedAt.toISOString(),
    lastReload: last === null ? null : { ...last, at: last.at.toISOString() }
  }
}
