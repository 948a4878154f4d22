/**
 * The structural JSON differ on the compare path: one recursive walk, keyed by
 * path, honouring `ignore` (a value at or under a matched path is skipped),
 * `unordered` (arrays compared as multisets), `typeOnly` (a value at a matched
 * path is compared by JSON type only, nothing under it by value), `accept`
 * (a difference a rule names is flagged `accepted`) and an absolute numeric
 * `tolerance`. Paths are compiled once (see path-matcher.ts), so each node
 * costs one cached transition. Arrays are compared index by index unless
 * unordered; a length difference yields `removed`/`added` for the tail.
 * The number of recorded differences is capped; `truncated` says more existed,
 * `mismatch` whether any of all of them (recorded or not) counts.
 *
 * json-diff (npm) is not used here: it fuzzy-matches array elements pairwise
 * and takes seconds on arrays of a thousand objects (see bench/compare.ts).
 */
import type { JsonValue, PairDifference } from '../store/difference.js'
import { formatJsonPath, matchesJsonPath, parseJsonPath, type JsonPath } from '../config/json-path.js'
import { acceptsValues, type AcceptValues } from './accept-values.js'
import { compilePathMatcher, type MatchState, type PathPatternInput } from './path-matcher.js'

export const DEFAULT_MAX_DIFFERENCES = 100

/**
 * In an unordered array compared with a tolerance, elements left unmatched
 * by exact (canonical) equality are paired by a tolerant comparison; this many
 * element comparisons at most, per array, so a wholly different array stays cheap.
 */
export const TOLERANT_PAIRING_BUDGET = 20_000

const IGNORE = 1 << 0
const UNORDERED = 1 << 1
const TYPE_ONLY = 1 << 2
const ACCEPT = 1 << 3

/** An accept rule of a JSON path: `path` given as a string or parsed. */
export interface JsonAcceptRule extends AcceptValues {
  readonly path: PathPatternInput
}

interface CompiledAccept extends AcceptValues {
  readonly pattern: JsonPath
}

export interface DiffJsonOptions {
  /** JSON paths whose values (and everything under them) are not compared */
  readonly ignore?: readonly PathPatternInput[]
  /** JSON paths of arrays compared as multisets */
  readonly unordered?: readonly PathPatternInput[]
  /** absolute tolerance for numbers; 0 (default) = exact */
  readonly tolerance?: number
  /** JSON paths whose values are compared by JSON type only (presence is compared as usual) */
  readonly typeOnly?: readonly PathPatternInput[]
  /** known differences: flagged `accepted`, they do not make a mismatch */
  readonly accept?: readonly JsonAcceptRule[]
  /** at most this many differences are recorded (default 100) */
  readonly maxDifferences?: number
}

/** Options compiled once; reuse it for every pair compared under the same config. */
export interface CompiledDiffOptions {
  readonly compiled: true
  readonly root: MatchState
  readonly tolerance: number
  readonly maxDifferences: number
  readonly accept: readonly CompiledAccept[]
}

export interface DiffJsonResult {
  readonly differences: PairDifference[]
  /** true when more differences existed than were recorded */
  readonly truncated: boolean
  /** true when a difference that is not accepted exists (recorded or beyond the cap) */
  readonly mismatch: boolean
}

/** Compile the options' paths (throws JsonPathSyntaxError on a bad one). */
export function compileDiffOptions (opts: DiffJsonOptions = {}): CompiledDiffOptions {
  const accept: CompiledAccept[] = (opts.accept ?? []).map(r => ({ ...r, pattern: typeof r.path === 'string' ? parseJsonPath(r.path) : r.path }))
  const matcher = compilePathMatcher([opts.ignore ?? [], opts.unordered ?? [], opts.typeOnly ?? [], accept.map(r => r.pattern)])
  const tolerance = opts.tolerance ?? 0
  if (!(tolerance >= 0)) throw new RangeError('tolerance must be a number >= 0')
  const maxDifferences = opts.maxDifferences ?? DEFAULT_MAX_DIFFERENCES
  if (!(maxDifferences >= 1)) throw new RangeError('maxDifferences must be >= 1')
  return { compiled: true, root: matcher.root, tolerance, maxDifferences, accept }
}

/** Structural diff of two parsed JSON documents: primary `a`, shadow `b`. */
export function diffJson (a: JsonValue, b: JsonValue, opts: DiffJsonOptions | CompiledDiffOptions = {}): DiffJsonResult {
  const c = 'compiled' in opts ? opts : compileDiffOptions(opts)
  if (ignoresRoot(c)) return { differences: [], truncated: false, mismatch: false }
  const walker = new Walker(c, c.maxDifferences)
  walker.walk(a, b, c.root)
  return { differences: walker.out, truncated: walker.truncated, mismatch: walker.mismatch }
}

/** True when an ignore path matches `$`: nothing in the document is compared. */
export function ignoresRoot (c: CompiledDiffOptions): boolean {
  return (c.root.acceptMask & IGNORE) !== 0
}

/**
 * True when an accept rule names the difference at the concrete path `at`:
 * its pattern matches the whole path and its sides equal the values, or, for
 * a `type` difference, the type names the record prints.
 */
export function acceptedAt (c: CompiledDiffOptions, at: readonly (string | number)[], primary: JsonValue | undefined, shadow: JsonValue | undefined, typeNames?: readonly [string, string]): boolean {
  const rules = c.accept.filter(r => matchesJsonPath(r.pattern, at))
  if (rules.length === 0) return false
  return acceptsValues(rules, primary, shadow) || (typeNames !== undefined && acceptsValues(rules, typeNames[0], typeNames[1]))
}

/** Name of a JSON value's type as used in `type` differences. */
export function jsonTypeOf (v: JsonValue): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v as 'boolean' | 'number' | 'string' | 'object'
}

class Walker {
  readonly out: PairDifference[] = []
  truncated = false
  /** a difference that is not accepted was found */
  mismatch = false
  /** set once the cap is hit by a difference that counts: every loop checks it and unwinds */
  full = false
  readonly #path: (string | number)[] = []
  readonly #c: CompiledDiffOptions
  readonly #tol: number
  readonly #max: number

  constructor (c: CompiledDiffOptions, max: number) {
    this.#c = c
    this.#tol = c.tolerance
    this.#max = max
  }

  /**
   * Record a difference at the current path; `st` is its matcher state, `a`
   * and `b` the values on each side (undefined: absent). Past the cap, accepted
   * differences are only counted as truncated and the walk goes on, so that
   * `mismatch` stays exact; the first one that counts stops it.
   */
  #emit (d: PairDifference, st: MatchState, a: JsonValue | undefined, b: JsonValue | undefined): void {
    const accepted = (st.acceptMask & ACCEPT) !== 0 &&
      acceptedAt(this.#c, this.#path, a, b, d.kind === 'type' ? [d.primary, d.shadow] : undefined)
    if (!accepted) this.mismatch = true
    if (this.out.length >= this.#max) {
      this.truncated = true
      if (!accepted) this.full = true
      return
    }
    this.out.push(accepted ? { ...d, accepted: true } : d)
  }

  #here (): string {
    return formatJsonPath(this.#path)
  }

  walk (a: JsonValue, b: JsonValue, st: MatchState): void {
    if (a === b) return
    if (st.acceptMask & TYPE_ONLY) {
      const ka = jsonTypeOf(a)
      const kb = jsonTypeOf(b)
      if (ka !== kb) this.#emit({ kind: 'type', path: this.#here(), primary: ka, shadow: kb }, st, a, b)
      return
    }
    const ta = typeof a
    if (ta !== 'object' || a === null || typeof b !== 'object' || b === null) {
      // at least one scalar (or null)
      if (ta === 'number' && typeof b === 'number') {
        if (this.#tol > 0 && Math.abs((a as number) - b) <= this.#tol) return
        this.#emit({ kind: 'changed', path: this.#here(), primary: a, shadow: b }, st, a, b)
        return
      }
      const ka = jsonTypeOf(a)
      const kb = jsonTypeOf(b)
      if (ka === kb) this.#emit({ kind: 'changed', path: this.#here(), primary: a, shadow: b }, st, a, b)
      else if (ka === 'array' || ka === 'object' || kb === 'array' || kb === 'object') this.#emit({ kind: 'type', path: this.#here(), primary: ka, shadow: kb }, st, a, b)
      else this.#emit({ kind: 'type', path: this.#here(), primary: ka, shadow: kb, primaryValue: a, shadowValue: b }, st, a, b)
      return
    }
    const aa = Array.isArray(a)
    const ba = Array.isArray(b)
    if (aa !== ba) {
      this.#emit({ kind: 'type', path: this.#here(), primary: aa ? 'array' : 'object', shadow: ba ? 'array' : 'object' }, st, a, b)
      return
    }
    if (aa) {
      if (st.acceptMask & UNORDERED) this.#unordered(a, b as JsonValue[], st)
      else this.#ordered(a, b as JsonValue[], st)
    } else {
      this.#object(a as Record<string, JsonValue>, b as Record<string, JsonValue>, st)
    }
  }

  #object (a: Record<string, JsonValue>, b: Record<string, JsonValue>, st: MatchState): void {
    const path = this.#path
    for (const k in a) {
      if (this.full) return
      const cs = st.key(k)
      if (cs.acceptMask & IGNORE) continue
      path.push(k)
      if (Object.hasOwn(b, k)) this.walk(a[k]!, b[k]!, cs)
      else this.#emit({ kind: 'removed', path: this.#here(), primary: a[k]! }, cs, a[k]!, undefined)
      path.pop()
    }
    for (const k in b) {
      if (this.full) return
      if (Object.hasOwn(a, k)) continue
      const cs = st.key(k)
      if (cs.acceptMask & IGNORE) continue
      path.push(k)
      this.#emit({ kind: 'added', path: this.#here(), shadow: b[k]! }, cs, undefined, b[k]!)
      path.pop()
    }
  }

  #ordered (a: JsonValue[], b: JsonValue[], st: MatchState): void {
    const path = this.#path
    const common = Math.min(a.length, b.length)
    for (let i = 0; i < common; i++) {
      if (this.full) return
      const cs = st.index(i)
      if (cs.acceptMask & IGNORE) continue
      path.push(i)
      this.walk(a[i]!, b[i]!, cs)
      path.pop()
    }
    for (let i = common; i < a.length; i++) {
      if (this.full) return
      const cs = st.index(i)
      if (cs.acceptMask & IGNORE) continue
      path.push(i)
      this.#emit({ kind: 'removed', path: this.#here(), primary: a[i]! }, cs, a[i]!, undefined)
      path.pop()
    }
    for (let i = common; i < b.length; i++) {
      if (this.full) return
      const cs = st.index(i)
      if (cs.acceptMask & IGNORE) continue
      path.push(i)
      this.#emit({ kind: 'added', path: this.#here(), shadow: b[i]! }, cs, undefined, b[i]!)
      path.pop()
    }
  }

  /**
   * Multiset comparison: elements are keyed by their canonical JSON (sorted
   * keys, ignored paths left out, nested unordered arrays sorted), matched by
   * key; with a tolerance the leftovers are then paired by a tolerant walk;
   * leftovers naming the same entity (IDENTITY_KEYS) are diffed field by
   * field at the primary's index. Elements still unmatched are reported as
   * removed (primary index) and added (shadow index).
   */
  #unordered (a: JsonValue[], b: JsonValue[], st: MatchState): void {
    // canonical key -> shadow indexes with that key, and how many are taken
    const byKey = new Map<string, { readonly js: number[]; used: number }>()
    for (let j = 0; j < b.length; j++) {
      const cs = st.index(j)
      if (cs.acceptMask & IGNORE) continue
      const key = canonical(b[j]!, cs)
      const slot = byKey.get(key)
      if (slot === undefined) byKey.set(key, { js: [j], used: 0 })
      else slot.js.push(j)
    }
    const leftA: number[] = []
    for (let i = 0; i < a.length; i++) {
      const cs = st.index(i)
      if (cs.acceptMask & IGNORE) continue
      const slot = byKey.get(canonical(a[i]!, cs))
      if (slot !== undefined && slot.used < slot.js.length) slot.used++
      else leftA.push(i)
    }
    const leftB: number[] = []
    for (const slot of byKey.values()) for (let k = slot.used; k < slot.js.length; k++) leftB.push(slot.js[k]!)
    leftB.sort((x, y) => x - y)

    if (this.#tol > 0 && leftA.length > 0 && leftB.length > 0) {
      let budget = TOLERANT_PAIRING_BUDGET
      const unmatchedA: number[] = []
      for (const i of leftA) {
        let hit = -1
        for (let k = 0; k < leftB.length && budget > 0; k++, budget--) {
          const j = leftB[k]!
          const probe = new Walker(this.#c, 1)
          probe.walk(a[i]!, b[j]!, st.index(i))
          if (probe.out.length === 0) { hit = k; break }
        }
        if (hit >= 0) leftB.splice(hit, 1)
        else unmatchedA.push(i)
      }
      leftA.length = 0
      for (const i of unmatchedA) leftA.push(i)
    }

    const path = this.#path
    // elements left on both sides that name the same entity (same id, key,
    // sku...) are the same element changed: diff them field by field, at the
    // primary's index, rather than reporting a whole removed and added element
    if (leftA.length > 0 && leftB.length > 0) {
      const byIdentity = new Map<string, number[]>()
      for (const j of leftB) {
        const id = identityOf(b[j]!)
        if (id === null) continue
        const list = byIdentity.get(id)
        if (list === undefined) byIdentity.set(id, [j])
        else list.push(j)
      }
      if (byIdentity.size > 0) {
        const pairedB = new Set<number>()
        const unpairedA: number[] = []
        for (const i of leftA) {
          const id = identityOf(a[i]!)
          const list = id === null ? undefined : byIdentity.get(id)
          const j = list?.shift()
          if (j === undefined) { unpairedA.push(i); continue }
          pairedB.add(j)
          if (this.full) return
          path.push(i)
          this.walk(a[i]!, b[j]!, st.index(i))
          path.pop()
        }
        leftA.length = 0
        for (const i of unpairedA) leftA.push(i)
        const rest = leftB.filter((j) => !pairedB.has(j))
        leftB.length = 0
        for (const j of rest) leftB.push(j)
      }
    }
    for (const i of leftA) {
      if (this.full) return
      path.push(i)
      this.#emit({ kind: 'removed', path: this.#here(), primary: a[i]! }, st.index(i), a[i]!, undefined)
      path.pop()
    }
    for (const j of leftB) {
      if (this.full) return
      path.push(j)
      this.#emit({ kind: 'added', path: this.#here(), shadow: b[j]! }, st.index(j), undefined, b[j]!)
      path.pop()
    }
  }
}

/** Keys that name an entity in a list, tried in this order. */
export const IDENTITY_KEYS: readonly string[] = ['id', '_id', 'uuid', 'key', 'sku', 'code', 'slug', 'name']

/** `key=value` of the first identity key an object has with a scalar value, else null. */
function identityOf (v: JsonValue): string | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null
  for (const k of IDENTITY_KEYS) {
    const x = v[k]
    if (x !== undefined && (typeof x === 'string' || typeof x === 'number')) return k + '\u0000' + typeof x + '\u0000' + String(x)
  }
  return null
}

/**
 * Canonical JSON of a value under the matcher state: object keys sorted,
 * ignored members left out, arrays at unordered paths sorted by element,
 * values at typeOnly paths replaced by their type.
 * Two values with the same canonical form are equal for the differ.
 */
function canonical (v: JsonValue, st: MatchState): string {
  if (st.acceptMask & TYPE_ONLY) return '~' + jsonTypeOf(v) // no JSON text starts with ~
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) {
    const parts: string[] = []
    for (let i = 0; i < v.length; i++) {
      const cs = st.index(i)
      if (cs.acceptMask & IGNORE) continue
      parts.push(canonical(v[i]!, cs))
    }
    if (st.acceptMask & UNORDERED) parts.sort()
    return '[' + parts.join(',') + ']'
  }
  const keys = Object.keys(v).sort()
  let out = '{'
  let first = true
  for (const k of keys) {
    const cs = st.key(k)
    if (cs.acceptMask & IGNORE) continue
    if (!first) out += ','
    first = false
    out += JSON.stringify(k) + ':' + canonical(v[k]!, cs)
  }
  return out + '}'
}
