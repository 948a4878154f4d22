/**
 * `strangler promote ROUTE --rules FILE [--store S] [--to STAGE] [--weight N]
 * [--shadow UPSTREAM] [--force --reason TEXT] [--reason TEXT] [--by NAME]
 * [--dry-run]`: moves a route to its next stage (promote/next-stage.ts),
 * judged on its gates when the step gives the new side more traffic, by
 * editing FILE in place (comments and layout kept) and appending to the
 * audit log beside the store. Running proxies reload FILE on change.
 * Exit codes: 0 flipped (or, with --dry-run, would be); 1 refused (a gate, the
 * last stage, nothing to change, an invalid file or result, a file changed
 * meanwhile, an audit line that could not be written after the flip); 2 bad
 * usage (an unknown route, a bad flag value, --force without --reason,
 * legacy → shadowing without --shadow).
 */
import { readFile } from 'node:fs/promises'
import { redactUrl } from '../store/redact-url.js'
import { formatProblem } from '../config/format-problem.js'
import { loadRulesText } from '../config/load.js'
import type { Stage } from '../config/types.js'
import { StranglerError } from '../errors.js'
import { closeNames } from '../promote/close-names.js'
import { describeFlip } from '../promote/describe-flip.js'
import { describeRouting } from '../promote/describe-routing.js'
import { editRouteNode } from '../promote/edit-route-node.js'
import type { GateResult } from '../promote/evaluate-gates.js'
import { flipEnv } from '../promote/flip-env.js'
import { nextStage, STAGES } from '../promote/next-stage.js'
import { readRouteEvidence } from '../promote/route-evidence.js'
import { setRouteRouting } from '../promote/set-route-routing.js'
import { DEFAULT_STORE_DIR, type Store } from '../store/store.js'
import { currentUser } from './current-user.js'
import type { CliIo } from './io.js'
import { openCommandStore } from './open-command-store.js'
import { writeFlip } from './write-flip.js'
import { storeFolderProblem } from './store-folder.js'

export interface PromoteOptions {
  readonly route: string
  readonly rules: string
  /** the store the gates read and beside which the audit log is; default `.strangler/diffs` */
  readonly store?: string
  readonly to?: string
  readonly weight?: number
  readonly shadow?: string
  /** go past failing gates; needs `reason` */
  readonly force?: boolean
  readonly reason?: string
  /** who, for the audit log; default the OS user */
  readonly by?: string
  /** print what would be done and the diff; write nothing */
  readonly dryRun?: boolean
  /** the clock the gates' window ends at (tests) */
  readonly now?: () => Date
}

export async function runPromote (opts: PromoteOptions, io: CliIo): Promise<number> {
  const say = (s: string): void => { io.stderr(`strangler promote: ${s}\n`) }
  const reason = opts.reason?.trim()
  if (opts.reason !== undefined && reason === '') { say('USAGE: --reason is empty; say why'); return 2 }
  if (opts.force === true && reason === undefined) { say('USAGE: --force needs --reason TEXT: the audit log keeps why a gate was overridden'); return 2 }
  if (opts.to !== undefined && !(STAGES as readonly string[]).includes(opts.to)) { say(`USAGE: --to ${opts.to}: a stage is one of ${STAGES.join(', ')}`); return 2 }
  const by = opts.by ?? currentUser()
  if (by.trim() === '') { say('USAGE: --by is empty; give a name'); return 2 }

  let before: string
  try {
    before = await readFile(opts.rules, 'utf8')
  } catch (err) {
    say(`cannot read ${opts.rules}: ${(err as Error).message}`)
    return 1
  }
  const loaded = loadRulesText(before, opts.rules, flipEnv())
  if (!loaded.ok) {
    say(`${opts.rules} has errors; fix them before flipping a route:\n${loaded.errors.map(formatProblem).join('\n')}`)
    return 1
  }
  const rules = loaded.rules
  const route = rules.routes.find((r) => r.name === opts.route)
  if (route === undefined) {
    const close = closeNames(opts.route, rules.routes.map((r) => r.name))
    say(`PROMOTE_UNKNOWN_ROUTE: no route ${JSON.stringify(opts.route)} in ${opts.rules}${close.length > 0 ? `; close names: ${close.join(', ')}` : ''}`)
    return 2
  }
  const step = nextStage(route, rules.serve, { to: opts.to as Stage | undefined, weight: opts.weight, shadow: opts.shadow, upstreams: Object.keys(rules.upstreams) })
  if (!step.ok) {
    say(`${step.code}: ${step.message}`)
    return step.usage ? 2 : 1
  }

  const dir = opts.store ?? DEFAULT_STORE_DIR
  let store: Store | null = null
  if (step.gated || opts.dryRun !== true) {
    store = openCommandStore('promote', dir, io)
    if (store === null) return 2
  }
  try {
    let gate: GateResult | null = null
    if (step.gated) {
      try {
        gate = (await readRouteEvidence(store!, rules, opts.now?.() ?? new Date())).routes.get(route.name)!.gates
      } catch (err) {
        say(`cannot read the store ${redactUrl(dir)}: ${(err as Error).message}`)
        return 1
      }
      if (!gate.ok && opts.force !== true) {
        const noStore = await storeFolderProblem(dir)
        say([
          `PROMOTE_GATE_FAILED: ${route.name} stays ${step.from.stage} (${describeRouting(step.from)}): going ${step.to.stage} (${describeRouting(step.to)}) needs its gates to hold:`,
          ...gate.failures.map((f) => `  ${f.message}`),
          ...(noStore === null ? [] : [`  (${noStore})`]),
          `To flip it anyway, say why (the audit log keeps it): strangler promote ${route.name} --rules ${opts.rules}${opts.to === undefined ? '' : ` --to ${opts.to}`}${opts.weight === undefined ? '' : ` --weight ${opts.weight}`} --force --reason "…"`
        ].join('\n'))
        return 1
      }
    }
    const after = editRouteNode(before, opts.rules, route.name, (node, doc) => { setRouteRouting(node, doc, step.to) })
    const line = describeFlip({
      route: route.name,
      from: step.from,
      to: step.to,
      evidence: gate?.evidence ?? null,
      forcedPast: gate === null || gate.ok ? [] : gate.failures.map((f) => f.message)
    })
    if (opts.dryRun === true) {
      const check = loadRulesText(after, opts.rules, flipEnv())
      if (!check.ok) {
        say(`RULES_EDIT_INVALID: the flip would make ${opts.rules} invalid:\n${check.errors.map(formatProblem).join('\n')}`)
        return 1
      }
    }
    await writeFlip({
      rules: opts.rules,
      before,
      after,
      store: store!,
      line,
      dryRun: opts.dryRun === true,
      entry: {
        by,
        action: 'promote',
        route: route.name,
        from: step.from,
        to: step.to,
        evidence: gate?.evidence ?? null,
        forced: gate !== null && !gate.ok,
        reason: reason ?? null
      }
    }, io)
    if (opts.dryRun === true) return 0
    // e.g. a `sticky` left on a route that now serves one upstream: the proxies will warn of it on every reload
    const had = new Set(loaded.warnings.map((w) => `${w.code} ${w.route ?? ''} ${w.message}`))
    const now = loadRulesText(after, opts.rules, flipEnv())
    for (const w of now.warnings) if (w.route === route.name && !had.has(`${w.code} ${w.route} ${w.message}`)) say(`warning: ${formatProblem(w)}`)
    return 0
  } catch (err) {
    if (!(err instanceof StranglerError)) throw err
    say(`${err.code}: ${err.message}`)
    return 1
  } finally {
    await store?.close()
  }
}
