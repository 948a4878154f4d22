import type { z } from 'zod'
import type { ErrorCode } from '../errors.js'
import { describeValue, formatAt, valueAt, type Finding, type PathKey } from './finding.js'
import { didYouMean } from './suggest.js'
import type { RulesIssueParams } from './zod-helpers.js'

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping'
}

/** What a missing top-level key is for, after its name. */
const MISSING_HINT: Readonly<Record<string, string>> = {
  version: ': add `version: 1`',
  serve: ': the upstream a request that matches no route goes to (the monolith), e.g. `serve: legacy`',
  upstreams: ': the named backends, e.g. `upstreams: { legacy: { url: http://127.0.0.1:3000 } }`'
}

/** A zod issue of rulesSchema as a finding: the stable code and a message naming the value. */
export function issueToFinding (issue: z.core.$ZodIssue, raw: unknown): Finding {
  const path = issue.path.map(k => typeof k === 'symbol' ? String(k) : k) as PathKey[]
  const value = valueAt(raw, path)
  const label = formatAt(localPath(path))
  const error = (code: ErrorCode, message: string, point: Finding['point'] = 'value'): Finding =>
    ({ severity: 'error', code, message, path, point })

  const params = (issue.code === 'custom' ? issue.params ?? {} : {}) as Partial<RulesIssueParams>
  if (value === undefined && path.length > 0 && params.rulesCode !== 'RULES_UNKNOWN_KEY') {
    // a required key left out: whatever its schema (a literal, a custom check) says about "nothing"
    const key = String(path[path.length - 1])
    return error('RULES_MISSING_KEY', `missing required key ${JSON.stringify(key)}${MISSING_HINT[formatAt(path)] ?? ''}`, 'parent')
  }
  if (issue.code === 'custom') {
    if (params.rulesCode === 'RULES_UNKNOWN_KEY') {
      const key = String(path[path.length - 1])
      const known = params.known ?? []
      return error('RULES_UNKNOWN_KEY', `unknown key ${JSON.stringify(key)} (known: ${known.join(', ')})${didYouMean(key, known)}`, 'key')
    }
    return error(params.rulesCode ?? 'RULES_INVALID_VALUE', prefixed(label, issue.message), params.point ?? 'value')
  }
  if (path.length === 0 && (value === undefined || value === null)) {
    return error('RULES_MISSING_KEY', 'the rules file is empty; it needs at least version, upstreams and serve')
  }
  return error('RULES_INVALID_VALUE', prefixed(label, genericMessage(issue, value)))
}

function genericMessage (issue: z.core.$ZodIssue, value: unknown): string {
  const got = `got ${describeValue(value)}`
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, ${got}`
    case 'invalid_value':
      return `expected ${issue.values.map(v => JSON.stringify(v)).join(' or ')}, ${got}`
    case 'too_small':
      if (issue.origin === 'array') return 'must list at least one item'
      if (issue.origin === 'string') return 'must not be empty'
      return `must be ${issue.inclusive === true ? 'at least' : 'more than'} ${String(issue.minimum)}, ${got}`
    case 'too_big':
      return `must be ${issue.inclusive === true ? 'at most' : 'less than'} ${String(issue.maximum)}, ${got}`
    default:
      return issue.message
  }
}

/** Inside a route, the place relative to the route (the route is named apart). */
function localPath (path: readonly PathKey[]): readonly PathKey[] {
  return path[0] === 'routes' && typeof path[1] === 'number' ? path.slice(2) : path
}

function prefixed (label: string, message: string): string {
  return label === '' ? message : `${label}: ${message}`
}
