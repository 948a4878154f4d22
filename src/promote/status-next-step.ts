/**
 * The next step of a route on the status board, as words and a command line
 * to run: what `strangler promote ROUTE` would do (next-stage.ts), or, when a
 * gate holds the route back, what to do about it.
 */
import { formatDuration } from '../config/duration.js'
import type { RouteConfig, Rules } from '../config/types.js'
import type { LastFlip } from '../report/last-flip.js'
import { commandLine } from './command-line.js'
import { describeRouting } from './describe-routing.js'
import type { GateFailure, GateResult } from './evaluate-gates.js'
import { nextStage } from './next-stage.js'
import type { StatusRollout } from './status-rollout.js'

export type NextAction = 'promote' | 'rollout' | 'rollback' | 'send-traffic' | 'fix-differences' | 'fix-shadow-errors' | 'add-shadow' | 'edit-rollout' | 'edit-rules' | 'none'

export interface StatusNext {
  readonly action: NextAction
  /** in words: `promote to canary: orders 10%, legacy 90%, shadow orders` */
  readonly says: string
  /** the command to run, ready to paste; null when there is none (a halted rollout, a finished route) */
  readonly command: string | null
  /** whether the step needs the route's gates to hold (it gives the new side more traffic, or ends verifying) */
  readonly gated: boolean
}

/** How the commands name the files: as the user gave them. */
export interface CommandContext {
  /** the rules file as given to `status --rules` */
  readonly rules: string
  /** the store as given to `status --store`; null for the default (left out of the commands) */
  readonly store: string | null
}

/** A placeholder for an upstream the rules do not name yet. */
const SOME_UPSTREAM = 'UPSTREAM'

/** The upstream a route that mirrors nowhere would shadow to: its rollout's target, else the one upstream other than the monolith. */
function shadowCandidate (route: RouteConfig, rules: Rules): string | null {
  if (route.rollout !== null && route.rollout.to !== rules.serve) return route.rollout.to
  const others = Object.keys(rules.upstreams).filter(u => u !== rules.serve)
  return others.length === 1 ? others[0]! : null
}

function fix (failure: GateFailure, route: RouteConfig, report: string): Omit<StatusNext, 'gated'> {
  switch (failure.gate) {
    case 'minPairs': {
      if (route.shadow === null) return { action: 'add-shadow', says: 'nothing is compared: give the route a shadow to gather evidence', command: null }
      const more = failure.needed - (failure.figure ?? 0)
      return { action: 'send-traffic', says: `send traffic: ${more} more pair${more === 1 ? '' : 's'} needed in the last ${formatDuration(route.gates.windowMs)}`, command: report }
    }
    case 'parity': return { action: 'fix-differences', says: 'fix the differences the report shows (or absorb known ones in compare)', command: report }
    case 'maxShadowErrors': return { action: 'fix-shadow-errors', says: 'fix the shadow errors the report shows', command: report }
  }
}

/** The route's next step, given what its gates say, its rollout and its last flip. */
export function nextStep (route: RouteConfig, rules: Rules, gates: GateResult, rollout: StatusRollout | null, lastFlip: LastFlip | null, ctx: CommandContext): StatusNext {
  const store = ctx.store === null ? [] : ['--store', ctx.store]
  const files = ['--rules', ctx.rules, ...store]
  const promote = (...more: string[]): string => commandLine(['strangler', 'promote', route.name, ...files, ...more])
  const report = commandLine(['strangler', 'report', '--route', route.name, ...files])
  const held = gates.failures[0]
  const upstreams = Object.keys(rules.upstreams)

  if (rollout !== null && rollout.halted !== null) {
    return { action: 'edit-rollout', says: `the rollout is halted (${rollout.halted}): edit or remove the route's rollout to resume`, command: null, gated: true }
  }
  if (rollout !== null && rollout.next !== null && route.stage === 'canary') {
    const says = held === undefined
      ? `the rollout raises ${rollout.to} to ${rollout.next}% (a step every ${rollout.every} while the gates hold)`
      : `the rollout waits for the gates before ${rollout.next}%: ${fix(held, route, report).says}`
    return { action: 'rollout', says, command: commandLine(['strangler', 'rollout', ...files]), gated: true }
  }
  if (route.stage === 'migrated' && lastFlip?.from.stage === 'verifying' && lastFlip.to.stage === 'migrated') {
    return { action: 'none', says: 'none: migrated and signed off after verifying', command: null, gated: false }
  }

  let extra: string[] = []
  let step = nextStage(route, rules.serve, { upstreams })
  if (!step.ok && step.code === 'USAGE' && route.stage === 'legacy') {
    // a route that mirrors nowhere yet: promote needs --shadow
    const to = shadowCandidate(route, rules)
    extra = ['--shadow', to ?? SOME_UPSTREAM]
    if (to === null) return { action: 'promote', says: 'start shadowing to the new service (name it)', command: promote(...extra), gated: false }
    step = nextStage(route, rules.serve, { upstreams, shadow: to })
  }
  if (!step.ok && step.code === 'PROMOTE_NO_NEXT_STAGE') {
    // verifying: the last stage; the sign-off ends the reverse shadow
    extra = ['--to', 'migrated']
    step = nextStage(route, rules.serve, { upstreams, to: 'migrated' })
  }
  if (!step.ok) return { action: 'edit-rules', says: step.message, command: null, gated: false }
  if (step.gated && held !== undefined) {
    if (route.stage === 'verifying' && held.gate !== 'minPairs') {
      return { action: 'rollback', says: `${rules.serve} disagrees: fix the new side (${report}) or roll back`, command: commandLine(['strangler', 'rollback', route.name, ...files]), gated: true }
    }
    return { ...fix(held, route, report), gated: true }
  }
  const says = route.stage === 'verifying'
    ? `sign off: end the reverse shadow (${describeRouting(step.to)})`
    : `promote to ${step.to.stage}: ${describeRouting(step.to)}`
  return { action: 'promote', says, command: promote(...extra), gated: step.gated }
}
