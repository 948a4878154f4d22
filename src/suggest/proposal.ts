/**
 * What `strangler suggest` proposes for a route's `compare` settings, each
 * proposal with the evidence it rests on. Data, rendered by
 * render-suggestions.ts and written by write-suggestions.ts.
 */
import type { AcceptRule, JsonValue } from '../config/types.js'

/** One pair that shows it: the record id and the two values there (a side left out: absent). */
export interface Example {
  readonly id: string
  /** the difference's path (record form) */
  readonly path: string
  readonly primary?: JsonValue
  readonly shadow?: JsonValue
}

export interface Evidence {
  /** the pairs that show it */
  readonly pairs: number
  /** out of how many: compared pairs of the route, or for `accept` and `unordered` the pairs with a difference there */
  readonly of: number
  /** pairs ÷ of, 0..1 */
  readonly share: number
  /** why, in words: "values look generated (uuid)" */
  readonly why: string
  /** up to 3 */
  readonly examples: readonly Example[]
}

export type Proposal =
  | { readonly kind: 'ignore'; readonly path: string; readonly reason: 'generated' | 'noise'; readonly evidence: Evidence }
  | { readonly kind: 'typeOnly'; readonly path: string; readonly evidence: Evidence }
  | { readonly kind: 'unordered'; readonly path: string; readonly evidence: Evidence }
  /** the paths whose float noise it absorbs */
  | { readonly kind: 'tolerance'; readonly value: number; readonly paths: readonly string[]; readonly evidence: Evidence }
  /** a question: written only with `--accept` */
  | { readonly kind: 'accept'; readonly rule: AcceptRule; readonly evidence: Evidence }

export type ProposalKind = Proposal['kind']

/** The proposals for one route of the rules file. */
export interface RouteSuggestions {
  readonly route: string
  /** its position in the file's `routes` (routes[i]) */
  readonly index: number
  /** compared pairs (match or mismatch) in the store */
  readonly compared: number
  /** of those, kept whole (`shadow.keepPairs`): only these can show `unordered` and are re-compared */
  readonly keptPairs: number
  readonly proposals: readonly Proposal[]
}
