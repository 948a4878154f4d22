import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { loadRulesFile } from '../config/load.js'
import type { LoadResult } from '../config/types.js'

/** The rules file's text with the hash of what it loads from, or the failed load when it cannot be read. */
export type RulesSource =
  | { readonly ok: true; readonly text: string; readonly hash: string }
  | { readonly ok: false; readonly result: LoadResult }

/** a `${NAME}` anywhere in the text (a `$${` literal is taken too: one name more in the hash does no harm) */
const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/**
 * Read the rules file once. The hash tells a reload whether anything the
 * rules load from changed since the running ones were read: the file's
 * bytes and the value (or absence) of every environment variable it names,
 * since a reload reads `${NAME}` values again. The same text is then validated.
 */
export async function readRulesSource (file: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<RulesSource> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch {
    // loadRulesFile words the RULES_READ problem
    return { ok: false, result: await loadRulesFile(file) }
  }
  const text = bytes.toString('utf8')
  const hash = createHash('sha256').update(bytes)
  const names = [...new Set(Array.from(text.matchAll(ENV_REF), (m) => m[1]!))].sort()
  for (const name of names) {
    const value = env[name]
    hash.update(`\0${name}${value === undefined ? '\0unset' : `=${value}`}`)
  }
  return { ok: true, text, hash: hash.digest('hex') }
}
