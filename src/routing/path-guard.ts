/**
 * The request path check of DESIGN.md "Request flow" step 1. Rejects dot
 * segments (also percent-encoded, and with a `;` parameter, `..;`, which
 * Tomcat and Spring read as `..`), encoded slashes and backslashes, raw
 * backslashes and NUL; normalizes what is safe to normalize so that matching
 * and forwarding see one and the same path:
 * - percent-encoded unreserved characters are decoded (`%6Frders` -> `orders`),
 * - other percent-encodings get upper-case hex (`%c3%a9` -> `%C3%A9`),
 * - runs of slashes are merged (`/api//orders` -> `/api/orders`).
 *
 * Forms a backend may turn into a dot or a slash after this proxy matched
 * the path are flagged in `encoded` (the caller rejects them unless the
 * matched route has `allowEncodedPaths`): a double encoding (`%25` and two hex
 * digits: `%252e`, `%252f`, `%255c`), and Unicode characters whose NFKC form
 * makes a dot segment or adds a slash, backslash or percent sign (`%E2%80%A5`
 * two-dot leader, fullwidth `%EF%BC%8E` and `%EF%BC%8F`).
 */

export type PathCheck =
  | {
    readonly ok: true
    readonly path: string
    readonly query: string
    /** why the path is refused unless its route has allowEncodedPaths; null for a plain path */
    readonly encoded: string | null
  }
  | { readonly ok: false; readonly reason: string }

const HEX = '0123456789ABCDEF'

function hexVal (c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 65 && c <= 70) return c - 55
  if (c >= 97 && c <= 102) return c - 87
  return -1
}

function isUnreserved (c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ||
    c === 45 /* - */ || c === 46 /* . */ || c === 95 /* _ */ || c === 126 /* ~ */
}

/**
 * Fast check: a path of plain characters only (no '%', no '\\'), with no
 * empty and no dot segment, needs no work. Each repetition starts with '/',
 * so the pattern cannot backtrack badly.
 */
const SUB_DELIMS = "!$&'()*+,;=:@"

function isPchar (c: number): boolean {
  return isUnreserved(c) || (c < 128 && SUB_DELIMS.indexOf(String.fromCharCode(c)) !== -1)
}

function encodeChar (raw: string, i: number): string {
  const c = raw.charCodeAt(i)
  const ch = c >= 0xd800 && c <= 0xdbff ? raw.slice(i, i + 2) : raw[i]!
  try {
    return encodeURIComponent(ch)
  } catch {
    return '%EF%BF%BD'
  }
}

const PLAIN = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@]*)+$/
/** a segment that is, or starts as, a dot segment: `/./`, `/../`, `/..;x/` (the slow path decides) */
const DOT_SEGMENT = /\/\.\.?(?:[/;]|$)/
/** `%25` followed by two hex digits: decoded once more by some backends (`%252e` -> `%2e` -> `.`) */
const DOUBLE_ENCODED = /%25[0-9A-Fa-f]{2}/
/**
 * Every character whose NFKC form holds a `.`, `/`, `\`, `%` or `;` (44 in
 * all of Unicode; test/routing/lookalike-characters.test.ts scans every code
 * point to keep this list whole): a path without one needs no NFKC check.
 */
export const LOOKALIKE_CHARACTERS = /[\u037e\u2024-\u2026\u2100\u2101\u2105\u2106\u2488-\u249b\u33c2\u33c7\u33d8\ufe14\ufe19\ufe30\ufe52\ufe54\ufe68\ufe6a\uff05\uff0e\uff0f\uff1b\uff3c\u{1f100}]/u

/** A segment that is `.` or `..` once a `;` parameter (raw or `%3B`) is cut off. */
function isDotSegment (segment: string): boolean {
  if (segment.charCodeAt(0) !== 46) return false
  let end = segment.length
  const semi = segment.indexOf(';')
  if (semi !== -1) end = semi
  const encodedSemi = segment.indexOf('%3B')
  if (encodedSemi !== -1 && encodedSemi < end) end = encodedSemi
  return end === 1 || (end === 2 && segment.charCodeAt(1) === 46)
}

function count (s: string, ch: string): number {
  let n = 0
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++
  return n
}

/**
 * Whether NFKC normalization (which some frameworks and file systems apply)
 * turns lookalikes in a decoded path into a dot segment, or adds a slash,
 * backslash or percent sign.
 */
function lookalike (decoded: string): string | null {
  const folded = decoded.normalize('NFKC')
  if (folded === decoded) return null
  for (const ch of ['/', '\\', '%']) {
    if (count(folded, ch) > count(decoded, ch)) return `a Unicode character in the path reads as "${ch}" once normalized (NFKC)`
  }
  for (const segment of folded.split('/')) {
    if (isDotSegment(segment)) return 'a Unicode character in the path reads as a dot segment once normalized (NFKC)'
  }
  return null
}

export function checkRequestPath (rawUrl: string): PathCheck {
  const q = rawUrl.indexOf('?')
  const raw = q === -1 ? rawUrl : rawUrl.slice(0, q)
  const query = q === -1 ? '' : rawUrl.slice(q)
  if (raw.length === 0 || raw.charCodeAt(0) !== 47) {
    return { ok: false, reason: 'the path must start with /' }
  }
  if (PLAIN.test(raw) && raw.indexOf('//') === -1 && !DOT_SEGMENT.test(raw)) return { ok: true, path: raw, query, encoded: null }

  let out = ''
  let segment = ''
  const flush = (): PathCheck | null => {
    if (isDotSegment(segment)) {
      return { ok: false, reason: `dot segment "${segment}" in the path` }
    }
    return null
  }
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 92) return { ok: false, reason: 'backslash in the path' }
    if (c === 0) return { ok: false, reason: 'NUL in the path' }
    if (c === 47) {
      const bad = flush()
      if (bad) return bad
      // merge runs of '/'
      if (out.length === 0 || out.charCodeAt(out.length - 1) !== 47) out += '/'
      segment = ''
      continue
    }
    if (c === 37) {
      const h = hexVal(raw.charCodeAt(i + 1))
      const l = hexVal(raw.charCodeAt(i + 2))
      if (h < 0 || l < 0) return { ok: false, reason: 'malformed percent-encoding in the path' }
      const byte = h * 16 + l
      if (byte === 0) return { ok: false, reason: 'encoded NUL (%00) in the path' }
      if (byte === 47) return { ok: false, reason: 'encoded slash (%2F) in the path' }
      if (byte === 92) return { ok: false, reason: 'encoded backslash (%5C) in the path' }
      if (isUnreserved(byte)) {
        const ch = String.fromCharCode(byte)
        out += ch
        segment += ch
      } else {
        const enc = '%' + HEX[h] + HEX[l]
        out += enc
        segment += enc
      }
      i += 2
      continue
    }
    // a character outside RFC 3986 pchar is percent-encoded, as the URL
    // parser would do when forwarding: match what is forwarded
    const ch = isPchar(c) ? raw[i]! : encodeChar(raw, i)
    if (ch.length > 1 && c >= 0xd800 && c <= 0xdbff) i++
    out += ch
    segment += ch
  }
  const bad = flush()
  if (bad) return bad
  let encoded: string | null = null
  if (out.indexOf('%') !== -1) {
    let decoded: string
    try {
      decoded = decodeURIComponent(out)
    } catch {
      return { ok: false, reason: 'percent-encoding in the path is not UTF-8' }
    }
    if (DOUBLE_ENCODED.test(out)) encoded = 'double percent-encoding (%25 and two hex digits, e.g. %252e) in the path'
    else if (LOOKALIKE_CHARACTERS.test(decoded)) encoded = lookalike(decoded)
  }
  return { ok: true, path: out, query, encoded }
}
