import type { UpstreamConfig } from '../config/types.js'
import { HOST_SLOT, hostOf, SHADOW_HEADER } from '../upstream/forward-headers.js'
import { appendSetHeaders, keepClientHeaders } from '../upstream/edit-headers.js'

/**
 * The mirror's request headers, built from the client's headers as
 * forwarded (`base`, never the primary's edited list), in this order:
 *  1. the client's headers, less those the shadow upstream's `headers:`
 *     sets or removes;
 *  2. learned correlation's substitutions (correlate-mirror.ts), when
 *     there are any: after the removals, before the set headers, so a set
 *     header is never rewritten;
 *  3. the shadow upstream's `headers.set`;
 *  4. the shadow's host, and the x-strangler-shadow marker.
 * A new list: `base` is left as it is.
 */
export function mirrorHeaders (base: readonly string[], upstream: UpstreamConfig): string[] {
  return finishMirrorHeaders(mirrorClientHeaders(base, upstream), upstream)
}

/** Step 1: the client's headers, less those the shadow upstream sets or removes (a new list). */
export function mirrorClientHeaders (base: readonly string[], upstream: UpstreamConfig): string[] {
  return upstream.headers === null ? base.slice() : keepClientHeaders(base, upstream.headers)
}

/** Steps 3 and 4, on the list step 1 gave (and step 2 rewrote). */
export function finishMirrorHeaders (headers: string[], upstream: UpstreamConfig): string[] {
  if (upstream.headers !== null) appendSetHeaders(headers, upstream.headers)
  headers[HOST_SLOT] = hostOf(upstream.origin)
  headers.push(SHADOW_HEADER, '1')
  return headers
}
