import type { RouteConfig } from '../config/types.js'

/** The path forwarded upstream: the route's stripPrefix removed (both sides), never empty. */
export function rewritePath (route: RouteConfig | null, path: string): string {
  let strip = route?.rewrite.stripPrefix ?? null
  if (strip === null || strip === '/') return path
  if (strip.endsWith('/')) strip = strip.slice(0, -1)
  if (path === strip) return '/'
  if (path.startsWith(strip) && path.charCodeAt(strip.length) === 47) return path.slice(strip.length)
  return path
}
