import type { AuditEntry } from '../store/audit-entry.js'
import { sameRouting, type Routing } from './rollout-routing.js'

/** Where a route's rollout stands, as its audit log tells it. */
export interface RolloutRun {
  /** the steps of the run in progress, oldest first; empty when none is */
  readonly steps: readonly AuditEntry[]
  /** the routing before the run's first step: what a rollback returns to; null when no run is in progress */
  readonly before: Routing | null
  /** when the run's last step was taken; null when no run is in progress */
  readonly lastStepAt: Date | null
  /** when the route was last rolled back (by hand or by a rollout); null when never */
  readonly lastRollbackAt: Date | null
}

/**
 * The rollout run a route is in: the `rollout-step` entries at the end of
 * its audit log, provided the last of them left the route as it is now. A
 * route whose routing differs from what the last step left (edited by hand
 * since), or whose last entry is something else (a promote, a rollback),
 * is in no run: its next step starts a new one, from where it is now.
 * Steps belong to one run while each starts where the one before it left
 * the route.
 * `audit` is the route's entries for this rules file, oldest first.
 */
export function rolloutRun (audit: readonly AuditEntry[], current: Routing): RolloutRun {
  let lastRollbackAt: Date | null = null
  for (let i = audit.length - 1; i >= 0; i--) {
    const a = audit[i]!.action
    if (a === 'rollback' || a === 'rollout-rollback') { lastRollbackAt = new Date(audit[i]!.at); break }
  }
  const last = audit[audit.length - 1]
  if (last === undefined || last.action !== 'rollout-step' || !sameRouting(last.to, current)) {
    return { steps: [], before: null, lastStepAt: null, lastRollbackAt }
  }
  let first = audit.length - 1
  // a step continues the run when it started from where the one before it left the route (no hand edit between)
  while (first > 0 && audit[first - 1]!.action === 'rollout-step' && sameRouting(audit[first - 1]!.to, audit[first]!.from)) first--
  const steps = audit.slice(first)
  const from = steps[0]!.from
  return { steps, before: { serve: from.serve, shadow: from.shadow }, lastStepAt: new Date(last.at), lastRollbackAt }
}
