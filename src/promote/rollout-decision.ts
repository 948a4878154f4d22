import type { RouteConfig } from '../config/types.js'
import { formatDuration } from '../config/duration.js'
import type { AuditEntry, AuditEvidence } from '../store/audit-entry.js'
import type { Rollup } from '../store/rollup.js'
import { evaluateGates, type GateResult } from './evaluate-gates.js'
import { healthWindowMs, MIN_ERROR_RATE_REQUESTS, servedHealth, type ServedHealth } from './served-health.js'
import { rolloutRun } from './rollout-run.js'
import { serveWithout, shareOf, withServe, type Routing } from './rollout-routing.js'
import { routingOf } from './routing-of.js'

export interface RolloutInput {
  /** a route with a `rollout` */
  readonly route: RouteConfig
  /** the rules' top-level serve (the monolith) */
  readonly legacy: string
  /** the route's audit entries for this rules file, oldest first */
  readonly audit: readonly AuditEntry[]
  /** its parity evidence over its gates' window (readRouteEvidence) */
  readonly gates: GateResult
  /** rollups covering at least the route's health window (older ones and other routes' are left out) */
  readonly rollups: Iterable<Rollup>
  readonly now: Date
}

/** Why a rollout waits: `every` has not passed since its last step, a gate does not hold, or too little served traffic to judge. */
export type WaitReason = 'every' | 'gates' | 'served'

export type RolloutDecision =
  /** `rollout.halted` is set: nothing happens until someone edits it away */
  | { readonly kind: 'halted'; readonly route: string; readonly why: string }
  /** no step above the current weight: serving `to` only, or at the last step */
  | { readonly kind: 'done'; readonly route: string; readonly why: string; readonly served: ServedHealth }
  | { readonly kind: 'wait'; readonly route: string; readonly reason: WaitReason; readonly why: string; readonly until: Date | null; readonly served: ServedHealth }
  /** raise `to` to `weight` percent */
  | { readonly kind: 'step'; readonly route: string; readonly weight: number; readonly from: Routing; readonly to: Routing; readonly why: string; readonly served: ServedHealth; readonly evidence: AuditEvidence }
  /** `to` breached rollbackOn: back to `to` (the routing before the rollout), and halt with `halted` */
  | { readonly kind: 'rollback'; readonly route: string; readonly from: Routing; readonly to: Routing; readonly why: string; readonly halted: string; readonly served: ServedHealth; readonly evidence: AuditEvidence }

const pct = (f: number): string => `${Number((f * 100).toFixed(2))}%`
const ms = (v: number): string => `${v >= 10 ? Math.round(v) : v.toFixed(1)} ms`
const round2 = (v: number): number => Math.max(0.01, Math.round(v * 100) / 100)

/**
 * What a rollout controller does with one route on one tick. In order:
 *
 * 1. `rollout.halted` set: `halted`.
 * 2. While `to` serves any share, its served traffic over the health window
 *    (`every`, at least 1 m, at most 5 m, and never before the route's last
 *    rollback) is checked against `rollbackOn`: error rate (5xx, the proxy's
 *    own 502/504 included, ÷ requests; judged from 20 requests) and p99
 *    (against the other upstreams' p99 on the route; judged from 50
 *    latencies on each side). A breach is a `rollback`, whatever else holds.
 * 3. No step above `to`'s weight: `done`.
 * 4. The last step of the run (audit log) was less than `every` ago: `wait`.
 *    The first step of a run goes at once.
 * 5. The gates: a route at weight 0, or one that mirrors (has a shadow
 *    other than the one upstream it serves), needs them all. A route
 *    serving `to` with no shadow gathers no new pairs, so `minPairs` cannot
 *    be met by waiting: the pairs in its window (from before the canary)
 *    are still judged on parity and shadow errors; with none, its served
 *    traffic (step 6) is the evidence.
 * 6. Above weight 0, `to` must have answered 20 requests in the window.
 * 7. `step` to the first step above the current weight.
 */
export function decideRollout (input: RolloutInput): RolloutDecision {
  const { route, now } = input
  const cfg = route.rollout
  if (cfg === null) throw new Error(`decideRollout: route ${route.name} has no rollout`)
  const name = route.name
  if (cfg.halted !== null) return { kind: 'halted', route: name, why: `halted: ${cfg.halted}` }

  const to = cfg.to
  const current = routingOf(route)
  const weight = shareOf(current.serve, to)
  const run = rolloutRun(input.audit, current)
  let since = now.getTime() - healthWindowMs(cfg.everyMs)
  if (run.lastRollbackAt !== null && run.lastRollbackAt.getTime() > since) since = run.lastRollbackAt.getTime()
  const served = servedHealth(input.rollups, name, to, new Date(since))
  const others = serveWithout(current.serve, to)
  const otherName = typeof others === 'string' ? others : 'the other upstreams'

  // 2. the breach check wins over everything
  if (weight > 0) {
    const breaches: Array<{ gate: 'errorRate' | 'p99'; message: string }> = []
    if (cfg.rollbackErrorRate !== null && served.errorRate !== null && served.errorRate > cfg.rollbackErrorRate) {
      breaches.push({ gate: 'errorRate', message: `errorRate ${pct(served.errorRate)} > ${pct(cfg.rollbackErrorRate)} over ${served.requests} requests of ${to}` })
    }
    if (cfg.rollbackP99 !== null && served.p99 !== null && served.otherP99 !== null && served.p99 > cfg.rollbackP99 * served.otherP99) {
      breaches.push({ gate: 'p99', message: `p99 ${ms(served.p99)} > ${cfg.rollbackP99} × ${otherName} p99 ${ms(served.otherP99)}` })
    }
    if (breaches.length > 0) {
      const why = breaches.map((b) => b.message).join('; ')
      return {
        kind: 'rollback',
        route: name,
        from: current,
        to: rollbackTarget(current, run.before, to, input.legacy),
        why,
        halted: `${now.toISOString()} rolled back: ${why}`,
        served,
        evidence: evidenceOf(input.gates, served, weight, breaches.map((b) => b.gate))
      }
    }
  }

  // 3. done
  const next = cfg.steps.find((s) => s > weight + 1e-6)
  if (next === undefined) {
    return { kind: 'done', route: name, why: weight >= 100 ? `serving ${to} only` : `at its last step: ${to} ${weight}%`, served }
  }

  // 4. every
  if (run.lastStepAt !== null) {
    const until = new Date(run.lastStepAt.getTime() + cfg.everyMs)
    if (now < until) {
      return { kind: 'wait', route: name, reason: 'every', until, served, why: `next step (${to} ${next}%) at ${until.toISOString()}: every ${formatDuration(cfg.everyMs)} since the step to ${weight}% at ${run.lastStepAt.toISOString()}` }
    }
  }

  // 5. gates
  const mirrors = route.shadow !== null && !(route.serve.kind === 'single' && route.serve.upstream === route.shadow)
  let gates = input.gates
  let gatesNote: string
  if (weight === 0 || mirrors) {
    gatesNote = 'gates hold'
  } else if (gates.evidence.pairs > 0) {
    // no shadow: no new pairs will come; the ones in the window are judged on parity and shadow errors
    const e = gates.evidence
    gates = evaluateGates({ ...route.gates, minPairs: 1 }, { compared: e.compared, matched: e.matched, errors: e.errors }, new Date(e.since))
    gatesNote = `no shadow: the ${e.pairs} pairs in the window judged without minPairs`
  } else {
    gates = { ...gates, ok: true, failures: [], evidence: { ...gates.evidence, failed: [] } }
    gatesNote = 'no shadow and no pairs in the window: served traffic is the evidence'
  }
  if (!gates.ok) {
    return { kind: 'wait', route: name, reason: 'gates', until: null, served, why: `gates: ${gates.failures.map((f) => f.message).join('; ')}` }
  }

  // 6. served traffic at the current weight
  if (weight > 0 && served.requests < MIN_ERROR_RATE_REQUESTS) {
    return { kind: 'wait', route: name, reason: 'served', until: null, served, why: `served: ${served.requests} request${served.requests === 1 ? '' : 's'} of ${to} since ${served.since}, ${MIN_ERROR_RATE_REQUESTS} needed before a step above ${weight}%` }
  }

  // 7. step
  return {
    kind: 'step',
    route: name,
    weight: next,
    from: current,
    to: stepTarget(current, to, next, others),
    why: `${to} ${weight}% → ${next}% (${gatesNote})`,
    served,
    evidence: evidenceOf(gates, served, weight, [])
  }
}

/**
 * Whether deciding `route` now may depend on its gates: false when it is
 * halted, done, or inside `every` since its last step (then only a breach
 * can change anything, and a breach needs no gates). The controller reads
 * the parity evidence, a scan of the records in the gates' window, only
 * when this is true for some route, or when a rollback is to be audited.
 */
export function needsGates (route: RouteConfig, audit: readonly AuditEntry[], now: Date): boolean {
  const cfg = route.rollout
  if (cfg === null || cfg.halted !== null) return false
  const current = routingOf(route)
  const weight = shareOf(current.serve, cfg.to)
  if (cfg.steps.find((s) => s > weight + 1e-6) === undefined) return false
  const last = rolloutRun(audit, current).lastStepAt
  return last === null || now.getTime() >= last.getTime() + cfg.everyMs
}

/** `to` at `weight` percent; the other upstreams share the rest by their weights (100: `to` alone). */
function stepTarget (current: Routing, to: string, weight: number, others: Routing['serve'] | null): Routing {
  if (weight >= 100 || others === null) return withServe(to, current.shadow)
  const rest = 100 - weight
  if (typeof others === 'string') return withServe({ [to]: weight, [others]: rest }, current.shadow)
  let total = 0
  for (const w of Object.values(others)) total += w
  const serve: Record<string, number> = { [to]: weight }
  for (const [u, w] of Object.entries(others)) serve[u] = round2((rest * w) / total)
  return withServe(serve, current.shadow)
}

/**
 * Where a rollback goes: the routing before the run's first step; with no
 * run in the audit log (weights set by hand), the route without `to` (the
 * other upstreams keep their weights; none left: the monolith), shadow kept.
 * With `to` the monolith itself and nothing else served, the route stays as
 * it is (the rollout is only halted).
 */
function rollbackTarget (current: Routing, before: Routing | null, to: string, legacy: string): Routing {
  if (before !== null) return before
  const rest = serveWithout(current.serve, to)
  if (rest !== null) return withServe(rest, current.shadow)
  if (legacy !== to) return withServe(legacy, current.shadow)
  return current
}

function evidenceOf (gates: GateResult, served: ServedHealth, weight: number, breaches: readonly string[]): AuditEvidence {
  return {
    ...gates.evidence,
    failed: [...gates.evidence.failed, ...breaches],
    served: {
      weight,
      requests: served.requests,
      failed: served.failed,
      errorRate: served.errorRate,
      p99: served.p99,
      otherRequests: served.otherRequests,
      otherP99: served.otherP99
    }
  }
}
