/**
 * What `strangler promote` does to a route: from its stage (DESIGN.md
 * "Stages of a route") to the next one, or to the stage `--to` names.
 *
 * | from | next | routing written |
 * |---|---|---|
 * | legacy | shadowing (needs `--shadow UPSTREAM`) | `serve: legacy`, `shadow: NEW` |
 * | shadowing | canary at `--weight` (default 10) | `serve: { NEW: 10, legacy: 90 }`, shadow kept |
 * | canary | the next of 10, 25, 50, 100 above its weight (or `--weight`); 100 is migrated | weights, shadow kept |
 * | canary, shadowing | migrated (`--to migrated`, or weight 100) | `serve: NEW`, no shadow |
 * | migrated | verifying | `serve: NEW`, `shadow: legacy` (reverse shadow) |
 * | verifying | none: the last stage (`--to migrated` ends the reverse shadow) | |
 *
 * The new side is the route's shadow while it serves legacy, else the upstream
 * it serves besides legacy. A canary keeps its `shadow`: the share legacy
 * still serves keeps being compared, which is the evidence its next step is
 * judged on. `--to` an earlier stage moves back (less traffic to the new side).
 *
 * A step is gated (its route's gates must pass over their window) when it
 * gives the new side a larger share of served traffic, and when it ends
 * verifying (the reverse shadow's evidence signs the migration off).
 */
import { didYouMean } from '../config/suggest.js'
import type { RouteConfig, Stage } from '../config/types.js'
import type { ErrorCode } from '../errors.js'
import type { AuditRouting } from '../store/audit-entry.js'
import { describeRouting } from './describe-routing.js'
import { routingOf } from './routing-of.js'

export const STAGES: readonly Stage[] = ['legacy', 'shadowing', 'canary', 'migrated', 'verifying']

/** The canary weights promote steps through, percent of the new side. */
export const CANARY_STEPS: readonly number[] = [10, 25, 50, 100]

export interface NextStageOptions {
  /** the stage to go to; default: the next one */
  readonly to?: Stage
  /** the new side's percentage for a canary, above 0 and at most 100 (100 is migrated) */
  readonly weight?: number
  /** the new service, for a route that serves legacy and mirrors nowhere yet */
  readonly shadow?: string
  /** the upstream names of the rules file */
  readonly upstreams: readonly string[]
}

export interface StageStep {
  readonly ok: true
  readonly from: AuditRouting
  readonly to: AuditRouting
  /** the upstream the route moves to */
  readonly newSide: string
  /** the new side's share of served traffic before and after the step, percent */
  readonly shareBefore: number
  readonly shareAfter: number
  /** the route's gates must pass for this step (see above) */
  readonly gated: boolean
}

export interface StageRefusal {
  readonly ok: false
  /** USAGE (exit 2) for flags that make no sense; a PROMOTE_* code (exit 1) for a step the route's state refuses */
  readonly code: ErrorCode
  readonly usage: boolean
  readonly message: string
}

export type NextStage = StageStep | StageRefusal

type Side = { readonly side: string | null; readonly ambiguous: boolean }

function newSideOf (route: RouteConfig, legacy: string): Side {
  const serve = route.serve
  if (serve.kind === 'weighted') {
    const others = serve.targets.map((t) => t.upstream).filter((u) => u !== legacy)
    return others.length > 1 ? { side: null, ambiguous: true } : { side: others[0] ?? null, ambiguous: false }
  }
  if (serve.upstream !== legacy) return { side: serve.upstream, ambiguous: false }
  return { side: route.shadow !== null && route.shadow !== legacy ? route.shadow : null, ambiguous: false }
}

/** The percentage of served traffic `side` gets under `serve`. */
export function shareOf (serve: AuditRouting['serve'], side: string): number {
  if (typeof serve === 'string') return serve === side ? 100 : 0
  const total = Object.values(serve).reduce((a, b) => a + b, 0)
  return total > 0 ? ((serve[side] ?? 0) / total) * 100 : 0
}

function canaryWeights (from: AuditRouting, side: string, legacy: string, weight: number): Record<string, number> {
  const rest = Number((100 - weight).toFixed(6))
  const keys = typeof from.serve === 'object' ? Object.keys(from.serve) : []
  const order = keys.length === 2 && keys.includes(side) && keys.includes(legacy) ? keys : [side, legacy]
  return Object.fromEntries(order.map((u) => [u, u === side ? weight : rest]))
}

const same = (a: AuditRouting, b: AuditRouting): boolean =>
  JSON.stringify(a.serve) === JSON.stringify(b.serve) && a.shadow === b.shadow

/** The routing `route` goes to, or why it does not; `legacy` is the rules' top-level `serve`. */
export function nextStage (route: RouteConfig, legacy: string, opts: NextStageOptions): NextStage {
  const name = route.name
  const usage = (message: string): StageRefusal => ({ ok: false, code: 'USAGE', usage: true, message })
  const refuse = (code: ErrorCode, message: string): StageRefusal => ({ ok: false, code, usage: false, message })
  const { weight: asked, shadow } = opts
  if (asked !== undefined && !(Number.isFinite(asked) && asked > 0 && asked <= 100)) {
    return usage(`--weight ${asked}: a weight is the new side's percentage, above 0 and at most 100`)
  }
  if (shadow !== undefined) {
    if (!opts.upstreams.includes(shadow)) return usage(`--shadow ${shadow}: the rules file has no upstream of that name (upstreams: ${opts.upstreams.join(', ')})${didYouMean(shadow, opts.upstreams)}`)
    if (shadow === legacy) return usage(`--shadow ${shadow}: that is the legacy side (the top-level serve); name the new service`)
  }
  if (opts.to !== undefined && asked !== undefined && opts.to !== 'canary') return usage(`--weight sets a canary's weight: it does not go with --to ${opts.to}`)
  if (opts.to === 'canary' && asked === 100) return usage('--weight 100 sends everything to the new side: that is --to migrated')

  const from = routingOf(route)
  const now = describeRouting(from)
  const found = newSideOf(route, legacy)
  if (shadow !== undefined && found.side !== null && found.side !== shadow) {
    return refuse('PROMOTE_NO_NEW_SIDE', `${name} already moves to ${found.side} (${now}); --shadow ${shadow} names another upstream`)
  }
  const side = found.side ?? shadow ?? null

  let target: Stage
  if (opts.to !== undefined) {
    if (opts.to === from.stage && asked === undefined) {
      return refuse('PROMOTE_SAME_STAGE', `${name} is ${from.stage} already (${now})${from.stage === 'canary' ? '; --weight N changes its weight' : ''}`)
    }
    target = opts.to
  } else if (asked !== undefined) {
    target = asked === 100 ? 'migrated' : 'canary'
  } else if (from.stage === 'verifying') {
    return refuse('PROMOTE_NO_NEXT_STAGE', `${name} is verifying (${now}), the last stage: nothing comes after it. Once the reverse shadow shows what you need, end it with \`strangler promote ${name} --to migrated\`, or roll it back.`)
  } else {
    target = ({ legacy: 'shadowing', shadowing: 'canary', canary: 'canary', migrated: 'verifying' } as const)[from.stage]
  }

  if (target !== 'legacy' && side === null) {
    if (found.ambiguous) return refuse('PROMOTE_NO_NEW_SIDE', `${name} serves ${now}: promote cannot tell which upstream is the new side; edit its serve by hand`)
    const example = opts.upstreams.find((u) => u !== legacy)
    return usage(`${name} serves ${legacy} and mirrors to no new service: name it with --shadow UPSTREAM${example === undefined ? '' : ` (e.g. --shadow ${example})`}`)
  }
  const to = side ?? legacy
  const before = side === null ? 0 : shareOf(from.serve, side)
  let weight = asked
  if (target === 'canary' && weight === undefined) {
    weight = from.stage === 'canary' ? CANARY_STEPS.find((s) => s > before + 1e-9) ?? 100 : CANARY_STEPS[0]!
    if (weight === 100) target = 'migrated'
  }
  const routing: AuditRouting = target === 'legacy'
    ? { stage: target, serve: legacy, shadow: null }
    : target === 'shadowing'
      ? { stage: target, serve: legacy, shadow: to }
      : target === 'canary'
        ? { stage: target, serve: canaryWeights(from, to, legacy, weight!), shadow: from.stage === 'shadowing' || from.stage === 'canary' ? from.shadow : to }
        : { stage: target, serve: to, shadow: target === 'verifying' ? legacy : null }
  if (same(from, routing)) return refuse('PROMOTE_SAME_STAGE', `${name} is ${now} already`)
  const after = shareOf(routing.serve, to)
  return {
    ok: true,
    from,
    to: routing,
    newSide: to,
    shareBefore: before,
    shareAfter: after,
    gated: after > before + 1e-9 || (from.stage === 'verifying' && target === 'migrated')
  }
}
