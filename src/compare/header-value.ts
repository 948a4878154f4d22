/**
 * A header's value from a Node-style header record, looked up
 * case-insensitively; repeated values joined with ", ". null when absent.
 */
export function headerValue (headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | null {
  const lower = name.toLowerCase()
  let v: string | string[] | undefined
  if (Object.hasOwn(headers, lower)) {
    v = headers[lower]
  } else {
    // a for-in over the keys, lengths compared first: no key array, and
    // toLowerCase only for a name of the same length
    for (const k in headers) {
      if (k.length === lower.length && k.toLowerCase() === lower) { v = headers[k]; break }
    }
  }
  if (v === undefined || v === null) return null
  return Array.isArray(v) ? v.join(', ') : String(v)
}
