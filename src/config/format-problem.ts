import type { RulesProblem } from './types.js'

/**
 * One line for a terminal:
 * `rules.yaml:12:7 error RULES_UNKNOWN_UPSTREAM route "get-order": serve names upstream ...`
 * (a route without a name is shown by position, `routes[3]`).
 */
export function formatProblem (p: RulesProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`
  const unnamed = p.route === null ? /^routes\[\d+\]/.exec(p.at) : null
  const route = p.route !== null ? ` route ${JSON.stringify(p.route)}` : unnamed !== null ? ` ${unnamed[0]}` : ''
  return `${where} ${p.severity} ${p.code}${route}: ${p.message}`
}
