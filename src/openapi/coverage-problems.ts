import type { Rules, RulesProblem } from '../config/types.js'
import type { OperationsIndex } from './operations-index.js'
import { routeOverlapsOperation } from './route-operation-match.js'

export interface CoverageProblemFiles {
  /** the rules file as the user gave it (default: rules.source) */
  readonly rules?: string
  /** the spec file as the user gave it (default: index.source) */
  readonly spec?: string
}

/**
 * The warnings `check --spec` adds to the rule checks:
 * SPEC_ROUTE_NO_OPERATION for a route that takes no request of any operation
 * (at the route's line in the rules file), and SPEC_OPERATION_DEFAULT_ONLY for
 * an operation that no route takes any request of, so only the default
 * upstream serves it (at the operation in the spec, `paths['/users/{id}'].get`).
 */
export function coverageProblems (rules: Rules, index: OperationsIndex, files: CoverageProblemFiles = {}): RulesProblem[] {
  const rulesFile = files.rules ?? rules.source
  const specFile = files.spec ?? index.source
  const problems: RulesProblem[] = []
  for (const route of rules.routes) {
    if (index.operations.some(op => routeOverlapsOperation(route.match, op))) continue
    const methods = route.match.methods === null ? 'any method' : route.match.methods.join(', ')
    problems.push({
      severity: 'warning',
      code: 'SPEC_ROUTE_NO_OPERATION',
      message: `the route (${methods} ${route.match.path.source}) matches no operation of ${specFile}`,
      file: rulesFile,
      line: route.line,
      column: null,
      route: route.name,
      at: `routes[${route.index}].match`
    })
  }
  for (const op of index.operations) {
    if (rules.routes.some(r => routeOverlapsOperation(r.match, op))) continue
    problems.push({
      severity: 'warning',
      code: 'SPEC_OPERATION_DEFAULT_ONLY',
      message: `${op.method} ${op.path}${op.operationId !== null ? ` (${op.operationId})` : ''} is matched by no route: only the default upstream ${JSON.stringify(rules.serve)} serves it`,
      file: specFile,
      line: null,
      column: null,
      route: null,
      at: `paths[${JSON.stringify(op.template)}].${op.method.toLowerCase()}`
    })
  }
  return problems
}
