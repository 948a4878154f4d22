/**
 * Checks of a route's `transform` that need the rest of the route: each key
 * names an upstream the route sends to (served, weighted, mirrored or fallback),
 * and a request path template uses only the match's params (and `{**}` only
 * under a match ending in `/**`). Works on the raw document, like validate.ts.
 */
import { isMapping, type Finding } from './finding.js'
import { parsePathPattern } from './path-pattern.js'
import { didYouMean } from './suggest.js'
import { routeTargets } from './route-targets.js'

export function checkTransformReferences (route: Record<string, unknown>, index: number): Finding[] {
  const transform = route['transform']
  if (!isMapping(transform)) return []
  const findings: Finding[] = []
  const sends = routeTargets(route)
  const params = paramsOf(route)
  for (const [name, t] of Object.entries(transform)) {
    if (!sends.includes(name)) {
      findings.push({
        severity: 'error',
        code: 'RULES_UNKNOWN_UPSTREAM',
        message: `transform ${JSON.stringify(name)}: this route sends nothing to that upstream (it sends to ${sends.join(', ') || 'none'}); a transform is keyed by an upstream the route serves, shadows or falls back to${didYouMean(name, sends)}`,
        path: ['routes', index, 'transform', name],
        point: 'key'
      })
    }
    const path = isMapping(t) && isMapping(t['request']) ? t['request']['path'] : undefined
    if (typeof path !== 'string' || params === null) continue
    for (const m of path.matchAll(/\{([^}]*)\}/g)) {
      const p = m[1]!
      const problem = p === '**'
        ? (params.prefix ? null : `{**} stands for the rest of the path under a match ending in /**, and match.path ${JSON.stringify(params.source)} has none`)
        : (params.names.includes(p) ? null : `{${p}} is not a param of match.path ${JSON.stringify(params.source)}${params.names.length > 0 ? ` (its params: ${params.names.map((n) => `{${n}}`).join(', ')})` : ' (it has none)'}`)
      if (problem !== null) {
        findings.push({ severity: 'error', code: 'RULES_INVALID_VALUE', message: `transform ${JSON.stringify(name)} request path: ${problem}`, path: ['routes', index, 'transform', name, 'request', 'path'], point: 'value' })
      }
    }
  }
  return findings
}

function paramsOf (route: Record<string, unknown>): { source: string; names: string[]; prefix: boolean } | null {
  const match = route['match']
  if (!isMapping(match) || typeof match['path'] !== 'string') return null
  try {
    const p = parsePathPattern(match['path'])
    const names = p.segments.flatMap((s) => s.kind === 'param' ? [s.name] : s.kind === 'mixed' ? [...s.names] : [])
    return { source: p.source, names, prefix: p.prefix }
  } catch {
    return null // the schema reports a bad pattern
  }
}
