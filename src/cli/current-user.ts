import { userInfo } from 'node:os'

/** Who runs the command, for the audit log's `by`: the OS user, else $USER / $USERNAME, else `unknown`. */
export function currentUser (): string {
  try {
    const name = userInfo().username
    if (name !== '') return name
  } catch {
    // no passwd entry (a container running as a bare uid)
  }
  return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown'
}
