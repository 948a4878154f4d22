import type { RouteConfig, ShadowPolicy } from '../config/types.js'

const READS = new Set(['GET', 'HEAD'])

/**
 * Whether a request is mirrored (DESIGN "Request flow" 4): the route has a
 * shadow, the method is a read (or shadowWrites is on), the request did not
 * already go to the shadow upstream, and the sample hits.
 */
export function shadowTarget (route: RouteConfig, method: string, serving: string, policy: ShadowPolicy, random: () => number = Math.random): string | null {
  const target = route.shadow
  if (target === null) return null
  if (!route.shadowWrites && !READS.has(method)) return null
  if (target === serving) return null
  if (policy.sample < 1 && random() >= policy.sample) return null
  return target
}
