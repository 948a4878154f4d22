/**
 * Writing a flip: the edited rules text replaces the file, and one entry goes
 * to the audit log. Used by `promote`, `rollback` and the rollout controller.
 *
 * The order, and why:
 * 1. the new text is checked with the loader (a flip never produces an
 *    invalid file); `${NAME}` values are not read (see flip-env.ts);
 * 2. the file is read again: bytes other than `before` mean someone edited
 *    it since it was read, and nothing is written (their edit is not lost);
 * 3. the text goes to a temp file in the file's folder (its mode kept),
 *    synced, then checked against `before` once more and renamed over the
 *    file (atomic: a proxy reloading at any moment reads the old or the new
 *    file, never half of one), and the folder synced;
 * 4. only then the audit entry is appended, durably.
 *
 * The file goes first because it is the flip: a rollout controller rolling a
 * failing service back must not be stopped by an audit log it cannot write,
 * and an audit line written first would, if the rename then failed, claim a
 * flip that never happened (and mislead `rollback`). So an audit failure
 * after the rename is reported as AUDIT_UNWRITABLE: the flip is in effect,
 * and the error carries the entry (and prints it) for someone to add by hand.
 *
 * Steps 2 and 3 are not one atomic step: an edit saved in the instant
 * between the last check and the rename would be replaced.
 */
import { createHash, randomBytes } from 'node:crypto'
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { StranglerError } from '../errors.js'
import { formatProblem } from '../config/format-problem.js'
import { loadRulesText } from '../config/load.js'
import type { AuditEntry } from '../store/audit-entry.js'
import type { Store } from '../store/store.js'
import { flipEnv } from './flip-env.js'
import { routeText } from './route-text.js'

/** What the caller says of a flip; commitRulesEdit adds the id, the file, the hashes and the route's text before. */
export type AuditDraft = Pick<AuditEntry, 'by' | 'action' | 'route' | 'from' | 'to' | 'evidence' | 'forced' | 'reason' | 'undoes'> & {
  /** when; default now (the rollout controller passes its clock's time) */
  readonly at?: Date
}

export interface RulesEdit {
  /** the rules file, as given (a symlink is followed: its target is replaced) */
  readonly file: string
  /** the file's text as read, from which `after` was made */
  readonly before: string
  /** the new text (editRouteNode's result) */
  readonly after: string
  /** where the audit log is (appendAudit) */
  readonly store: Store
  readonly entry: AuditDraft
}

/** An audit failure after the file was replaced: the flip is in effect; `entry` is what could not be written. */
export class AuditUnwrittenError extends StranglerError {
  readonly entry: AuditEntry
  constructor (entry: AuditEntry, cause: unknown) {
    super('AUDIT_UNWRITABLE', `${entry.file} was changed (route ${entry.route}: ${entry.from.stage} → ${entry.to.stage} is in effect) but its audit line could not be written: ${(cause as Error).message}. Add this line to the audit log by hand:\n${JSON.stringify(entry)}`, { cause })
    this.entry = entry
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

async function sameBytes (file: string, text: string): Promise<boolean> {
  return (await readFile(file)).equals(Buffer.from(text, 'utf8'))
}

async function replaceFile (file: string, text: string, before: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.strangler-${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  try {
    const mode = (await stat(file)).mode & 0o7777
    const handle = await open(tmp, 'wx', mode)
    try {
      await handle.writeFile(text, 'utf8')
      await handle.chmod(mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (!await sameBytes(file, before)) throw changedMeanwhile(file)
    await rename(tmp, file)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    if (err instanceof StranglerError) throw err
    throw new StranglerError('RULES_WRITE_FAILED', `cannot write ${file}: ${(err as Error).message}; it was left as it was`, { cause: err })
  }
  // the rename itself on the device; some systems cannot sync a folder
  try {
    const dir = await open(dirname(file), 'r')
    try { await dir.sync() } finally { await dir.close() }
  } catch {
    // best effort
  }
}

function changedMeanwhile (file: string): StranglerError {
  return new StranglerError('RULES_CHANGED_MEANWHILE', `${file} changed since it was read (someone edited it meanwhile): nothing was written; run the command again on the file as it is now`)
}

/**
 * Check, write atomically and audit one flip (see above). Resolves with the
 * audit entry written. Rejects with a StranglerError: RULES_EDIT_INVALID
 * (the problems listed, file untouched), RULES_CHANGED_MEANWHILE,
 * RULES_WRITE_FAILED (file untouched, nothing audited), or
 * AuditUnwrittenError (AUDIT_UNWRITABLE: file changed, entry not written).
 */
export async function commitRulesEdit ({ file, before, after, store, entry }: RulesEdit): Promise<AuditEntry> {
  const loaded = loadRulesText(after, file, flipEnv())
  if (!loaded.ok) {
    throw new StranglerError('RULES_EDIT_INVALID', `the flip would make ${file} invalid, so it was not changed:\n${loaded.errors.map(formatProblem).join('\n')}`)
  }
  const routeBefore = routeText(before, entry.route, file)
  let target: string
  try {
    target = await realpath(file)
    if (!await sameBytes(target, before)) throw changedMeanwhile(file)
  } catch (err) {
    if (err instanceof StranglerError) throw err
    throw new StranglerError('RULES_WRITE_FAILED', `cannot read ${file} again before writing it: ${(err as Error).message}`, { cause: err })
  }
  if (after === before) throw new StranglerError('RULES_EDIT_INVALID', `the flip of route ${entry.route} changes nothing in ${file}`)
  await replaceFile(target, after, before)
  const written: AuditEntry = {
    v: 1,
    id: randomBytes(6).toString('hex'),
    at: (entry.at ?? new Date()).toISOString(),
    by: entry.by,
    action: entry.action,
    route: entry.route,
    from: entry.from,
    to: entry.to,
    evidence: entry.evidence,
    forced: entry.forced,
    reason: entry.reason,
    file: target,
    hashBefore: sha256(before),
    hashAfter: sha256(after),
    routeBefore,
    ...(entry.undoes === undefined ? {} : { undoes: entry.undoes })
  }
  try {
    await store.appendAudit(written)
  } catch (err) {
    throw new AuditUnwrittenError(written, err)
  }
  return written
}
