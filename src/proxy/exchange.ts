import type { FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type { RouteConfig, Rules } from '../config/types.js'
import type { SkipReason } from '../store/record.js'

/** What reply-from hands onResponse for an undici response. */
export interface UpstreamResponse {
  readonly statusCode: number
  readonly headers: IncomingHttpHeaders
  readonly stream: Readable
}

/** Per-request state, one object, attached to the fastify request. */
export interface ExchangeState {
  readonly request: FastifyRequest
  readonly reply: FastifyReply
  /** the rules snapshot this request runs on to its end */
  readonly rules: Rules
  readonly route: RouteConfig | null
  readonly routeName: string
  readonly method: string
  /** normalized path, as matched */
  readonly path: string
  /** '?…' as the client sent it, or '' */
  readonly query: string
  /** upstream picked by the route */
  readonly serving: string
  /** upstream that actually answered (differs after a fallback) */
  answeredBy: string
  readonly started: number
  /** the request body, when it was buffered (shadow or fallback replay) */
  body: Buffer | null
  fallbackFrom: string | null
  fallbackReason: string | null
  /** the forward in progress: a fallback already (no second one) */
  isFallback: boolean
  /** whether a failure of the forward in progress may go to the route's fallback */
  canFallback: boolean
  /** the mirrored exchange of this request, or null */
  shadowing: ShadowExchange | null
}

/** One mirrored exchange, from the decision to shadow to its record. */
export interface ShadowExchange {
  /** true when the request has a body the mirror must carry */
  readonly wantsBody: boolean
  readonly maxBodyBytes: number
  /** send the mirror now, with the buffered body (or none) */
  start (body: Buffer | null): void
  /** give up before sending: the pair is recorded as skipped */
  cancel (reason: SkipReason): void
  /** the primary answered and its body is piped to the client: keep a copy of it beside the pipe */
  primaryResponse (upstream: string, res: UpstreamResponse): void
  /** the primary failed: the proxy answers an error; the pair is not compared */
  primaryFailed (upstream: string, code: string): void
}

export interface ShadowHook {
  /** null when this request is not mirrored (not eligible, not sampled, or over the concurrency limit) */
  begin (st: ExchangeState): ShadowExchange | null
}

declare module 'fastify' {
  interface FastifyRequest {
    strangler: ExchangeState | null
  }
}
