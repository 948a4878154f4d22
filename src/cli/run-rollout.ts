/**
 * `strangler rollout --rules FILE [--store S] [--interval 10s] [--once]
 * [--dry-run] [--by NAME]`: the rollout controller, one per fleet (the
 * proxies stay stateless). Every interval it reads FILE, and for each route
 * with a `rollout` decides (promote/rollout-decision.ts) from the audit log,
 * the route's parity evidence and the proxies' rollups of served requests;
 * a step or a rollback edits FILE in place (comments and layout kept,
 * checked, written atomically: the proxies reload it) and is audited. One
 * line per decision is printed when it changes; every step and rollback is.
 * `--dry-run` prints what it would do and writes nothing; `--once` runs one
 * tick and exits (cron, tests). SIGINT and SIGTERM stop it after the tick in
 * progress.
 * Exit codes: 0 stopped (or `--once` ran); 1 with `--once`, a rules file
 * that cannot be read or loaded, a store that cannot be read, or a step or
 * rollback that could not be written; 2 bad usage.
 */
import { readFile, realpath } from 'node:fs/promises'
import { redactUrl } from '../store/redact-url.js'
import { setTimeout as delay } from 'node:timers/promises'
import { isMap, type Document, type YAMLMap } from 'yaml'
import { parseDuration } from '../config/duration.js'
import type { RouteConfig } from '../config/types.js'
import { formatProblem } from '../config/format-problem.js'
import { loadRulesText } from '../config/load.js'
import { StranglerError } from '../errors.js'
import { commitRulesEdit } from '../promote/commit-rules-edit.js'
import { describeRouting } from '../promote/describe-routing.js'
import { editRouteNode } from '../promote/edit-route-node.js'
import { evaluateGates, type GateResult } from '../promote/evaluate-gates.js'
import { flipEnv } from '../promote/flip-env.js'
import { readRouteEvidence } from '../promote/route-evidence.js'
import { decideRollout, needsGates, type RolloutDecision } from '../promote/rollout-decision.js'
import { auditRouting } from '../promote/rollout-routing.js'
import { MAX_HEALTH_WINDOW_MS } from '../promote/served-health.js'
import { setRouteRouting } from '../promote/set-route-routing.js'
import type { AuditEntry } from '../store/audit-entry.js'
import type { Rollup } from '../store/rollup.js'
import { DEFAULT_STORE_DIR, type Store } from '../store/store.js'
import type { CliIo } from './io.js'
import { openCommandStore } from './open-command-store.js'

export interface RolloutOptions {
  readonly rules: string
  /** default `.strangler/diffs` */
  readonly store?: string
  /** time between ticks, a duration (default `10s`) */
  readonly interval?: string
  /** one tick, then exit */
  readonly once?: boolean
  /** print what would be done; write nothing */
  readonly dryRun?: boolean
  /** who the audit log names; default `strangler rollout` */
  readonly by?: string
}

/** The controller's time, injectable (tests run it over simulated minutes); the CLI uses real time. */
export interface RolloutRuntime {
  readonly now?: () => Date
  /** wait `ms` between ticks; resolves early (or rejects) when `signal` aborts */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  /** stops the loop after the tick in progress; default: SIGINT or SIGTERM */
  readonly signal?: AbortSignal
}

export const DEFAULT_ROLLOUT_BY = 'strangler rollout'

interface Controller {
  readonly rulesFile: string
  readonly store: Store
  readonly storeName: string
  readonly dryRun: boolean
  readonly by: string
  readonly io: CliIo
  readonly now: () => Date
  /** print every decision (--once), not only the ones that changed */
  readonly verbose: boolean
  /** what was last printed per route (or for the file), so that an unchanged state is not printed every tick */
  readonly printed: Map<string, string>
}

const realSleep = async (ms: number, signal: AbortSignal): Promise<void> => {
  await delay(ms, undefined, { signal, ref: true }).catch(() => {})
}

export async function runRollout (opts: RolloutOptions, io: CliIo, runtime: RolloutRuntime = {}): Promise<number> {
  let intervalMs: number
  try {
    intervalMs = parseDuration(opts.interval ?? '10s')
    if (!(intervalMs > 0)) throw new StranglerError('RULES_BAD_DURATION', 'the interval must be more than 0')
  } catch (err) {
    io.stderr(`strangler rollout: USAGE: --interval ${JSON.stringify(opts.interval)}: ${(err as Error).message}\n`)
    return 2
  }
  if (opts.by !== undefined && opts.by.trim() === '') {
    io.stderr('strangler rollout: USAGE: --by is empty; give a name, or leave the flag out\n')
    return 2
  }
  const storeName = opts.store ?? DEFAULT_STORE_DIR
  const store = openCommandStore('rollout', storeName, io)
  if (store === null) return 2
  const ctl: Controller = {
    rulesFile: opts.rules,
    store,
    storeName,
    dryRun: opts.dryRun === true,
    by: opts.by ?? DEFAULT_ROLLOUT_BY,
    io,
    now: runtime.now ?? (() => new Date()),
    verbose: opts.once === true,
    printed: new Map()
  }
  try {
    if (opts.once === true) return await guardedTick(ctl) ? 0 : 1
    let signal = runtime.signal
    let stopOnSignal: (() => void) | null = null
    if (signal === undefined) {
      const ac = new AbortController()
      stopOnSignal = () => { ac.abort() }
      process.once('SIGINT', stopOnSignal)
      process.once('SIGTERM', stopOnSignal)
      signal = ac.signal
    }
    const sleep = runtime.sleep ?? realSleep
    io.stdout(`strangler rollout: ${ctl.dryRun ? 'dry run: ' : ''}watching the rollouts of ${opts.rules} every ${opts.interval ?? '10s'} (store ${redactUrl(storeName)})\n`)
    try {
      while (!signal.aborted) {
        await guardedTick(ctl)
        if (signal.aborted) break
        await sleep(intervalMs, signal)
      }
    } finally {
      if (stopOnSignal !== null) {
        process.off('SIGINT', stopOnSignal)
        process.off('SIGTERM', stopOnSignal)
      }
    }
    io.stdout('strangler rollout: stopped\n')
    return 0
  } finally {
    await store.close()
  }
}

/** Print `line` for `key` when it differs from what was last printed for it (always with --once). */
function say (ctl: Controller, key: string, state: string, line: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
  if (!ctl.verbose && ctl.printed.get(key) === state) return
  ctl.printed.set(key, state)
  ctl.io[stream](line)
}

/** A tick whose unexpected failure is told and does not stop the controller. */
async function guardedTick (ctl: Controller): Promise<boolean> {
  try {
    return await tick(ctl)
  } catch (err) {
    ctl.io.stderr(`${ctl.now().toISOString()} strangler rollout: the tick failed: ${(err as Error).stack ?? String(err)}\n`)
    return false
  }
}

/** One tick: read, decide, act. False when something could not be done (the rules, the store, an edit). */
async function tick (ctl: Controller): Promise<boolean> {
  const now = ctl.now()
  const stamp = now.toISOString()
  let file: string
  let text: string
  try {
    file = await realpath(ctl.rulesFile)
    text = await readFile(file, 'utf8')
  } catch (err) {
    say(ctl, '(file)', `read ${(err as Error).message}`, `${stamp} strangler rollout: cannot read ${ctl.rulesFile}: ${(err as Error).message}; nothing done\n`, 'stderr')
    return false
  }
  const loaded = loadRulesText(text, ctl.rulesFile, flipEnv())
  if (!loaded.ok) {
    const problems = loaded.errors.map(formatProblem).join('\n')
    say(ctl, '(file)', `invalid ${problems}`, `${stamp} strangler rollout: ${ctl.rulesFile} has errors; nothing done until it is fixed:\n${problems}\n`, 'stderr')
    return false
  }
  const rules = loaded.rules
  const routes = rules.routes.filter((r) => r.rollout !== null)
  if (routes.length === 0) {
    say(ctl, '(file)', 'none', `${stamp} strangler rollout: no route of ${ctl.rulesFile} has a rollout\n`)
    return true
  }
  ctl.printed.delete('(file)')

  let audit: Map<string, AuditEntry[]>
  let rollups: Rollup[]
  try {
    audit = new Map()
    for await (const e of ctl.store.readAudit()) {
      if (e.file !== file) continue
      const list = audit.get(e.route)
      if (list === undefined) audit.set(e.route, [e])
      else list.push(e)
    }
    rollups = []
    for await (const r of ctl.store.readRollups({ since: new Date(now.getTime() - MAX_HEALTH_WINDOW_MS) })) rollups.push(r)
  } catch (err) {
    return storeFailed(ctl, stamp, err)
  }
  ctl.printed.delete('(store)')

  // the parity evidence (a scan of the records in the gates' windows) is read once, and only when a decision needs it
  let evidence: Awaited<ReturnType<typeof readRouteEvidence>> | null = null
  const gatesOf = async (route: RouteConfig): Promise<GateResult> => {
    evidence ??= await readRouteEvidence(ctl.store, rules, now)
    return evidence.routes.get(route.name)!.gates
  }
  let ok = true
  for (const route of routes) {
    const routeAudit = audit.get(route.name) ?? []
    let d: RolloutDecision
    try {
      const read = needsGates(route, routeAudit, now)
      const decide = (gates: GateResult): RolloutDecision => decideRollout({ route, legacy: rules.serve, audit: routeAudit, gates, rollups, now })
      d = decide(read ? await gatesOf(route) : unreadGates(route, now))
      // a rollback is audited with the gate figures of the moment
      if (d.kind === 'rollback' && !read) d = decide(await gatesOf(route))
    } catch (err) {
      return storeFailed(ctl, stamp, err)
    }
    if (d.kind !== 'step' && d.kind !== 'rollback') {
      const what = d.kind === 'wait' ? `waiting: ${d.why}` : d.kind === 'done' ? `done: ${d.why}` : d.why
      say(ctl, route.name, stateOf(d), `${stamp} ${route.name}: ${what}\n`)
      continue
    }
    if (ctl.dryRun) {
      say(ctl, route.name, stateOf(d), `${stamp} ${route.name}: would ${describeAction(d)} (dry run: nothing written)\n`)
      continue
    }
    let after: string | null = null
    try {
      after = editRouteNode(text, ctl.rulesFile, route.name, (node, doc) => {
        setRouteRouting(node, doc, d.to)
        if (d.kind === 'rollback') setHalted(node, doc, d.halted)
      })
      const written = await commitRulesEdit({
        file: ctl.rulesFile,
        before: text,
        after,
        store: ctl.store,
        entry: {
          at: now,
          by: ctl.by,
          action: d.kind === 'step' ? 'rollout-step' : 'rollout-rollback',
          route: route.name,
          from: auditRouting(d.from, rules.serve),
          to: auditRouting(d.to, rules.serve),
          evidence: d.evidence,
          forced: false,
          reason: d.why
        }
      })
      text = after
      ctl.printed.set(route.name, stateOf(d))
      ctl.io.stdout(`${stamp} ${route.name}: ${describeAction(d)} (audit ${written.id})\n`)
    } catch (err) {
      ok = false
      const message = (err as Error).message
      say(ctl, route.name, `failed ${message}`, `${stamp} ${route.name}: could not ${describeAction(d)}: ${message}\n`, 'stderr')
      // the file changed under us: the other routes are decided on the next tick, from the file as it is then
      if (err instanceof StranglerError && err.code === 'RULES_CHANGED_MEANWHILE') break
      // the file was replaced, only its audit line is missing (the error prints it)
      if (err instanceof StranglerError && err.code === 'AUDIT_UNWRITABLE' && after !== null) text = after
    }
  }
  return ok
}

/** Stands for gates not read: a decision that does not need them (needsGates) never looks at it. */
function unreadGates (route: RouteConfig, now: Date): GateResult {
  return evaluateGates(route.gates, { compared: 0, matched: 0, errors: 0 }, new Date(now.getTime() - route.gates.windowMs))
}

function storeFailed (ctl: Controller, stamp: string, err: unknown): false {
  const message = (err as Error).message
  say(ctl, '(store)', `store ${message}`, `${stamp} strangler rollout: cannot read the store ${ctl.storeName}: ${message}; nothing done\n`, 'stderr')
  return false
}

/** What a decision is, without its figures: an unchanged state is printed once. */
function stateOf (d: RolloutDecision): string {
  switch (d.kind) {
    case 'wait': return `wait ${d.reason} ${d.until?.toISOString() ?? ''}`
    case 'step': return `step ${d.weight}`
    case 'rollback': return 'rollback'
    case 'done': return `done ${d.why}`
    case 'halted': return `halted ${d.why}`
  }
}

function describeAction (d: Extract<RolloutDecision, { kind: 'step' | 'rollback' }>): string {
  if (d.kind === 'step') return `step ${d.why}: now ${describeRouting(d.to)}`
  return `roll back (${d.why}): now ${describeRouting(d.to)}; rollout halted until edited`
}

/** `rollout.halted: WHY` in the route's node. */
function setHalted (route: YAMLMap, doc: Document, halted: string): void {
  const rollout = route.get('rollout', true)
  if (!isMap(rollout)) throw new StranglerError('RULES_EDIT_INVALID', 'the route\'s rollout is not a mapping')
  rollout.set('halted', doc.createNode(halted))
}
