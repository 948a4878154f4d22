import type { RouteConfig, Rules } from '../config/types.js'
import type { SkipReason } from '../store/record.js'

/** What a mirror reads of the primary request (the proxy's per-request state is one such object). */
export interface MirrorSource {
  /** the rules snapshot this request runs on to its end */
  readonly rules: Rules
  readonly route: RouteConfig | null
  readonly method: string
  /** normalized path, as matched */
  readonly path: string
  /** '?…' as the client sent it, or '' */
  readonly query: string
  /** upstream picked by the route */
  readonly serving: string
  /** upstream that actually answered (differs after a fallback) */
  readonly answeredBy: string
  readonly started: number
  /** the client's headers as forwarded (forwardHeaderList), built once per request; no upstream's `headers:` edit in it */
  readonly headers: string[]
  /** the client declared a body (content-length above 0, or chunked) */
  readonly bodyDeclared: boolean
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
