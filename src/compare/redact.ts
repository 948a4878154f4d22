/**
 * Masking before anything is stored (DESIGN "Request flow" 6): comparison sees
 * the real values; the store sees "[redacted]" in their place. Header names
 * are matched case-insensitively; authorization, cookie, set-cookie and
 * proxy-authorization are always redacted, whatever the config says.
 */
import type { RedactConfig } from '../config/types.js'
import { ALWAYS_REDACTED } from '../config/merge.js'
import type { Difference, JsonValue } from '../store/difference.js'
import { parseJsonPath } from '../config/json-path.js'
import { compilePathMatcher, type MatchState, type PathMatcher, type PathPatternInput } from './path-matcher.js'

export const REDACTED = '[redacted]'

/** Always redacted, in addition to RedactConfig.headers (one list, owned by the rules merge). */
export const ALWAYS_REDACTED_HEADERS: readonly string[] = ALWAYS_REDACTED

/**
 * Query parameters redacted by redactUrl, besides those named like a redacted
 * header: a name (lower-cased, decoded) that contains one of these...
 */
export const SENSITIVE_QUERY_PARTS: readonly string[] = [
  'token', 'password', 'passwd', 'secret', 'key', 'auth', 'credential', 'session', 'signature', 'cookie', 'jwt', 'otp'
]
/** ...or equals one of these. */
export const SENSITIVE_QUERY_NAMES: readonly string[] = ['pwd', 'pass', 'sig', 'code', 'sid', 'csrf', 'xsrf']

type Headers = Readonly<Record<string, string | string[] | undefined>>

function redactedHeaderSet (cfg: RedactConfig): ReadonlySet<string> {
  const set = new Set(ALWAYS_REDACTED_HEADERS)
  for (const h of cfg.headers) set.add(h.toLowerCase())
  return set
}

/** A copy of the headers with the values of redacted headers replaced (arrays keep their length). */
export function redactHeaders<H extends Headers> (headers: H, cfg: RedactConfig): Record<string, string | string[] | undefined> {
  const names = redactedHeaderSet(cfg)
  const out: Record<string, string | string[] | undefined> = {}
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined && names.has(k.toLowerCase())) out[k] = Array.isArray(v) ? v.map(() => REDACTED) : REDACTED
    else out[k] = Array.isArray(v) ? [...v] : v
  }
  return out
}

const matcherCache = new WeakMap<readonly PathPatternInput[], PathMatcher>()

function matcherFor (paths: readonly PathPatternInput[]): PathMatcher {
  let m = matcherCache.get(paths)
  if (m === undefined) {
    m = compilePathMatcher([paths])
    matcherCache.set(paths, m)
  }
  return m
}

/** A deep copy of `value` with every value at (or under) a listed path replaced by "[redacted]". */
export function redactJson (value: JsonValue, paths: readonly PathPatternInput[]): JsonValue {
  return redactFrom(value, matcherFor(paths).root)
}

function redactFrom (v: JsonValue, st: MatchState): JsonValue {
  if (st.acceptMask & 1) return REDACTED
  if (v === null || typeof v !== 'object') return v
  if (st.dead) return structuredClone(v)
  if (Array.isArray(v)) return v.map((x, i) => redactFrom(x, st.index(i)))
  const out: { [key: string]: JsonValue } = {}
  for (const k of Object.keys(v)) {
    // defineProperty: a "__proto__" key stays an own data property
    Object.defineProperty(out, k, { value: redactFrom(v[k]!, st.key(k)), enumerable: true, writable: true, configurable: true })
  }
  return out
}

/** Segments of a record path (`$.items[3]['a b']`), or null for `$status`, `$headers[...]`, `$body`. */
function recordSegments (path: string): (string | number)[] | null {
  try {
    const parsed = parseJsonPath(path)
    const segs: (string | number)[] = []
    for (const s of parsed.steps) {
      if (s.t === 'key') segs.push(s.name)
      else if (s.t === 'index') segs.push(s.n)
      else return null
    }
    return segs
  } catch {
    return null
  }
}

/** Header name of a `$headers['name']` path. */
function headerOfPath (path: string): string | null {
  const m = /^\$headers\['((?:[^'\\]|\\.)*)'\]$/.exec(path)
  return m === null ? null : m[1]!.replace(/\\(.)/g, '$1').toLowerCase()
}

/**
 * Differences ready to store: values of JSON differences at or under a redacted
 * path become "[redacted]"; a value that merely contains a redacted path (an
 * added object with a password inside) is redacted within; header differences
 * of redacted headers are masked. `type` differences carry type names, not
 * values, and are kept. `body` descriptions never hold an excerpt.
 */
export function redactDifferences (diffs: readonly Difference[], cfg: RedactConfig): Difference[] {
  const headers = redactedHeaderSet(cfg)
  const root = matcherFor(cfg.paths).root
  return diffs.map((d): Difference => {
    switch (d.kind) {
      case 'header': {
        if (!headers.has(d.header.toLowerCase()) && !headers.has(headerOfPath(d.path) ?? '')) return d
        return { ...d, primary: d.primary === null ? null : REDACTED, shadow: d.shadow === null ? null : REDACTED }
      }
      case 'changed':
      case 'added':
      case 'removed':
      case 'type': {
        const segs = recordSegments(d.path)
        let st = root
        let covered = (st.acceptMask & 1) !== 0
        if (segs !== null) {
          for (const s of segs) {
            if (covered) break
            st = st.step(s)
            covered = (st.acceptMask & 1) !== 0
          }
        } else {
          covered = true // a JSON difference whose path we cannot read: safest to mask
        }
        const mask = (v: JsonValue): JsonValue => {
          if (covered) return REDACTED
          try {
            return redactFrom(v, st)
          } catch {
            return REDACTED // nested deeper than the stack: store nothing rather than risk a secret
          }
        }
        if (d.kind === 'type') return d.primaryValue === undefined && d.shadowValue === undefined ? d : { ...d, primaryValue: mask(d.primaryValue ?? null), shadowValue: mask(d.shadowValue ?? null) }
        if (d.kind === 'changed') return { ...d, primary: mask(d.primary), shadow: mask(d.shadow) }
        if (d.kind === 'added') return { ...d, shadow: mask(d.shadow) }
        return { ...d, primary: mask(d.primary) }
      }
      default:
        return d
    }
  })
}

function sensitiveQueryName (name: string, headers: ReadonlySet<string>): boolean {
  const n = name.toLowerCase()
  if (headers.has(n) || SENSITIVE_QUERY_NAMES.includes(n)) return true
  // x-api-key also catches api_key, apiKey
  const squashed = n.replace(/[^a-z0-9]/g, '')
  for (const h of headers) if (h.replace(/[^a-z0-9]/g, '') === squashed) return true
  return SENSITIVE_QUERY_PARTS.some(p => n.includes(p))
}

function decodeName (raw: string): string {
  try { return decodeURIComponent(raw.replace(/\+/g, ' ')) } catch { return raw }
}

/**
 * The url (path and query, or absolute) with the values of sensitive query
 * parameters replaced by "[redacted]": parameters named like a redacted header
 * (x-api-key, also api_key/apiKey) or whose name contains or equals one of
 * SENSITIVE_QUERY_PARTS / SENSITIVE_QUERY_NAMES. Other parameters, their order
 * and encoding are kept, and so is a fragment.
 */
export function redactUrl (url: string, cfg: RedactConfig): string {
  const q = url.indexOf('?')
  if (q === -1) return url
  const hash = url.indexOf('#', q)
  const query = hash === -1 ? url.slice(q + 1) : url.slice(q + 1, hash)
  const tail = hash === -1 ? '' : url.slice(hash)
  const headers = redactedHeaderSet(cfg)
  const parts = query.split('&').map(part => {
    const eq = part.indexOf('=')
    const rawName = eq === -1 ? part : part.slice(0, eq)
    if (eq === -1 || !sensitiveQueryName(decodeName(rawName), headers)) return part
    return `${rawName}=${REDACTED}`
  })
  return url.slice(0, q + 1) + parts.join('&') + tail
}
