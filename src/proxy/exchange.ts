import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import type { RouteConfig, Rules } from '../config/types.js'
import type { SkipReason } from '../store/record.js'
import type { ResponseRelay } from './response-relay.js'

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
  /** the request body, when it streams through (not buffered) */
  stream: Readable | null
  /** headers to send upstream (forwardHeaderList), built once per request */
  readonly headers: string[]
  /** the client declared a body (content-length above 0, or chunked) */
  readonly bodyDeclared: boolean
  /** the forward in progress (the fallback's after a fallback) */
  relay: ResponseRelay | null
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
  /** the primary answered: its status and headers (flat list) went to the client */
  primaryResponse (upstream: string, status: number, headers: readonly string[]): void
  /** a chunk of the primary's body, as it goes to the client */
  primaryData (chunk: Buffer): void
  /** the primary's body is complete */
  primaryEnd (): void
  /** the primary broke off, or the client went away, before the body was complete */
  primaryAborted (): void
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
