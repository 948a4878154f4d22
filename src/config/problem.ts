import type { ErrorCode } from '../errors.js'
import { formatAt, isMapping, valueAt, type Finding } from './finding.js'
import { locate, type Position } from './locate.js'
import type { RulesProblem } from './types.js'
import type { ParsedText } from './yaml-text.js'

/** A finding placed in the file: line, column, the route it is under. */
export function placeFinding (f: Finding, file: string, text: ParsedText): RulesProblem {
  const pos = locate(text.doc, text.lines, f.path, f.point)
  return problem(f.severity, f.code, f.message, file, pos, routeName(text.raw, f), formatAt(f.path))
}

/** A problem at an offset of the text (YAML syntax), or of the whole file (pos null). */
export function problemAt (severity: RulesProblem['severity'], code: ErrorCode, message: string, file: string, pos: Position | null): RulesProblem {
  return problem(severity, code, message, file, pos, null, '')
}

function problem (severity: RulesProblem['severity'], code: ErrorCode, message: string, file: string, pos: Position | null, route: string | null, at: string): RulesProblem {
  return { severity, code, message, file, line: pos?.line ?? null, column: pos?.column ?? null, route, at }
}

function routeName (raw: unknown, f: Finding): string | null {
  if (f.path[0] !== 'routes' || typeof f.path[1] !== 'number') return null
  const route = valueAt(raw, f.path.slice(0, 2))
  return isMapping(route) && typeof route['name'] === 'string' ? route['name'] : null
}

/** File order: by line, then column; problems without a position last. */
export function byPosition (a: RulesProblem, b: RulesProblem): number {
  return (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? Infinity) - (b.column ?? Infinity)
}
