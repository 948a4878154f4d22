import type { AcceptRule, CompareConfig, RedactConfig } from './types.js'
import type { RawCompare, RawRedact } from './schema.js'
import { DEFAULT_REDACTED_QUERY, squashName } from './sensitive-names.js'

type RawAccept = NonNullable<RawCompare['accept']>[number]

/** Headers always redacted, whatever the file says. */
export const ALWAYS_REDACTED: readonly string[] = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization']

const union = (...lists: (readonly string[] | undefined)[]): string[] => [...new Set(lists.flatMap(l => l ?? []))]

/** Global compare with a route's: lists (accept rules too) appended, deduplicated; tolerance replaced when the route sets it. */
export function mergeCompare (global: RawCompare | undefined, route: RawCompare | undefined): CompareConfig {
  return {
    headers: union(global?.headers, route?.headers),
    ignore: union(global?.ignore, route?.ignore),
    unordered: union(global?.unordered, route?.unordered),
    tolerance: route?.tolerance ?? global?.tolerance ?? 0,
    typeOnly: union(global?.typeOnly, route?.typeOnly),
    accept: acceptRules(global?.accept, route?.accept)
  }
}

/** Global accept rules, then the route's; a side left out stays left out (absent, not undefined). */
function acceptRules (...lists: (readonly RawAccept[] | undefined)[]): AcceptRule[] {
  const seen = new Set<string>()
  const out: AcceptRule[] = []
  for (const r of lists.flatMap(l => l ?? [])) {
    const rule: { path: string; primary?: AcceptRule['primary']; shadow?: AcceptRule['shadow'] } = { path: r.path }
    if (r.primary !== undefined) rule.primary = r.primary
    if (r.shadow !== undefined) rule.shadow = r.shadow
    const key = JSON.stringify(rule)
    if (!seen.has(key)) { seen.add(key); out.push(rule) }
  }
  return out
}

/**
 * Global redact with a route's; the always-redacted headers first, then
 * `setHeaders`: those its upstreams' `headers.set` gives. Query names start
 * with the defaults and are kept squashed (sensitive-names.ts).
 */
export function mergeRedact (global: RawRedact | undefined, route: RawRedact | undefined, setHeaders: readonly string[] = []): RedactConfig {
  return {
    headers: union(ALWAYS_REDACTED, global?.headers, route?.headers, setHeaders),
    paths: union(global?.paths, route?.paths),
    query: queryNames(global?.query, route?.query),
    keep: union(global?.keep, route?.keep)
  }
}

/** The default query names, squashed: one frozen list shared by every route that adds none. */
const DEFAULT_QUERY: readonly string[] = Object.freeze(union(DEFAULT_REDACTED_QUERY.map(squashName)))
/** per global `redact.query` list: its merge with the defaults, shared by the routes that add nothing */
const withGlobal = new WeakMap<readonly string[], readonly string[]>()

/** The defaults, then the global names, then the route's, squashed and deduplicated. */
function queryNames (global: readonly string[] | undefined, route: readonly string[] | undefined): readonly string[] {
  if (global === undefined || global.length === 0) {
    return route === undefined || route.length === 0 ? DEFAULT_QUERY : union(DEFAULT_QUERY, route.map(squashName))
  }
  let base = withGlobal.get(global)
  if (base === undefined) {
    base = Object.freeze(union(DEFAULT_QUERY, global.map(squashName)))
    withGlobal.set(global, base)
  }
  return route === undefined || route.length === 0 ? base : union(base, route.map(squashName))
}
