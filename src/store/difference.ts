/**
 * A difference between the primary and the shadow response: data, keyed by
 * JSON path, never a string. `path` uses the record form of DESIGN.md:
 * `$`, `$.items[3].price`, `$['odd key']`. For `status` the path is `$status`,
 * for headers `$headers['content-type']`.
 */
import type { JsonValue } from '../config/types.js'

export type { JsonValue }

/**
 * `accepted`: a `compare.accept` rule names the difference; `noise`: noise
 * calibration saw the primary's own answers differ at its path. Either way it
 * is kept in the record and not counted.
 */
interface Acceptable { readonly accepted?: true; readonly noise?: true }

export type Difference =
  | { readonly kind: 'status'; readonly path: '$status'; readonly primary: number; readonly shadow: number } & Acceptable
  | { readonly kind: 'header'; readonly path: string; readonly header: string; readonly primary: string | null; readonly shadow: string | null } & Acceptable
  /** same JSON type on both sides, different value (numbers beyond tolerance, strings, booleans) */
  | { readonly kind: 'changed'; readonly path: string; readonly primary: JsonValue; readonly shadow: JsonValue } & Acceptable
  /** present only in the shadow */
  | { readonly kind: 'added'; readonly path: string; readonly shadow: JsonValue } & Acceptable
  /** present only in the primary */
  | { readonly kind: 'removed'; readonly path: string; readonly primary: JsonValue } & Acceptable
  /**
   * different JSON types, or JSON on one side and not on the other; `primary`
   * and `shadow` name the types; when both sides are scalars their values are
   * kept too (`primaryValue`, `shadowValue`: an integer id against a UUID)
   */
  | { readonly kind: 'type'; readonly path: string; readonly primary: string; readonly shadow: string; readonly primaryValue?: JsonValue; readonly shadowValue?: JsonValue } & Acceptable
  /** a non-JSON body differs: text or bytes; values are short descriptions (length, sha256, excerpt) */
  | { readonly kind: 'body'; readonly path: '$body'; readonly primary: string; readonly shadow: string } & Acceptable
  /**
   * A response breaks the OpenAPI schema of its operation (or answers a status
   * it does not declare, path `$status`): a finding about one side, stored in
   * the record's `contract` list, never among the differences that decide the outcome.
   */
  | { readonly kind: 'contract'; readonly path: string; readonly side: 'primary' | 'shadow'; readonly schemaPath: string; readonly message: string }

/** A difference between the two answers: every kind but `contract`. */
export type PairDifference = Exclude<Difference, { kind: 'contract' }>

/** A contract finding about one side. */
export type ContractFinding = Extract<Difference, { kind: 'contract' }>

export type DifferenceKind = Difference['kind']

export const DIFFERENCE_KINDS: readonly DifferenceKind[] = ['status', 'header', 'changed', 'added', 'removed', 'type', 'body', 'contract']
