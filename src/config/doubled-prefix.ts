/**
 * The `RULES_DOUBLED_PREFIX` warning. The proxy forwards a route's path (less
 * its `rewrite.stripPrefix`) after the upstream url's base path. When that base
 * path ends with the segment the forwarded path starts with (url
 * `http://host/v1`, route `/v1/orders`), requests reach `/v1/v1/orders`: the
 * usual slip of giving the monolith's API root as its url while the routes
 * already carry it. One warning per upstream, counting its routes.
 */
import { isMapping, type Finding } from './finding.js'
import { routeTargets } from './route-targets.js'
import { parsePathPattern } from './path-pattern.js'
import { parseUpstreamUrl } from './url.js'
import { forEachRoute } from './validate.js'

export function doubledPrefixes (raw: Record<string, unknown>): Finding[] {
  const lastSegment = upstreamLastSegments(raw['upstreams'])
  if (lastSegment.size === 0) return []
  const hits = new Map<string, { count: number; first: string }>()
  forEachRoute(raw, (route, i) => {
    const first = forwardedFirstSegment(route)
    if (first === null) return
    for (const name of routeTargets(route)) {
      if (lastSegment.get(name) !== first) continue
      const hit = hits.get(name)
      if (hit === undefined) hits.set(name, { count: 1, first: typeof route['name'] === 'string' ? route['name'] : `routes[${i}]` })
      else hit.count++
    }
  })
  return [...hits].map(([name, hit]): Finding => {
    const seg = `/${lastSegment.get(name)!}`
    const routes = hit.count === 1 ? `route ${JSON.stringify(hit.first)} starts` : `${hit.count} routes (the first: ${JSON.stringify(hit.first)}) start`
    return {
      severity: 'warning',
      code: 'RULES_DOUBLED_PREFIX',
      message: `the url ends with ${seg} and the path of ${routes} with ${seg} too: requests are forwarded as ${seg}${seg}/…; drop ${seg} from the url (the routes already carry it), or strip it with rewrite.stripPrefix`,
      path: ['upstreams', name, 'url'],
      point: 'value'
    }
  })
}

/** upstream name -> the last segment of its url's base path, for those that have one. */
function upstreamLastSegments (upstreams: unknown): Map<string, string> {
  const out = new Map<string, string>()
  if (!isMapping(upstreams)) return out
  for (const [name, u] of Object.entries(upstreams)) {
    if (!isMapping(u) || typeof u['url'] !== 'string') continue
    try {
      const segs = parseUpstreamUrl(u['url']).basePath.split('/').filter(s => s !== '')
      if (segs.length > 0) out.set(name, segs[segs.length - 1]!)
    } catch {
      // a bad url is an error reported elsewhere
    }
  }
  return out
}

/** The static first segment of the path the route forwards (after stripPrefix), or null when unknown. */
function forwardedFirstSegment (route: Record<string, unknown>): string | null {
  const match = route['match']
  if (!isMapping(match) || typeof match['path'] !== 'string') return null
  let segments
  try {
    segments = parsePathPattern(match['path']).segments
  } catch {
    return null
  }
  const rewrite = route['rewrite']
  const strip = isMapping(rewrite) && typeof rewrite['stripPrefix'] === 'string' ? rewrite['stripPrefix'].split('/').filter(s => s !== '') : []
  // stripped only when the path starts with the prefix; unknown when a parameter stands there
  let stripped = strip.length
  for (let i = 0; i < strip.length && stripped > 0; i++) {
    const seg = segments[i]
    if (seg !== undefined && seg.kind !== 'static') return null
    if (seg === undefined || seg.value !== strip[i]) stripped = 0
  }
  const first = segments[stripped]
  return first !== undefined && first.kind === 'static' ? first.value : null
}
