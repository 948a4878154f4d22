/**
 * Masking before anything is stored (DESIGN "Request flow" 6): comparison sees
 * the real values; the store sees "[redacted]" in their place.
 *
 * - Headers: authorization, cookie, set-cookie and proxy-authorization always,
 *   plus `redact.headers` (case-insensitive).
 * - JSON: every value at or under a `redact.paths` path; by default also the
 *   values under secret-named keys (`token`, `password`, `apiKey`, …: see
 *   config/sensitive-names.ts) and JWT-shaped strings anywhere, unless a
 *   `redact.keep` path opts them out.
 * - Urls: the values of sensitive query parameters (`&` and `;` separated;
 *   the default names, `redact.query`, names of redacted headers) and any
 *   JWT-shaped part.
 */
import type { RedactConfig } from '../config/types.js'
import { ALWAYS_REDACTED } from '../config/merge.js'
import { isSecretKey, squashName } from '../config/sensitive-names.js'
import type { Difference, JsonValue } from '../store/difference.js'
import { concretePath } from '../config/json-path.js'
import { compilePathMatcher, type MatchState } from './path-matcher.js'

export const REDACTED = '[redacted]'

/** Always redacted, in addition to RedactConfig.headers (one list, owned by the rules merge). */
export const ALWAYS_REDACTED_HEADERS: readonly string[] = ALWAYS_REDACTED

/** Matcher bits: group 0 the `paths` to mask, group 1 the `keep` paths. */
const MASK = 1
const KEEP = 2

/**
 * A JSON Web Token: three base64url segments, the first a JSON object (`eyJ`
 * is `{"`), not glued to other base64url characters. An unsigned token
 * (`alg: none`) has an empty third segment.
 */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g

/** `s` with every JWT-shaped part replaced by "[redacted]". */
export function maskJwt (s: string): string {
  return s.includes('eyJ') ? s.replace(JWT, REDACTED) : s
}

type Headers = Readonly<Record<string, string | string[] | undefined>>

interface CompiledRedact {
  readonly headers: ReadonlySet<string>
  /** squashed query names: the config's, and the redacted header names */
  readonly query: ReadonlySet<string>
  readonly root: MatchState
}

const compiled = new WeakMap<RedactConfig, CompiledRedact>()

/** The config's sets and path automaton, built once per (frozen) config. */
function compile (cfg: RedactConfig): CompiledRedact {
  let c = compiled.get(cfg)
  if (c === undefined) {
    const headers = new Set(ALWAYS_REDACTED_HEADERS)
    for (const h of cfg.headers) headers.add(h.toLowerCase())
    const query = new Set(cfg.query.map(squashName))
    for (const h of headers) query.add(squashName(h))
    c = { headers, query, root: compilePathMatcher([cfg.paths, cfg.keep]).root }
    compiled.set(cfg, c)
  }
  return c
}

/** A copy of the headers with the values of redacted headers replaced (arrays keep their length). */
export function redactHeaders<H extends Headers> (headers: H, cfg: RedactConfig): Record<string, string | string[] | undefined> {
  const names = compile(cfg).headers
  const out: Record<string, string | string[] | undefined> = {}
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined && names.has(k.toLowerCase())) out[k] = Array.isArray(v) ? v.map(() => REDACTED) : REDACTED
    else if (Array.isArray(v)) out[k] = v.map(maskJwt)
    else out[k] = v === undefined ? v : maskJwt(v as string)
  }
  return out
}

/** A deep copy of a JSON value (a body) as it may be stored: `paths` masked, and the defaults unless kept. */
export function redactJson (value: JsonValue, cfg: RedactConfig): JsonValue {
  const root = compile(cfg).root
  try {
    return redactFrom(value, root, false, false)
  } catch {
    return REDACTED // nested deeper than the stack: store nothing rather than risk a secret
  }
}

/**
 * The stored form of `v`, found at the state `st`. `kept`: a `keep` path is
 * at or above it (no default masking); `secret`: a secret-named key is at
 * or above it (and below the last keep).
 */
function redactFrom (v: JsonValue, st: MatchState, kept: boolean, secret: boolean): JsonValue {
  const accept = st.acceptMask
  if ((accept & MASK) !== 0) return REDACTED
  if ((accept & KEEP) !== 0) kept = true
  if (v === null || typeof v === 'boolean') return v
  if (typeof v === 'string') return kept ? v : secret ? REDACTED : maskJwt(v)
  if (typeof v === 'number') return secret && !kept ? REDACTED : v
  if (Array.isArray(v)) return v.map((x, i) => redactFrom(x, st.index(i), kept, secret))
  const out: { [key: string]: JsonValue } = {}
  for (const k of Object.keys(v)) {
    const value = redactFrom(v[k]!, st.key(k), kept, secret || (!kept && isSecretKey(k)))
    // defineProperty: a "__proto__" key stays an own data property
    Object.defineProperty(out, kept ? k : maskJwt(k), { value, enumerable: true, writable: true, configurable: true })
  }
  return out
}

/** Segments of a record path (`$.items[3]['a b']`), or null for `$status`, `$headers[...]`, `$body`. */
/** Header name of a `$headers['name']` path. */
function headerOfPath (path: string): string | null {
  const m = /^\$headers\['((?:[^'\\]|\\.)*)'\]$/.exec(path)
  return m === null ? null : m[1]!.replace(/\\(.)/g, '$1').toLowerCase()
}

const maskOrNull = (v: string | null): string | null => v === null ? null : maskJwt(v)

/**
 * Differences ready to store: values of JSON differences at or under a redacted
 * path become "[redacted]"; a value that merely contains a redacted path (an
 * added object with a password inside) is redacted within. Unless a `keep`
 * path covers them, values under secret-named keys and JWT-shaped strings are
 * masked too, in values and paths. Header differences of redacted headers are
 * masked; JWTs in other header values and in `body` descriptions are. `type`
 * differences carry type names, and their scalar values masked alike.
 */
export function redactDifferences (diffs: readonly Difference[], cfg: RedactConfig): Difference[] {
  const { headers, root } = compile(cfg)
  return diffs.map((d): Difference => {
    switch (d.kind) {
      case 'header': {
        if (!headers.has(d.header.toLowerCase()) && !headers.has(headerOfPath(d.path) ?? '')) {
          return { ...d, primary: maskOrNull(d.primary), shadow: maskOrNull(d.shadow) }
        }
        return { ...d, primary: d.primary === null ? null : REDACTED, shadow: d.shadow === null ? null : REDACTED }
      }
      case 'changed':
      case 'added':
      case 'removed':
      case 'type': {
        const segs = concretePath(d.path)
        let st = root
        let covered = (st.acceptMask & MASK) !== 0
        let kept = (st.acceptMask & KEEP) !== 0
        let secret = false
        if (segs !== null) {
          for (const s of segs) {
            if (covered) break
            st = st.step(s)
            covered = (st.acceptMask & MASK) !== 0
            if ((st.acceptMask & KEEP) !== 0) kept = true
            if (!kept && typeof s === 'string' && isSecretKey(s)) secret = true
          }
        } else {
          covered = true // a JSON difference whose path we cannot read: safest to mask
        }
        const path = kept ? d.path : maskJwt(d.path)
        const mask = (v: JsonValue): JsonValue => {
          if (covered) return REDACTED
          try {
            return redactFrom(v, st, kept, secret)
          } catch {
            return REDACTED // nested deeper than the stack: store nothing rather than risk a secret
          }
        }
        if (d.kind === 'type') return d.primaryValue === undefined && d.shadowValue === undefined ? { ...d, path } : { ...d, path, primaryValue: mask(d.primaryValue ?? null), shadowValue: mask(d.shadowValue ?? null) }
        if (d.kind === 'changed') return { ...d, path, primary: mask(d.primary), shadow: mask(d.shadow) }
        if (d.kind === 'added') return { ...d, path, shadow: mask(d.shadow) }
        return { ...d, path, primary: mask(d.primary) }
      }
      case 'body':
        return { ...d, primary: maskJwt(d.primary), shadow: maskJwt(d.shadow) }
      case 'contract':
        return { ...d, message: maskJwt(d.message) }
      default:
        return d
    }
  })
}

function decodeName (raw: string): string {
  try { return decodeURIComponent(raw.replace(/\+/g, ' ')) } catch { return raw }
}

/** A parameter name is sensitive as a whole, or by its last bracketed key (`user[password]`). */
function sensitiveQueryName (rawName: string, names: ReadonlySet<string>): boolean {
  const name = decodeName(rawName)
  if (names.has(squashName(name))) return true
  const inner = /\[([^[\]]*)\]$/.exec(name)
  return inner !== null && names.has(squashName(inner[1]!))
}

/**
 * The url (path and query, or absolute) with the values of sensitive query
 * parameters replaced by "[redacted]": names compare exactly, ignoring case,
 * `-`, `_` and `.` (config/sensitive-names.ts), against the default list,
 * `redact.query` and the redacted header names. Parameters are separated by
 * `&` or `;`. JWT-shaped parts anywhere in the url are masked too. Other
 * parameters, the separators, their order and encoding are kept, and so is
 * a fragment.
 */
export function redactUrl (url: string, cfg: RedactConfig): string {
  const q = url.indexOf('?')
  if (q === -1) return maskJwt(url)
  const hash = url.indexOf('#', q)
  const query = hash === -1 ? url.slice(q + 1) : url.slice(q + 1, hash)
  const tail = hash === -1 ? '' : url.slice(hash)
  const names = compile(cfg).query
  // odd indexes hold the separators
  const parts = query.split(/([&;])/).map((part, i) => {
    if (i % 2 === 1) return part
    const eq = part.indexOf('=')
    if (eq === -1) return part
    const rawName = part.slice(0, eq)
    return sensitiveQueryName(rawName, names) ? `${rawName}=${REDACTED}` : part
  })
  return maskJwt(url.slice(0, q + 1) + parts.join('') + tail)
}
