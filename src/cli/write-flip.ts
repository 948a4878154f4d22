import { commitRulesEdit, type AuditDraft } from '../promote/commit-rules-edit.js'
import type { Store } from '../store/store.js'
import { unifiedDiff } from '../suggest/unified-diff.js'
import type { CliIo } from './io.js'
import { reloadNote } from './reload-note.js'

export interface Flip {
  readonly rules: string
  readonly before: string
  readonly after: string
  readonly store: Store
  /** the one line that says the flip (describeFlip) */
  readonly line: string
  readonly dryRun: boolean
  readonly entry: AuditDraft
}

/**
 * The end of `promote` and `rollback`: with --dry-run the line and the
 * file's diff, nothing written; else the edit committed (checked, written
 * atomically, audited), the line with its audit id, and how proxies pick it up.
 * Errors of the commit are thrown as commitRulesEdit throws them.
 */
export async function writeFlip (f: Flip, io: CliIo): Promise<void> {
  if (f.dryRun) {
    io.stdout(`${f.line} · dry run: nothing written\n${unifiedDiff(f.before, f.after, f.rules)}`)
    return
  }
  const entry = await commitRulesEdit({ file: f.rules, before: f.before, after: f.after, store: f.store, entry: f.entry })
  io.stdout(`${f.line} · audit ${entry.id}\n${reloadNote(f.rules)}`)
}
