import { isMapping } from './finding.js'

/** The upstreams a raw route sends to, each once: served (weights too), mirrored, fallback. */
export function routeTargets (route: Record<string, unknown>): string[] {
  const out: string[] = []
  const serve = route['serve']
  if (typeof serve === 'string') out.push(serve)
  else if (isMapping(serve)) out.push(...Object.keys(serve))
  if (typeof route['shadow'] === 'string') out.push(route['shadow'])
  const fallback = route['fallback']
  if (typeof fallback === 'string') out.push(fallback)
  else if (isMapping(fallback) && typeof fallback['upstream'] === 'string') out.push(fallback['upstream'])
  return [...new Set(out)]
}
