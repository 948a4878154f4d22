import { basename } from 'node:path'
import { loadRulesFile } from '../config/load.js'
import { formatProblem } from '../config/format-problem.js'
import type { RulesProblem, Stage } from '../config/types.js'
import type { CliIo } from './io.js'

export interface CheckOptions {
  readonly rules: string
  readonly spec?: string
}

/** Extra problems from an OpenAPI spec (coverage warnings); wired by the CLI when --spec is given. */
export type SpecProblems = (rulesFile: string, specFile: string) => Promise<{ problems: RulesProblem[]; fatal: string | null }>

/**
 * `strangler check`: print every problem of the rules file (errors and
 * warnings, each with file:line:col and route), then a summary. Exit 1 when
 * there is any error, else 0.
 */
export async function runCheck (opts: CheckOptions, io: CliIo, specProblems?: SpecProblems): Promise<number> {
  const result = await loadRulesFile(opts.rules)
  const problems: RulesProblem[] = result.ok ? [...result.warnings] : [...result.errors, ...result.warnings]
  let fatal: string | null = null
  if (opts.spec !== undefined && specProblems !== undefined && result.ok) {
    const extra = await specProblems(opts.rules, opts.spec)
    problems.push(...extra.problems)
    fatal = extra.fatal
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
  for (const p of problems) io.stdout(formatProblem(p) + '\n')
  const errors = problems.filter((p) => p.severity === 'error').length
  const warnings = problems.length - errors
  const name = basename(opts.rules)
  if (fatal !== null) {
    io.stderr(fatal + '\n')
    return 1
  }
  if (!result.ok || errors > 0) {
    io.stdout(`${name}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}: not valid, a proxy would not start with it\n`)
    return 1
  }
  const stages = new Map<Stage, number>()
  for (const r of result.rules.routes) stages.set(r.stage, (stages.get(r.stage) ?? 0) + 1)
  const byStage = [...stages].map(([s, n]) => `${n} ${s}`).join(', ')
  io.stdout(`${name}: valid, ${result.rules.routes.length} route${result.rules.routes.length === 1 ? '' : 's'}${byStage ? ` (${byStage})` : ''}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`)
  return 0
}
