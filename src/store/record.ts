import type { ContractFinding, Difference } from './difference.js'
import type { Stage } from '../config/types.js'

/** One side of a compared exchange, as stored. */
export interface SideSummary {
  readonly upstream: string
  /** null when the side failed before answering */
  readonly status: number | null
  /** time to the end of the body, milliseconds, one decimal */
  readonly ms: number
  /** body bytes received (as sent on the wire, before decoding) */
  readonly bytes: number
}

export type Outcome = 'match' | 'mismatch' | 'shadow-error' | 'skipped'

/** Reasons a pair was not compared. */
export type SkipReason =
  | 'too-large'          // a request or response body over shadow.maxBodyBytes
  | 'concurrency'        // shadow.maxConcurrent in-flight shadows reached
  | 'too-large-backoff'  // not mirrored: the route's shadow kept answering over maxBodyBytes (shadow/oversize-backoff)
  | 'primary-error'      // the primary failed, nothing to compare against
  | 'client-aborted'     // the client went away before the primary finished
  | 'compare-error'      // the comparison itself threw (a bug; logged)
  | 'compare-busy'       // the compare queue was full; the pair was dropped to protect the proxy

/**
 * One line of the store (NDJSON). DESIGN.md's record, plus optional fields:
 * `operation` (OpenAPI template), `skipped` (reason, when outcome is
 * `skipped`), `error` (when outcome is `shadow-error`), `stage`, `count`
 * (aggregated skip lines) and `contract` (with `serve --spec`: the contract
 * findings of each side, kind `contract` naming the `side`; they never make a
 * mismatch). A difference of `differences` flagged `accepted: true` was named
 * by `compare.accept`: kept, not counted (a pair whose differences are all
 * accepted is a `match`).
 */
export interface DiffRecord {
  readonly v: 1
  readonly id: string
  /** ISO time the request arrived */
  readonly at: string
  readonly route: string
  readonly method: string
  /** path and query as the client sent them, secrets in the query redacted */
  readonly url: string
  readonly operation?: string
  readonly primary: SideSummary
  readonly shadow: SideSummary
  readonly outcome: Outcome
  readonly differences: readonly Difference[]
  /** contract findings (`serve --spec`), left out when there are none */
  readonly contract?: readonly ContractFinding[]
  readonly error?: string
  readonly skipped?: SkipReason
  /** the route's stage when the record was written */
  readonly stage?: Stage
  /** for aggregated `skipped` records (concurrency): how many pairs this line stands for; 1 when absent */
  readonly count?: number
  /** differences learned correlation explained (not kept in `differences`); absent when none */
  readonly correlated?: number
  /** the pair was kept whole beside this record (`shadow.keepPairs`): `strangler show` and `report --rules` use it */
  readonly pair?: true
}
