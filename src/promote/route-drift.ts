import { isDeepStrictEqual } from 'node:util'
import { parseRulesText } from '../config/yaml-text.js'
import type { AuditEntry } from '../store/audit-entry.js'
import { describeRouting } from './describe-routing.js'
import { findRouteNode } from './find-route-node.js'

type Obj = Record<string, unknown>

function routeData (text: string, route: string): Obj {
  const parsed = parseRulesText(text)
  const data = findRouteNode(parsed.doc, route, 'the rules file').toJS(parsed.doc) as unknown
  return typeof data === 'object' && data !== null ? data as Obj : {}
}

/**
 * How route `route` in `current` differs from what flip `entry` left: each
 * key edited since (other than `serve` and `shadow`, and `rollout` for a
 * rollout's entries, which the controller writes), then its routing when it
 * is not the flip's `to`. `restored` is `current` with the route's bytes
 * from before the flip put back; keys equal there and in `current` are
 * untouched since. Empty: rolling back loses nothing.
 */
export function routeDrift (current: string, restored: string, route: string, entry: AuditEntry): string[] {
  const now = routeData(current, route)
  const then = routeData(restored, route)
  const skip = new Set(['serve', 'shadow', ...(entry.action.startsWith('rollout') ? ['rollout'] : [])])
  const out: string[] = []
  for (const key of new Set([...Object.keys(then), ...Object.keys(now)])) {
    if (skip.has(key) || isDeepStrictEqual(now[key], then[key])) continue
    out.push(!(key in now) ? `${key} was removed` : !(key in then) ? `${key} was added` : `${key} was changed`)
  }
  const routing = {
    serve: typeof now['serve'] === 'string' || (typeof now['serve'] === 'object' && now['serve'] !== null) ? now['serve'] as AuditEntry['to']['serve'] : String(now['serve']),
    shadow: typeof now['shadow'] === 'string' ? now['shadow'] : null
  }
  if (!isDeepStrictEqual(routing.serve, entry.to.serve) || routing.shadow !== entry.to.shadow) {
    out.push(`it routes ${describeRouting(routing)} now; the ${entry.action} left ${describeRouting(entry.to)}`)
  }
  return out
}
