/**
 * Learned correlation applied to a mirror: every learned primary value that
 * stands in the mirrored request as a whole token is replaced by its shadow
 * value (DESIGN.md "Per-side requests and learned correlation"):
 * - a path segment (percent-decoded, then re-encoded),
 * - a query value, a form field (application/x-www-form-urlencoded),
 * - a header value, or one of its space- or comma-separated words
 *   (`Token P`, `Bearer P`), a cookie value,
 * - a JSON string or number anywhere in a JSON body (a string only replaces
 *   a learned string, a number a learned number).
 * The same walk, given a collecting visitor, lists the tokens a mirror
 * carries, to find the pairs it must wait for.
 */
import type { LearnedValue } from '../compare/learn-pairs.js'
import type { Correlation } from './correlation.js'

/** Where a token stands: in text (path, query, header, form) or as a JSON string or number. */
type TokenKind = 'text' | 'json-string' | 'json-number'

/** Returns the value to put in place of `token`, or undefined to keep it. */
type Visit = (token: string, kind: TokenKind) => LearnedValue | undefined

/** The parts of a mirror correlation reads and rewrites. */
export interface MirrorParts {
  /** the path as forwarded, without the query */
  path: string
  /** '?…' or '' */
  query: string
  /** flat [name, value, …] list: the client's headers after the upstream's removals, before its `set` ones */
  headers: string[]
  body: Buffer | null
}

/** Headers whose values are never tokens of the client's: the proxy writes them. */
const NOT_CLIENT_VALUES: ReadonlySet<string> = new Set(['host', 'content-length', 'content-type', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-strangler-shadow'])

const decode = (s: string): string | null => {
  try { return decodeURIComponent(s) } catch { return null }
}

function visitPath (path: string, visit: Visit): string {
  const segs = path.split('/')
  let changed = false
  for (let i = 1; i < segs.length; i++) {
    const seg = segs[i]!
    if (seg === '') continue
    const plain = decode(seg)
    if (plain === null) continue
    const to = visit(plain, 'text')
    if (to !== undefined) { segs[i] = encodeURIComponent(String(to)); changed = true }
  }
  return changed ? segs.join('/') : path
}

/** `a=1&b=2` (a query without its '?', or a form body): each value visited. */
function visitPairs (text: string, visit: Visit): string {
  const pairs = text.split('&')
  let changed = false
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!
    const eq = pair.indexOf('=')
    if (eq < 0) continue
    const plain = decode(pair.slice(eq + 1).replace(/\+/g, ' '))
    if (plain === null || plain === '') continue
    const to = visit(plain, 'text')
    if (to !== undefined) { pairs[i] = pair.slice(0, eq + 1) + encodeURIComponent(String(to)); changed = true }
  }
  return changed ? pairs.join('&') : text
}

const WORDS = /([\s,]+)/

function visitHeaderValue (name: string, value: string, visit: Visit): string {
  if (name === 'cookie') {
    const crumbs = value.split(/(;\s*)/)
    let changed = false
    for (let i = 0; i < crumbs.length; i += 2) {
      const crumb = crumbs[i]!
      const eq = crumb.indexOf('=')
      if (eq < 0) continue
      const to = visit(crumb.slice(eq + 1), 'text')
      if (to !== undefined) { crumbs[i] = crumb.slice(0, eq + 1) + String(to); changed = true }
    }
    return changed ? crumbs.join('') : value
  }
  const whole = visit(value, 'text')
  if (whole !== undefined) return String(whole)
  const words = value.split(WORDS)
  if (words.length === 1) return value
  let changed = false
  for (let i = 0; i < words.length; i += 2) {
    if (words[i] === '') continue
    const to = visit(words[i]!, 'text')
    if (to !== undefined) { words[i] = String(to); changed = true }
  }
  return changed ? words.join('') : value
}

function visitJson (v: unknown, visit: Visit): { value: unknown; changed: boolean } {
  if (typeof v === 'string') {
    const to = visit(v, 'json-string')
    return to === undefined ? { value: v, changed: false } : { value: to, changed: true }
  }
  if (typeof v === 'number') {
    const to = visit(String(v), 'json-number')
    return to === undefined ? { value: v, changed: false } : { value: to, changed: true }
  }
  if (v === null || typeof v !== 'object') return { value: v, changed: false }
  let changed = false
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = visitJson(v[i], visit)
      if (r.changed) { v[i] = r.value; changed = true }
    }
  } else {
    const o = v as Record<string, unknown>
    for (const k of Object.keys(o)) {
      const r = visitJson(o[k], visit)
      if (r.changed) { o[k] = r.value; changed = true }
    }
  }
  return { value: v, changed }
}

type BodyKind = 'json' | 'form' | null

function bodyKindOf (headers: readonly string[]): BodyKind {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]!.toLowerCase() !== 'content-type') continue
    const ct = headers[i + 1]!.toLowerCase()
    if (ct.includes('json')) return 'json'
    if (ct.startsWith('application/x-www-form-urlencoded')) return 'form'
    return null
  }
  return null
}

/** Visit every token of a mirror; rewrites `parts` in place where `visit` answers a value. */
function visitMirror (parts: MirrorParts, visit: Visit): void {
  parts.path = visitPath(parts.path, visit)
  if (parts.query.length > 1) parts.query = '?' + visitPairs(parts.query.slice(1), visit)
  const h = parts.headers
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i]!.toLowerCase()
    if (NOT_CLIENT_VALUES.has(name)) continue
    h[i + 1] = visitHeaderValue(name, h[i + 1]!, visit)
  }
  const body = parts.body
  if (body === null || body.length === 0) return
  const kind = bodyKindOf(h)
  let next: Buffer | null = null
  if (kind === 'form') {
    const text = body.toString('utf8')
    const out = visitPairs(text, visit)
    if (out !== text) next = Buffer.from(out)
  } else if (kind === 'json') {
    let doc: unknown
    try { doc = JSON.parse(body.toString('utf8')) } catch { return }
    const r = visitJson(doc, visit)
    if (r.changed) next = Buffer.from(JSON.stringify(r.value))
  }
  if (next === null) return
  parts.body = next
  for (let i = 0; i < h.length; i += 2) {
    if (h[i]!.toLowerCase() === 'content-length') h[i + 1] = String(next.length)
  }
}

/** The tokens a mirror carries (to find the learning it must wait for); `parts` is left as it is. */
export function mirrorTokens (parts: MirrorParts): string[] {
  const tokens: string[] = []
  const copy: MirrorParts = { ...parts, headers: parts.headers }
  visitMirror(copy, (token) => { tokens.push(token); return undefined })
  return tokens
}

/** Replace every learned primary value in `parts` by its shadow value; returns how many were replaced. */
export function correlateMirror (parts: MirrorParts, corr: Correlation): number {
  let n = 0
  visitMirror(parts, (token, kind) => {
    const e = corr.entry(token)
    if (e === undefined) return undefined
    if (kind === 'json-string' && e.primaryIsNumber) return undefined
    if (kind === 'json-number' && !e.primaryIsNumber) return undefined
    corr.used(token, e)
    n++
    return e.shadow
  })
  return n
}
