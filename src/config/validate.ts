/**
 * Checks that need the whole document, after the schema: upstream names referenced
 * by serve, weights, shadow and fallback exist; route names are unique. Works on the
 * raw document so these are reported even when the schema found other errors.
 */
import { formatAt, isMapping, type Finding, type PathKey } from './finding.js'
import { didYouMean } from './suggest.js'
import { checkTransformReferences } from './transform-references.js'

export function checkReferences (raw: unknown): Finding[] {
  if (!isMapping(raw)) return []
  const findings: Finding[] = []
  if (isMapping(raw['upstreams'])) {
    const known = Object.keys(raw['upstreams'])
    const ref = (path: readonly PathKey[], name: unknown, point: Finding['point'] = 'value'): void => {
      if (typeof name !== 'string' || name === '' || known.includes(name)) return
      findings.push(unknownUpstream(path, name, known, point))
    }
    ref(['serve'], raw['serve'])
    forEachRoute(raw, (route, i) => {
      const at = (...rest: PathKey[]): PathKey[] => ['routes', i, ...rest]
      if (isMapping(route['serve'])) {
        for (const name of Object.keys(route['serve'])) ref(at('serve', name), name, 'key')
      } else {
        ref(at('serve'), route['serve'])
      }
      ref(at('shadow'), route['shadow'])
      const fallback = route['fallback']
      if (isMapping(fallback)) ref(at('fallback', 'upstream'), fallback['upstream'])
      else ref(at('fallback'), fallback)
      const rollout = route['rollout']
      if (isMapping(rollout)) ref(at('rollout', 'to'), rollout['to'])
    })
  }
  forEachRoute(raw, (route, i) => { findings.push(...checkTransformReferences(route, i)) })
  findings.push(...duplicateNames(raw))
  findings.push(...correlateReferences(raw))
  return findings
}

/** `correlate` entries: unique names, and `routes` that name routes of the file. */
function correlateReferences (raw: Record<string, unknown>): Finding[] {
  const entries = raw['correlate']
  if (!Array.isArray(entries)) return []
  const routes: string[] = []
  forEachRoute(raw, (route) => { if (typeof route['name'] === 'string') routes.push(route['name']) })
  const findings: Finding[] = []
  const seen = new Set<string>()
  entries.forEach((entry, i) => {
    if (!isMapping(entry)) return
    const name = entry['name']
    if (typeof name === 'string') {
      if (seen.has(name)) findings.push({ severity: 'error', code: 'RULES_INVALID_VALUE', message: `correlate name ${JSON.stringify(name)} is used twice; names must be unique`, path: ['correlate', i, 'name'], point: 'value' })
      seen.add(name)
    }
    const listed = entry['routes']
    if (!Array.isArray(listed)) return
    listed.forEach((r, j) => {
      if (typeof r !== 'string' || r === '' || routes.includes(r)) return
      findings.push({
        severity: 'error',
        code: 'RULES_UNKNOWN_ROUTE',
        message: `correlate ${typeof name === 'string' ? JSON.stringify(name) + ' ' : ''}learns from route ${JSON.stringify(r)}, which is not a route of this file${didYouMean(r, routes)}`,
        path: ['correlate', i, 'routes', j],
        point: 'value'
      })
    })
  })
  return findings
}

function unknownUpstream (path: readonly PathKey[], name: string, known: readonly string[], point: Finding['point']): Finding {
  const inRoute = path[0] === 'routes'
  const label = formatAt(inRoute ? path.slice(2) : path)
  const where = point === 'key' ? 'serve' : label
  const list = known.length === 0 ? 'none are defined' : `known: ${known.join(', ')}`
  return {
    severity: 'error',
    code: 'RULES_UNKNOWN_UPSTREAM',
    message: `${where} names upstream ${JSON.stringify(name)} which is not under upstreams (${list})${didYouMean(name, known)}`,
    path,
    point
  }
}

function duplicateNames (raw: Record<string, unknown>): Finding[] {
  const first = new Map<string, number>()
  const findings: Finding[] = []
  forEachRoute(raw, (route, i) => {
    const name = route['name']
    if (typeof name !== 'string') return
    const earlier = first.get(name)
    if (earlier === undefined) { first.set(name, i); return }
    findings.push({
      severity: 'error',
      code: 'RULES_DUPLICATE_ROUTE',
      message: `route name ${JSON.stringify(name)} is already used by routes[${earlier}]; names must be unique`,
      path: ['routes', i, 'name'],
      point: 'value'
    })
  })
  return findings
}

export function forEachRoute (raw: Record<string, unknown>, fn: (route: Record<string, unknown>, index: number) => void): void {
  const routes = raw['routes']
  if (!Array.isArray(routes)) return
  routes.forEach((route, i) => { if (isMapping(route)) fn(route, i) })
}
