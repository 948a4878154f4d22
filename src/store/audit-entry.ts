/**
 * One line of the audit log: a flip (`promote`), its undoing (`rollback`), or
 * a step of a rollout (`rollout-step`, `rollout-rollback`). Appended by the
 * commands that edit the rules file, never by the proxies. `rollback` reads
 * the log to find what to return to.
 */

/** A route's routing before or after a flip, as the rules file says it. */
export interface AuditRouting {
  readonly stage: 'legacy' | 'shadowing' | 'canary' | 'migrated' | 'verifying'
  /** one upstream, or weights by upstream */
  readonly serve: string | Readonly<Record<string, number>>
  readonly shadow: string | null
}

/** The gate figures at the moment of the flip (what was measured, what was needed). */
export interface AuditEvidence {
  /** records read from this time on (ISO): now minus the gates' window */
  readonly since: string
  /** compared + shadow errors */
  readonly pairs: number
  readonly compared: number
  readonly matched: number
  /** shadow errors */
  readonly errors: number
  /** matched ÷ compared, null when nothing was compared */
  readonly parity: number | null
  /** errors ÷ pairs, null when there were none */
  readonly errorRate: number | null
  /** the gates in force for the route */
  readonly gates: { readonly minPairs: number; readonly parity: number; readonly maxShadowErrors: number; readonly windowMs: number }
  /** the gates that did not hold, by name (`minPairs`, `parity`, `maxShadowErrors`; a rollout adds `errorRate`, `p99`) */
  readonly failed: readonly string[]
  /** served-traffic figures a rollout decided on, when it did */
  readonly served?: Readonly<Record<string, number | null>>
}

export type AuditAction = 'promote' | 'rollback' | 'rollout-step' | 'rollout-rollback'

export interface AuditEntry {
  readonly v: 1
  readonly id: string
  /** when (ISO) */
  readonly at: string
  /** who: `--by`, else the OS user; `strangler rollout` for the controller */
  readonly by: string
  readonly action: AuditAction
  readonly route: string
  readonly from: AuditRouting
  readonly to: AuditRouting
  /** the gate figures, or null when the step needs none (a rollback) */
  readonly evidence: AuditEvidence | null
  /** a gate failed and `--force` went past it */
  readonly forced: boolean
  readonly reason: string | null
  /** the rules file, as an absolute path */
  readonly file: string
  /** SHA-256 (hex) of the file's bytes before and after the edit */
  readonly hashBefore: string
  readonly hashAfter: string
  /** the route's YAML text before the edit, exactly as it was in the file: what a rollback writes back */
  readonly routeBefore: string
  /** for a rollback: the id of the entry it undid */
  readonly undoes?: string
}
