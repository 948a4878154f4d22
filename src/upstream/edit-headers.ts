import type { HeaderEdit } from '../config/types.js'

/**
 * The client's headers as forwarded (forwardHeaderList's list), less every
 * copy of the names an upstream's `headers:` sets or removes, matched
 * case-insensitively: a new list, `host` still in its slot (never edited).
 * Only names of a dropped name's length are lower-cased.
 */
export function keepClientHeaders (base: readonly string[], edit: HeaderEdit): string[] {
  const out: string[] = []
  const { drop, dropLengths } = edit
  for (let i = 0; i < base.length; i += 2) {
    const name = base[i]!
    if (dropLengths.has(name.length) && drop.has(name.toLowerCase())) continue
    out.push(name, base[i + 1]!)
  }
  return out
}

/** Append the upstream's `set` headers to a list (keepClientHeaders has dropped the client's copies). */
export function appendSetHeaders (list: string[], edit: HeaderEdit): string[] {
  const set = edit.set
  for (let i = 0; i < set.length; i++) list.push(set[i]!)
  return list
}

/** The headers for a request to an upstream with a `headers:` edit: the client's, edited. */
export function editHeaders (base: readonly string[], edit: HeaderEdit): string[] {
  return appendSetHeaders(keepClientHeaders(base, edit), edit)
}
