import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadRulesFile } from '../../src/config/load.js'
import type { LoadResult, Rules, RulesProblem } from '../../src/config/types.js'

/** Write `text` to a fresh temp dir and return the file's path. */
export async function writeRules (text: string, name = 'rules.yaml'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'strangler-config-'))
  const file = join(dir, name)
  await writeFile(file, text)
  return file
}

export async function loadText (text: string, name = 'rules.yaml'): Promise<LoadResult> {
  return loadRulesFile(await writeRules(text, name))
}

/** Load text that must be valid; fails the test with every problem otherwise. */
export async function loadOk (text: string, name = 'rules.yaml'): Promise<{ rules: Rules; warnings: readonly RulesProblem[] }> {
  const result = await loadText(text, name)
  if (!result.ok) throw new Error('expected valid rules, got:\n' + result.errors.map(e => `${e.line}:${e.column} ${e.code} ${e.message}`).join('\n'))
  return result
}

/** Load text that must be invalid; returns its errors. */
export async function loadErrors (text: string, name = 'rules.yaml'): Promise<readonly RulesProblem[]> {
  const result = await loadText(text, name)
  if (result.ok) throw new Error('expected errors, the rules loaded')
  return result.errors
}

/** The smallest valid head of a rules file, for tests to add routes to. */
export const HEAD = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
serve: legacy
`
