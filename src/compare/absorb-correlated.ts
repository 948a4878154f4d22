/**
 * Differences explained by learned correlation: where the shadow's value is
 * the learned pair of the primary's (its own token for the same login, its
 * own id for the same created resource), the sides agree. Such a difference
 * is no difference; the record only counts it (`correlated`).
 *
 * A value is explained when the learned pair of the whole value is the
 * shadow's value, or, for strings, when replacing each learned token in it (a
 * path segment, a query value, a word: split at / ? & = , ; : # and white
 * space) gives the shadow's string exactly (`/articles/P` vs `/articles/S`,
 * `Token P` vs `Token S`).
 */
import type { Difference, JsonValue } from '../store/difference.js'
import type { LearnedValue } from './learn-pairs.js'

/** The learned shadow value of a primary value, given in its string form; undefined when none. */
export type CorrelationLookup = (primary: string) => LearnedValue | undefined

export interface Absorbed<D extends Difference> {
  /** the differences correlation does not explain */
  readonly kept: D[]
  /** how many it explained */
  readonly correlated: number
}

const TOKEN_SPLIT = /([/?&=,;:#\s]+)/

/** true when learned correlation turns `primary` into `shadow` */
export function correlatedValues (primary: JsonValue | undefined, shadow: JsonValue | undefined, lookup: CorrelationLookup): boolean {
  if ((typeof primary !== 'string' && typeof primary !== 'number') || (typeof shadow !== 'string' && typeof shadow !== 'number')) return false
  const whole = lookup(String(primary))
  if (whole !== undefined) return whole === shadow
  if (typeof primary !== 'string' || typeof shadow !== 'string') return false
  const parts = primary.split(TOKEN_SPLIT)
  if (parts.length === 1) return false
  let replaced = false
  for (let i = 0; i < parts.length; i += 2) {
    const to = lookup(parts[i]!)
    if (to !== undefined) { parts[i] = String(to); replaced = true }
  }
  return replaced && parts.join('') === shadow
}

/** Split differences into those learned correlation explains (counted) and the rest (kept). */
export function absorbCorrelated<D extends Difference> (differences: readonly D[], lookup: CorrelationLookup): Absorbed<D> {
  let kept: D[] | null = null
  for (let i = 0; i < differences.length; i++) {
    const d = differences[i]!
    let explained = false
    if (d.kind === 'changed' || d.kind === 'header') explained = correlatedValues(d.primary, d.shadow, lookup)
    else if (d.kind === 'type') explained = correlatedValues(d.primaryValue, d.shadowValue, lookup)
    if (explained) kept ??= differences.slice(0, i)
    else kept?.push(d)
  }
  return kept === null ? { kept: [...differences], correlated: 0 } : { kept, correlated: differences.length - kept.length }
}
