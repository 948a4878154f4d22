/**
 * A raw query string (`?a=1&b=x+y`, the `?` optional) read as a form
 * (application/x-www-form-urlencoded): pairs split on `&`, name and value on
 * the first `=`, `+` read as a space, then percent-decoded. A value that is
 * not valid percent-encoding (`%zz`, a lone `%E2`) is kept as `null`: the
 * parameter is present, but its value equals nothing. A name that cannot be
 * decoded is left out. Nothing here throws.
 *
 * Values are listed in the order sent: `?beta=0&beta=1` gives beta → ['0', '1'];
 * `?beta` and `?beta=` both give beta → [''].
 */
export function parseQuery (raw: string): ReadonlyMap<string, ReadonlyArray<string | null>> {
  const out = new Map<string, Array<string | null>>()
  let start = raw.charCodeAt(0) === 63 /* ? */ ? 1 : 0
  while (start < raw.length) {
    let end = raw.indexOf('&', start)
    if (end === -1) end = raw.length
    if (end > start) {
      const eq = raw.indexOf('=', start)
      const hasValue = eq !== -1 && eq < end
      const name = decodeFormPart(raw.slice(start, hasValue ? eq : end))
      if (name !== null) {
        const value = hasValue ? decodeFormPart(raw.slice(eq + 1, end)) : ''
        const list = out.get(name)
        if (list === undefined) out.set(name, [value])
        else list.push(value)
      }
    }
    start = end + 1
  }
  return out
}

/** `+` as a space, then percent-decoding; null when the escapes are malformed or not UTF-8. */
function decodeFormPart (s: string): string | null {
  const spaced = s.indexOf('+') === -1 ? s : s.replace(/\+/g, ' ')
  if (spaced.indexOf('%') === -1) return spaced
  try {
    return decodeURIComponent(spaced)
  } catch {
    return null
  }
}
