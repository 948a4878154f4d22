import type { AuditEntry } from '../store/audit-entry.js'

/**
 * The flip `rollback` undoes: the route's last audit entry for this rules
 * file (`file`, absolute) that is not a rollback itself and that no
 * rollback has undone yet. Rolling back twice so goes back two flips.
 * Entries of other rules files sharing the store are not considered. Null
 * when nothing is left to undo.
 */
export function rollbackTarget (entries: readonly AuditEntry[], route: string, file: string): AuditEntry | null {
  const mine = entries.filter((e) => e.route === route && e.file === file)
  const undone = new Set(mine.flatMap((e) => e.action === 'rollback' && e.undoes !== undefined ? [e.undoes] : []))
  for (let i = mine.length - 1; i >= 0; i--) {
    const e = mine[i]!
    if (e.action !== 'rollback' && !undone.has(e.id)) return e
  }
  return null
}
