import type { IncomingHttpHeaders } from 'node:http'
import { stripHopByHop } from '../upstream/hop-by-hop.js'

export const SHADOW_HEADER = 'x-strangler-shadow'

/**
 * Headers sent upstream: the client's, less hop-by-hop ones (and those its
 * Connection header lists), less any x-strangler-shadow a client sent, plus
 * x-forwarded-for (appended), x-forwarded-proto and x-forwarded-host.
 * `headers` is a fresh copy owned by the caller and modified in place.
 */
export function forwardHeaders (headers: Record<string, unknown>, original: IncomingHttpHeaders, clientIp: string | undefined, proto: string): Record<string, unknown> {
  stripHopByHop(headers)
  if (headers[SHADOW_HEADER] !== undefined) delete headers[SHADOW_HEADER]
  const prior = original['x-forwarded-for']
  const ip = clientIp ?? ''
  headers['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${ip}` : ip
  headers['x-forwarded-proto'] = original['x-forwarded-proto'] ?? proto
  headers['x-forwarded-host'] = original['x-forwarded-host'] ?? original.host ?? ''
  return headers
}

/** Response headers sent to the client: hop-by-hop ones removed. */
export function responseHeaders (headers: Record<string, unknown>): Record<string, unknown> {
  stripHopByHop(headers)
  return headers
}
