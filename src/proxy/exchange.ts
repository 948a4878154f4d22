import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import type { MirrorSource, ShadowExchange } from '../shadow/shadow-exchange.js'

/**
 * Per-request state, one object, attached to the fastify request. It is the
 * MirrorSource a ShadowHook reads (rules, route, method, path, query, serving,
 * answeredBy, started, headers, bodyDeclared) and the state of the forward.
 */
export interface ExchangeState extends MirrorSource {
  readonly request: FastifyRequest
  readonly reply: FastifyReply
  readonly routeName: string
  /** upstream that actually answered (differs after a fallback) */
  answeredBy: string
  /** ms from `started` to the response head of the forward in progress; -1 until it answers (and when the proxy answered for it) */
  headMs: number
  /** the request body, when it was buffered (shadow or fallback replay) */
  body: Buffer | null
  /** the request body, when it streams through (not buffered) */
  stream: Readable | null
  /** the forward in progress (the fallback's after a fallback): a ResponseRelay, told when the client goes away */
  relay: { clientClosed (): void } | null
  fallbackFrom: string | null
  fallbackReason: string | null
  /** the forward in progress: a fallback already (no second one) */
  isFallback: boolean
  /** whether a failure of the forward in progress may go to the route's fallback */
  canFallback: boolean
  /** the mirrored exchange of this request, or null */
  shadowing: ShadowExchange | null
  /**
   * headers the proxy adds to this request's answer, flat [name, value, …]
   * (a gateway duty's: RateLimit-*, x-cache); null when none. Sent to the
   * client only, never seen by the shadow's compare.
   */
  extraHeaders: string[] | null
}

/** The port through which the proxy mirrors a request (the shadow coordinator is given to it at start). */
export interface ShadowHook {
  /** null when this request is not mirrored (not eligible, not sampled, or over the concurrency limit) */
  begin (st: ExchangeState): ShadowExchange | null
}

declare module 'fastify' {
  interface FastifyRequest {
    strangler: ExchangeState | null
  }
}
