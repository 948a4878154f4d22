/**
 * `strangler status`: one board of every route of the rules file, in file
 * order (legacy and migrated ones too), with its stage, who serves it, its
 * parity over its gates' window, its verdict, the gate holding it back, its
 * next step as a command, its rollout and its last flip; and a headline with
 * the migrated share of the monolith. Pure: the runner (cli/run-status.ts)
 * reads the store, the audit log and the spec.
 */
import type { RouteConfig, Rules, Stage } from '../config/types.js'
import { formatDuration } from '../config/duration.js'
import { describeServing, type Serving } from '../report/describe-serving.js'
import { routingOf } from './routing-of.js'
import type { LastFlip } from '../report/last-flip.js'
import type { Verdict } from '../report/parity-report.js'
import type { GateName } from './evaluate-gates.js'
import type { RouteEvidence } from './route-evidence.js'
import { shareOf } from './next-stage.js'
import { nextStep, type CommandContext, type StatusNext } from './status-next-step.js'
import { statusRollout, type StatusRollout } from './status-rollout.js'
import type { StatusHeadline } from './status-headline.js'

export const STATUS_JSON_VERSION = 1

/** A route's gates as the rules set them (its own merged over the global ones). */
export interface StatusGates {
  readonly minPairs: number
  readonly parity: number
  readonly maxShadowErrors: number
  /** `24h` */
  readonly window: string
}

/** The first gate that does not hold (evaluate-gates.ts). */
export interface StatusHeldBy {
  readonly gate: GateName
  /** the measured figure (pairs, parity or shadow error rate); null when nothing was measured */
  readonly figure: number | null
  readonly needed: number
  /** `minPairs: 42 pairs in the last 24h, 100 needed` */
  readonly message: string
}

export interface StatusRow {
  readonly route: string
  readonly stage: Stage
  /** who answers clients: `legacy`, `orders 10% · legacy 90%`, `orders` */
  readonly serving: string
  /** the same as the rules say it: an upstream, or weights by upstream */
  readonly serve: Serving
  readonly shadow: string | null
  /** matched ÷ compared over the window; null when nothing was compared */
  readonly parity: number | null
  /** compared + shadow errors over the window */
  readonly pairs: number
  readonly compared: number
  readonly matched: number
  /** shadow errors over the window */
  readonly errors: number
  /** errors ÷ pairs; null when there were none */
  readonly errorRate: number | null
  /** the report's verdict over the window under the route's gates; null for a route that is not compared and has no records */
  readonly verdict: Verdict | null
  readonly gates: StatusGates
  /** when the next step is gated (it gives the new side more traffic, or ends verifying): the first gate that fails; else null */
  readonly heldBy: StatusHeldBy | null
  readonly next: StatusNext
  readonly rollout: StatusRollout | null
  readonly lastFlip: LastFlip | null
}

export interface StatusBoard {
  readonly v: 1
  readonly generatedAt: string
  /** the rules file as given */
  readonly rules: string
  /** the store read */
  readonly store: string
  readonly headline: StatusHeadline
  /** in the rules file's order */
  readonly routes: readonly StatusRow[]
}

export interface StatusInput {
  readonly rules: Rules
  /** readRouteEvidence's routes */
  readonly evidence: ReadonlyMap<string, RouteEvidence>
  /** each route's last audit entry (report/last-flip.ts) */
  readonly flips: ReadonlyMap<string, LastFlip>
  /** with `--spec`: how many operations each stage serves (coverage totals.byStage); else null */
  readonly operations: Readonly<Record<Stage, number>> | null
  /** the files as the commands should name them */
  readonly files: CommandContext
  /** the store read, as shown */
  readonly store: string
  readonly now: Date
}

const STAGES: readonly Stage[] = ['legacy', 'shadowing', 'canary', 'migrated', 'verifying']

function compared (route: RouteConfig): boolean {
  return route.stage === 'shadowing' || route.stage === 'verifying' || (route.stage === 'canary' && route.shadow !== null)
}

/** A canary's new side: its rollout's target, else the upstream it serves besides the monolith (the first, when several). */
function canarySide (route: RouteConfig, legacy: string): string | null {
  if (route.rollout !== null) return route.rollout.to
  if (route.serve.kind !== 'weighted') return null
  return route.serve.targets.map(t => t.upstream).find(u => u !== legacy) ?? null
}

function rowOf (route: RouteConfig, input: StatusInput): StatusRow {
  const ev = input.evidence.get(route.name)
  if (ev === undefined) throw new Error(`status board: no evidence for route ${route.name}`)
  const e = ev.gates.evidence
  const rollout = statusRollout(route)
  const lastFlip = input.flips.get(route.name) ?? null
  const next = nextStep(route, input.rules, ev.gates, rollout, lastFlip, input.files)
  const held = next.gated ? ev.gates.failures[0] : undefined
  const serve = routingOf(route).serve
  return {
    route: route.name,
    stage: route.stage,
    serving: describeServing(serve),
    serve,
    shadow: route.shadow,
    parity: e.parity,
    pairs: e.pairs,
    compared: e.compared,
    matched: e.matched,
    errors: e.errors,
    errorRate: e.errorRate,
    verdict: ev.report?.verdict ?? (compared(route) ? 'insufficient-data' : null),
    gates: { minPairs: route.gates.minPairs, parity: route.gates.parity, maxShadowErrors: route.gates.maxShadowErrors, window: formatDuration(route.gates.windowMs) },
    heldBy: held === undefined ? null : { gate: held.gate, figure: held.figure, needed: held.needed, message: held.message },
    next,
    rollout,
    lastFlip
  }
}

function headlineOf (rows: readonly StatusRow[], input: StatusInput): StatusHeadline {
  const count = (s: Stage): number => rows.filter(r => r.stage === s).length
  const migrated = count('migrated') + count('verifying')
  const canary = input.rules.routes.filter(r => r.stage === 'canary')
  let operations: StatusHeadline['operations'] = null
  if (input.operations !== null) {
    const byStage = Object.fromEntries(STAGES.map(s => [s, input.operations![s] ?? 0])) as Record<Stage, number>
    const total = STAGES.reduce((n, s) => n + byStage[s], 0)
    const done = byStage.migrated + byStage.verifying
    operations = { total, migrated: done, share: total === 0 ? null : done / total, byStage }
  }
  return {
    routes: rows.length,
    migrated,
    verifying: count('verifying'),
    share: rows.length === 0 ? null : migrated / rows.length,
    canary: canary.length,
    canaryWeights: canary.map(r => {
      const upstream = canarySide(r, input.rules.serve)
      return { route: r.name, upstream, percent: upstream === null ? 0 : shareOf(routingOf(r).serve, upstream) }
    }),
    shadowing: count('shadowing'),
    shadowingReady: rows.filter(r => r.stage === 'shadowing' && r.heldBy === null).length,
    legacy: count('legacy'),
    operations
  }
}

/** The status board of `input.rules`, one row per route in file order. */
export function statusBoard (input: StatusInput): StatusBoard {
  const routes = input.rules.routes.map(r => rowOf(r, input))
  return {
    v: STATUS_JSON_VERSION,
    generatedAt: input.now.toISOString(),
    rules: input.files.rules,
    store: input.store,
    headline: headlineOf(routes, input),
    routes
  }
}
