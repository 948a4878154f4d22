import type { Rules, RulesProblem } from '../config/types.js'
import { coverageProblems } from './coverage-problems.js'
import { loadSpec } from './load-spec.js'
import { buildOperationsIndex } from './operations-index.js'
import { SpecError } from './spec-error.js'

/**
 * What `check --rules R --spec S` adds once the rules loaded: the coverage
 * warnings, or one error when the spec cannot be used (SPEC_READ, SPEC_INVALID,
 * SPEC_REF_REFUSED, placed at the spec position when known).
 */
export async function specProblems (rules: Rules, specFile: string, rulesFile?: string): Promise<RulesProblem[]> {
  try {
    const index = buildOperationsIndex(await loadSpec(specFile))
    return coverageProblems(rules, index, { rules: rulesFile, spec: specFile })
  } catch (err) {
    if (!(err instanceof SpecError)) throw err
    const prefix = err.position === null ? `${err.file}: ` : `${err.position.file}:${err.position.line}:${err.position.column}: `
    return [{
      severity: 'error',
      code: err.code,
      message: err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message,
      file: err.position?.file ?? err.file,
      line: err.position?.line ?? null,
      column: err.position?.column ?? null,
      route: null,
      at: ''
    }]
  }
}
