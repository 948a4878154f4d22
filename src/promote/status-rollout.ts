import { formatDuration } from '../config/duration.js'
import type { RouteConfig } from '../config/types.js'
import { routingOf } from './routing-of.js'
import { shareOf } from './next-stage.js'

/** Where a route's `rollout` stands, as `status` shows it. */
export interface StatusRollout {
  /** the upstream whose weight it raises */
  readonly to: string
  /** the steps, percent */
  readonly steps: readonly number[]
  /** steps reached (0: none yet): how many steps are at or below `weight` */
  readonly step: number
  /** the weight of `to` now, percent of the route's traffic */
  readonly weight: number
  /** the next step's percent; null after the last */
  readonly next: number | null
  /** `30m` */
  readonly every: string
  /** why the controller halted it (it does nothing until the rollout is edited); null while it runs */
  readonly halted: string | null
}

/** The route's rollout and how far it has come, or null when it has none. */
export function statusRollout (route: RouteConfig): StatusRollout | null {
  const r = route.rollout
  if (r === null) return null
  const weight = shareOf(routingOf(route).serve, r.to)
  // a weight a hair under a step (rounding of weights) counts as that step
  const step = r.steps.filter(s => s <= weight + 1e-9).length
  return { to: r.to, steps: [...r.steps], step, weight, next: r.steps[step] ?? null, every: formatDuration(r.everyMs), halted: r.halted }
}

/** `to orders: step 1 of 4 (10%), next 25%; a step every 30m while the gates hold` */
export function describeRollout (r: StatusRollout): string {
  const at = `to ${r.to}: step ${r.step} of ${r.steps.length} (${Number(r.weight.toFixed(1))}%)`
  if (r.halted !== null) return `${at}, halted: ${r.halted} (edit or remove the route's rollout to resume)`
  if (r.next === null) return `${at}, last step reached`
  return `${at}, next ${r.next}%; a step every ${r.every} while the gates hold`
}
