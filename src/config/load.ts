import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { buildRules } from './build.js'
import { notTextReason } from './binary-text.js'
import { checkEnvValues, type Env } from './env-values.js'
import { deepFreeze } from './freeze.js'
import { issueToFinding } from './issues.js'
import { locate } from './locate.js'
import { byPosition, placeFinding, problemAt } from './problem.js'
import { rulesSchema } from './schema.js'
import type { LoadResult, RulesProblem } from './types.js'
import { checkReferences } from './validate.js'
import { findWarnings } from './warnings.js'
import { parseRulesText, type ParsedText } from './yaml-text.js'

/**
 * Read, parse and validate a rules file (YAML or JSON); every problem at once.
 * `${NAME}` values are read from `env` now (each reload reads it again).
 */
export async function loadRulesFile (path: string, env: Env = process.env): Promise<LoadResult> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message
    return { ok: false, errors: [problemAt('error', 'RULES_READ', `cannot read the rules file: ${why}`, path, null)], warnings: [] }
  }
  // never parse (and echo back) an image or an archive given by mistake
  const notText = notTextReason(bytes)
  if (notText !== null) return { ok: false, errors: [problemAt('error', 'RULES_SYNTAX', notText, path, null)], warnings: [] }
  return loadRulesText(bytes.toString('utf8'), path, env)
}

/**
 * Validate rules given as text; `file` names it in problems ('<inline>' when it is
 * no file). On success the Rules are deeply frozen.
 */
export function loadRulesText (text: string, file: string, env: Env = process.env): LoadResult {
  const parsed = parseRulesText(text)
  const at = (offset: number) => { const p = parsed.lines.linePos(offset); return { line: p.line, column: p.col } }
  const yamlWarnings = parsed.warnings.map(w => problemAt('warning', 'RULES_SYNTAX', w.message, file, at(w.offset)))
  if (parsed.errors.length > 0) {
    return { ok: false, errors: parsed.errors.map(e => problemAt('error', 'RULES_SYNTAX', e.message, file, at(e.offset))), warnings: yamlWarnings }
  }
  return validateParsed(parsed, file, yamlWarnings, env)
}

function validateParsed (parsed: ParsedText, file: string, yamlWarnings: readonly RulesProblem[], env: Env): LoadResult {
  const result = rulesSchema.safeParse(parsed.raw)
  const findings = [
    ...(result.success ? [] : result.error.issues.map(issue => issueToFinding(issue, parsed.raw))),
    ...checkReferences(parsed.raw),
    ...checkEnvValues(parsed.raw, env)
  ]
  const errors = findings.map(f => placeFinding(f, file, parsed)).sort(byPosition)
  const warnings = [...yamlWarnings, ...findWarnings(parsed.raw).map(f => placeFinding(f, file, parsed))].sort(byPosition)
  if (!result.success || errors.length > 0) return { ok: false, errors, warnings }
  const source = file === '<inline>' ? file : resolve(file)
  const lineOf = (i: number): number | null => locate(parsed.doc, parsed.lines, ['routes', i], 'value')?.line ?? null
  return { ok: true, rules: deepFreeze(buildRules(result.data, source, lineOf, env)), warnings }
}
