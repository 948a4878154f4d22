import { loadRulesFile } from '../config/load.js'
import type { RulesProblem } from '../config/types.js'
import { coverageProblems } from './coverage-problems.js'
import { loadSpec } from './load-spec.js'
import { buildOperationsIndex } from './operations-index.js'
import { SpecError } from './spec-error.js'

export interface SpecCheckResult {
  /** coverage warnings (SPEC_ROUTE_NO_OPERATION, SPEC_OPERATION_DEFAULT_ONLY) */
  readonly problems: RulesProblem[]
  /** set when the spec cannot be used: `SPEC_INVALID file:line:col: message`; check exits 1 */
  readonly fatal: string | null
}

/**
 * What `check --rules R --spec S` adds to the rule checks (the CLI's
 * `SpecProblems`): the coverage warnings, or `fatal` when the spec cannot be
 * read, fails validation or has a refused $ref. Rules that do not load give
 * no spec problems: their own errors are what check prints.
 */
export async function specProblems (rulesFile: string, specFile: string): Promise<SpecCheckResult> {
  const loaded = await loadRulesFile(rulesFile)
  if (!loaded.ok) return { problems: [], fatal: null }
  try {
    const index = buildOperationsIndex(await loadSpec(specFile))
    return { problems: coverageProblems(loaded.rules, index, { rules: rulesFile, spec: specFile }), fatal: null }
  } catch (err) {
    if (err instanceof SpecError) return { problems: [], fatal: `${err.code} ${err.message}` }
    throw err
  }
}
