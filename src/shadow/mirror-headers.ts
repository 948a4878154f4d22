import type { UpstreamConfig } from '../config/types.js'
import { HOST_SLOT, hostOf, SHADOW_HEADER } from '../upstream/forward-headers.js'
import { appendSetHeaders, keepClientHeaders } from '../upstream/edit-headers.js'

/**
 * The mirror's request headers, built from the client's headers as
 * forwarded (`base`, never the primary's edited list), in this order:
 *  1. the client's headers, less those the shadow upstream's `headers:`
 *     sets or removes;
 *  2. (the place for rewrites of the client's values, such as learned
 *     correlation: after the removals, before the set headers, so a set
 *     header is never rewritten);
 *  3. the shadow upstream's `headers.set`;
 *  4. the shadow's host, and the x-strangler-shadow marker.
 * A new list: `base` is left as it is.
 */
export function mirrorHeaders (base: readonly string[], upstream: UpstreamConfig): string[] {
  const edit = upstream.headers
  const headers = edit === null ? base.slice() : keepClientHeaders(base, edit)
  if (edit !== null) appendSetHeaders(headers, edit)
  headers[HOST_SLOT] = hostOf(upstream.origin)
  headers.push(SHADOW_HEADER, '1')
  return headers
}
