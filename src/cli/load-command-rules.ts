import { formatProblem } from '../config/format-problem.js'
import { loadRulesFile } from '../config/load.js'
import type { Rules } from '../config/types.js'
import type { CliIo } from './io.js'

/** The rules a command's `--rules` names; when the file has errors they are all told on stderr (`strangler COMMAND: …`) and null comes back (exit 1). */
export async function loadCommandRules (command: string, file: string, io: CliIo): Promise<Rules | null> {
  const loaded = await loadRulesFile(file)
  if (loaded.ok) return loaded.rules
  io.stderr(`strangler ${command}: ${file} has errors:\n${loaded.errors.map(formatProblem).join('\n')}\n`)
  return null
}
