/**
 * `strangler rollback ROUTE --rules FILE [--store S] [--by NAME] [--reason
 * TEXT] [--force --reason TEXT] [--dry-run]`: undoes the route's last flip
 * still in effect, as the audit log beside the store tells it
 * (promote/rollback-target.ts): the route's exact bytes from before that
 * flip are written back (comments and layout as they were), checked and
 * audited as a `rollback` that `undoes` the flip's id. Rolling back twice
 * goes back two flips. A route edited since the flip (anything but what
 * the flip itself changed) is refused unless --force --reason: restoring
 * would lose those edits, which are listed.
 * Exit codes: 0 rolled back (or would be, with --dry-run); 1 nothing to roll
 * back, a route edited since, an invalid file or result, a file changed
 * meanwhile, an audit line that could not be written; 2 bad usage (an
 * unknown route, --force without --reason).
 */
import { createHash } from 'node:crypto'
import { redactUrl } from '../store/redact-url.js'
import { readFile, realpath } from 'node:fs/promises'
import { formatProblem } from '../config/format-problem.js'
import { loadRulesText } from '../config/load.js'
import { StranglerError } from '../errors.js'
import { closeNames } from '../promote/close-names.js'
import { describeFlip } from '../promote/describe-flip.js'
import { flipEnv } from '../promote/flip-env.js'
import { rollbackTarget } from '../promote/rollback-target.js'
import { routeDrift } from '../promote/route-drift.js'
import { replaceRouteText } from '../promote/route-text.js'
import { routingOf } from '../promote/routing-of.js'
import type { AuditEntry } from '../store/audit-entry.js'
import { DEFAULT_STORE_DIR } from '../store/store.js'
import { currentUser } from './current-user.js'
import type { CliIo } from './io.js'
import { openCommandStore } from './open-command-store.js'
import { writeFlip } from './write-flip.js'

export interface RollbackOptions {
  readonly route: string
  readonly rules: string
  /** beside which the audit log is; default `.strangler/diffs` */
  readonly store?: string
  readonly by?: string
  readonly reason?: string
  /** restore even though the route was edited since the flip; needs `reason` */
  readonly force?: boolean
  readonly dryRun?: boolean
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

export async function runRollback (opts: RollbackOptions, io: CliIo): Promise<number> {
  const say = (s: string): void => { io.stderr(`strangler rollback: ${s}\n`) }
  const reason = opts.reason?.trim()
  if (opts.reason !== undefined && reason === '') { say('USAGE: --reason is empty; say why'); return 2 }
  if (opts.force === true && reason === undefined) { say('USAGE: --force needs --reason TEXT: the audit log keeps why'); return 2 }
  const by = opts.by ?? currentUser()
  if (by.trim() === '') { say('USAGE: --by is empty; give a name'); return 2 }

  let before: string
  let file: string
  try {
    file = await realpath(opts.rules)
    before = await readFile(file, 'utf8')
  } catch (err) {
    say(`cannot read ${opts.rules}: ${(err as Error).message}`)
    return 1
  }
  const loaded = loadRulesText(before, opts.rules, flipEnv())
  if (!loaded.ok) {
    say(`${opts.rules} has errors; fix them before rolling a route back:\n${loaded.errors.map(formatProblem).join('\n')}`)
    return 1
  }
  const route = loaded.rules.routes.find((r) => r.name === opts.route)
  if (route === undefined) {
    const close = closeNames(opts.route, loaded.rules.routes.map((r) => r.name))
    say(`PROMOTE_UNKNOWN_ROUTE: no route ${JSON.stringify(opts.route)} in ${opts.rules}${close.length > 0 ? `; close names: ${close.join(', ')}` : ''}`)
    return 2
  }
  const dir = opts.store ?? DEFAULT_STORE_DIR
  const store = openCommandStore('rollback', dir, io)
  if (store === null) return 2
  try {
    const entries: AuditEntry[] = []
    try {
      for await (const e of store.readAudit({ route: route.name })) entries.push(e)
    } catch (err) {
      say(`cannot read the audit log of the store ${redactUrl(dir)}: ${(err as Error).message}`)
      return 1
    }
    const flip = rollbackTarget(entries, route.name, file)
    if (flip === null) {
      say(`ROLLBACK_NOTHING: the audit log (beside ${redactUrl(dir)}) has no flip of ${route.name} in ${opts.rules} left to roll back`)
      return 1
    }
    const undoing = `${flip.action} ${flip.id} (${flip.from.stage} → ${flip.to.stage}, by ${flip.by} at ${flip.at})`
    const after = replaceRouteText(before, route.name, flip.routeBefore, opts.rules)
    if (after === before) {
      say(`ROLLBACK_NOTHING: ${route.name} is already as it was before ${undoing}`)
      return 1
    }
    const drift = sha256(before) === flip.hashAfter ? [] : routeDrift(before, after, route.name, flip)
    if (drift.length > 0 && opts.force !== true) {
      say([
        `ROLLBACK_ROUTE_EDITED: ${route.name} was edited since ${undoing}:`,
        ...drift.map((d) => `  ${d}`),
        'Rolling back writes the route back as it was before that flip, and these edits would be lost.',
        `To do it anyway: strangler rollback ${route.name} --rules ${opts.rules} --force --reason "…"`
      ].join('\n'))
      return 1
    }
    const restored = loadRulesText(after, opts.rules, flipEnv())
    if (!restored.ok) {
      say(`RULES_EDIT_INVALID: the route as it was before ${undoing} does not fit ${opts.rules} as it is now:\n${restored.errors.map(formatProblem).join('\n')}`)
      return 1
    }
    const from = routingOf(route)
    const to = routingOf(restored.rules.routes.find((r) => r.name === route.name)!)
    const line = `${describeFlip({ route: route.name, from, to, evidence: null })} · undoes ${undoing}`
    await writeFlip({
      rules: opts.rules,
      before,
      after,
      store,
      line,
      dryRun: opts.dryRun === true,
      entry: { by, action: 'rollback', route: route.name, from, to, evidence: null, forced: drift.length > 0, reason: reason ?? null, undoes: flip.id }
    }, io)
    return 0
  } catch (err) {
    if (!(err instanceof StranglerError)) throw err
    say(`${err.code}: ${err.message}`)
    return 1
  } finally {
    await store.close()
  }
}
