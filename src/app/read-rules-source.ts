import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { loadRulesFile } from '../config/load.js'
import type { LoadResult } from '../config/types.js'

/** The rules file's text with the SHA-256 of its bytes, or the failed load when it cannot be read. */
export type RulesSource =
  | { readonly ok: true; readonly text: string; readonly hash: string }
  | { readonly ok: false; readonly result: LoadResult }

/**
 * Read the rules file once: the hash tells a reload whether the file changed
 * since the rules running were read; the same text is then validated.
 */
export async function readRulesSource (file: string): Promise<RulesSource> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch {
    // loadRulesFile words the RULES_READ problem
    return { ok: false, result: await loadRulesFile(file) }
  }
  return { ok: true, text: bytes.toString('utf8'), hash: createHash('sha256').update(bytes).digest('hex') }
}
