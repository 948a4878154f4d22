import type { CompareConfig, RedactConfig } from './types.js'
import type { RawCompare, RawRedact } from './schema.js'

/** Headers always redacted, whatever the file says. */
export const ALWAYS_REDACTED: readonly string[] = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization']

const union = (...lists: (readonly string[] | undefined)[]): string[] => [...new Set(lists.flatMap(l => l ?? []))]

/** Global compare with a route's: lists appended (deduplicated), tolerance replaced when the route sets it. */
export function mergeCompare (global: RawCompare | undefined, route: RawCompare | undefined): CompareConfig {
  return {
    headers: union(global?.headers, route?.headers),
    ignore: union(global?.ignore, route?.ignore),
    unordered: union(global?.unordered, route?.unordered),
    tolerance: route?.tolerance ?? global?.tolerance ?? 0
  }
}

/**
 * Global redact with a route's; the always-redacted headers first, then
 * `setHeaders`: those its upstreams' `headers.set` gives.
 */
export function mergeRedact (global: RawRedact | undefined, route: RawRedact | undefined, setHeaders: readonly string[] = []): RedactConfig {
  return {
    headers: union(ALWAYS_REDACTED, global?.headers, route?.headers, setHeaders),
    paths: union(global?.paths, route?.paths)
  }
}
