/**
 * The value test of `compare.accept`: a rule's side equals a difference's side
 * by deep JSON equality (`null` is a value); a side the rule leaves out stands
 * for a value absent on that side.
 */
import type { JsonValue } from '../store/difference.js'

/** What an accept rule says about the two sides (undefined: absent). */
export interface AcceptValues {
  readonly primary?: JsonValue
  readonly shadow?: JsonValue
}

/** Deep equality of two JSON values; object key order does not matter. */
export function jsonEqual (a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i]!, b[i]!)) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) if (!Object.hasOwn(b, k) || !jsonEqual(a[k]!, b[k]!)) return false
  return true
}

/** True when the rule's side (undefined: absent) equals the actual side (undefined: absent). */
export function sideEquals (expected: JsonValue | undefined, actual: JsonValue | undefined): boolean {
  if (expected === undefined || actual === undefined) return expected === actual
  return jsonEqual(expected, actual)
}

/** True when one of the rules names exactly this pair of values. */
export function acceptsValues (rules: readonly AcceptValues[], primary: JsonValue | undefined, shadow: JsonValue | undefined): boolean {
  for (const r of rules) {
    if (sideEquals(r.primary, primary) && sideEquals(r.shadow, shadow)) return true
  }
  return false
}
