/**
 * The structural JSON differ on the compare path: one recursive walk, keyed by
 * path, honouring `ignore` (a value at or under a matched path is skipped),
 * `unordered` (arrays compared as multisets) and an absolute numeric
 * `tolerance`. Paths are compiled once (see path-matcher.ts), so each node
 * costs one cached transition. Arrays are compared index by index unless
 * unordered; a length difference yields `removed`/`added` for the tail.
 * The number of recorded differences is capped; `truncated` says more existed.
 *
 * json-diff (npm) is not used here: it fuzzy-matches array elements pairwise
 * and takes seconds on arrays of a thousand objects (see bench/compare.ts).
 */
import type { Difference, JsonValue } from '../store/difference.js'
import { formatJsonPath } from '../config/json-path.js'
import { compilePathMatcher, type MatchState, type PathPatternInput } from './path-matcher.js'

export const DEFAULT_MAX_DIFFERENCES = 100

/**
 * In an unordered array compared with a tolerance, elements left unmatched
 * by exact (canonical) equality are paired by a tolerant comparison; this many
 * element comparisons at most, per array, so a wholly different array stays cheap.
 */
export const TOLERANT_PAIRING_BUDGET = 20_000

const IGNORE = 0
const UNORDERED = 1

export interface DiffJsonOptions {
  /** JSON paths whose values (and everything under them) are not compared */
  readonly ignore?: readonly PathPatternInput[]
  /** JSON paths of arrays compared as multisets */
  readonly unordered?: readonly PathPatternInput[]
  /** absolute tolerance for numbers; 0 (default) = exact */
  readonly tolerance?: number
  /** at most this many differences are recorded (default 100) */
  readonly maxDifferences?: number
}

/** Options compiled once; reuse it for every pair compared under the same config. */
export interface CompiledDiffOptions {
  readonly compiled: true
  readonly root: MatchState
  readonly tolerance: number
  readonly maxDifferences: number
}

export interface DiffJsonResult {
  readonly differences: Difference[]
  /** true when more differences existed than were recorded */
  readonly truncated: boolean
}

/** Compile ignore/unordered paths (throws JsonPathSyntaxError on a bad one). */
export function compileDiffOptions (opts: DiffJsonOptions = {}): CompiledDiffOptions {
  const matcher = compilePathMatcher([opts.ignore ?? [], opts.unordered ?? []])
  const tolerance = opts.tolerance ?? 0
  if (!(tolerance >= 0)) throw new RangeError('tolerance must be a number >= 0')
  const maxDifferences = opts.maxDifferences ?? DEFAULT_MAX_DIFFERENCES
  if (!(maxDifferences >= 1)) throw new RangeError('maxDifferences must be >= 1')
  return { compiled: true, root: matcher.root, tolerance, maxDifferences }
}

/** Structural diff of two parsed JSON documents: primary `a`, shadow `b`. */
export function diffJson (a: JsonValue, b: JsonValue, opts: DiffJsonOptions | CompiledDiffOptions = {}): DiffJsonResult {
  const c = 'compiled' in opts ? opts : compileDiffOptions(opts)
  const walker = new Walker(c.tolerance, c.maxDifferences)
  walker.walk(a, b, c.root)
  return { differences: walker.out, truncated: walker.truncated }
}

/** Name of a JSON value's type as used in `type` differences. */
export function jsonTypeOf (v: JsonValue): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v as 'boolean' | 'number' | 'string' | 'object'
}

class Walker {
  readonly out: Difference[] = []
  truncated = false
  /** set once the cap is hit: every loop checks it and unwinds */
  full = false
  readonly #path: (string | number)[] = []
  readonly #tol: number
  readonly #max: number

  constructor (tolerance: number, max: number) {
    this.#tol = tolerance
    this.#max = max
  }

  #emit (d: Difference): void {
    if (this.out.length >= this.#max) { this.truncated = true; this.full = true; return }
    this.out.push(d)
  }

  #here (): string {
    return formatJsonPath(this.#path)
  }

  walk (a: JsonValue, b: JsonValue, st: MatchState): void {
    if (a === b) return
    const ta = typeof a
    if (ta !== 'object' || a === null || typeof b !== 'object' || b === null) {
      // at least one scalar (or null)
      if (ta === 'number' && typeof b === 'number') {
        if (this.#tol > 0 && Math.abs((a as number) - b) <= this.#tol) return
        this.#emit({ kind: 'changed', path: this.#here(), primary: a, shadow: b })
        return
      }
      const ka = jsonTypeOf(a)
      const kb = jsonTypeOf(b)
      if (ka === kb) this.#emit({ kind: 'changed', path: this.#here(), primary: a, shadow: b })
      else if (ka === 'array' || ka === 'object' || kb === 'array' || kb === 'object') this.#emit({ kind: 'type', path: this.#here(), primary: ka, shadow: kb })
      else this.#emit({ kind: 'type', path: this.#here(), primary: ka, shadow: kb, primaryValue: a, shadowValue: b })
      return
    }
    const aa = Array.isArray(a)
    const ba = Array.isArray(b)
    if (aa !== ba) {
      this.#emit({ kind: 'type', path: this.#here(), primary: aa ? 'array' : 'object', shadow: ba ? 'array' : 'object' })
      return
    }
    if (aa) {
      if (st.acceptMask & (1 << UNORDERED)) this.#unordered(a, b as JsonValue[], st)
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
      if (cs.acceptMask & (1 << IGNORE)) continue
      path.push(k)
      if (Object.hasOwn(b, k)) this.walk(a[k]!, b[k]!, cs)
      else this.#emit({ kind: 'removed', path: this.#here(), primary: a[k]! })
      path.pop()
    }
    for (const k in b) {
      if (this.full) return
      if (Object.hasOwn(a, k)) continue
      const cs = st.key(k)
      if (cs.acceptMask & (1 << IGNORE)) continue
      path.push(k)
      this.#emit({ kind: 'added', path: this.#here(), shadow: b[k]! })
      path.pop()
    }
  }

  #ordered (a: JsonValue[], b: JsonValue[], st: MatchState): void {
    const path = this.#path
    const common = Math.min(a.length, b.length)
    for (let i = 0; i < common; i++) {
      if (this.full) return
      const cs = st.index(i)
      if (cs.acceptMask & (1 << IGNORE)) continue
      path.push(i)
      this.walk(a[i]!, b[i]!, cs)
      path.pop()
    }
    for (let i = common; i < a.length; i++) {
      if (this.full) return
      if (st.index(i).acceptMask & (1 << IGNORE)) continue
      path.push(i)
      this.#emit({ kind: 'removed', path: this.#here(), primary: a[i]! })
      path.pop()
    }
    for (let i = common; i < b.length; i++) {
      if (this.full) return
      if (st.index(i).acceptMask & (1 << IGNORE)) continue
      path.push(i)
      this.#emit({ kind: 'added', path: this.#here(), shadow: b[i]! })
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
      if (cs.acceptMask & (1 << IGNORE)) continue
      const key = canonical(b[j]!, cs)
      const slot = byKey.get(key)
      if (slot === undefined) byKey.set(key, { js: [j], used: 0 })
      else slot.js.push(j)
    }
    const leftA: number[] = []
    for (let i = 0; i < a.length; i++) {
      const cs = st.index(i)
      if (cs.acceptMask & (1 << IGNORE)) continue
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
          const probe = new Walker(this.#tol, 1)
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
      this.#emit({ kind: 'removed', path: this.#here(), primary: a[i]! })
      path.pop()
    }
    for (const j of leftB) {
      if (this.full) return
      path.push(j)
      this.#emit({ kind: 'added', path: this.#here(), shadow: b[j]! })
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
 * ignored members left out, arrays at unordered paths sorted by element.
 * Two values with the same canonical form are equal for the differ.
 */
function canonical (v: JsonValue, st: MatchState): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) {
    const parts: string[] = []
    for (let i = 0; i < v.length; i++) {
      const cs = st.index(i)
      if (cs.acceptMask & (1 << IGNORE)) continue
      parts.push(canonical(v[i]!, cs))
    }
    if (st.acceptMask & (1 << UNORDERED)) parts.sort()
    return '[' + parts.join(',') + ']'
  }
  const keys = Object.keys(v).sort()
  let out = '{'
  let first = true
  for (const k of keys) {
    const cs = st.key(k)
    if (cs.acceptMask & (1 << IGNORE)) continue
    if (!first) out += ','
    first = false
    out += JSON.stringify(k) + ':' + canonical(v[k]!, cs)
  }
  return out + '}'
}
