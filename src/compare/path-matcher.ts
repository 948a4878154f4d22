/**
 * JSON path patterns compiled into a lazily built deterministic automaton, so
 * a recursive walk (diff, redaction) pays one map lookup per node instead of
 * re-testing every pattern against a sliced path.
 *
 * Patterns are given in groups; a state `accepts(group)` when a pattern of
 * that group matches the path walked so far exactly. "Covered" (a value at or
 * under a matched path) is the walker's business: it stops at the first
 * accepting node. States are interned, so the automaton is finite; transitions
 * are cached per state for the key names and indexes the patterns mention,
 * plus one shared transition for every other key and one for every other index.
 */
import { parseJsonPath, type JsonPath, type JsonPathStep } from '../config/json-path.js'

export type PathPatternInput = string | JsonPath

export interface PathMatcher {
  /** the state of the document root, `$` */
  readonly root: MatchState
  /** number of groups given at compile time */
  readonly groups: number
}

interface Compiled {
  readonly steps: readonly (readonly JsonPathStep[])[]
  readonly tags: readonly number[]
  readonly stride: number
  readonly interned: Map<string, MatchState>
}

export class MatchState {
  /** bit i set: a pattern of group i matches this exact path */
  readonly acceptMask: number
  /** no pattern can match anything below this path (it may still accept this path itself) */
  readonly dead: boolean
  readonly #c: Compiled
  readonly #nfa: readonly number[]
  readonly #names: ReadonlySet<string> | null
  readonly #indexes: ReadonlySet<number> | null
  #byName: Map<string, MatchState> | null = null
  #byIndex: Map<number, MatchState> | null = null
  #otherKey: MatchState | null = null
  #otherIndex: MatchState | null = null

  /** @internal built by compilePathMatcher only */
  constructor (c: Compiled, nfa: readonly number[]) {
    this.#c = c
    this.#nfa = nfa
    let accept = 0
    let names: Set<string> | null = null
    let indexes: Set<number> | null = null
    let live = false
    for (const code of nfa) {
      const p = Math.floor(code / c.stride)
      const s = code % c.stride
      const steps = c.steps[p]!
      if (s === steps.length) { accept |= c.tags[p]!; continue }
      live = true
      const step = steps[s]!
      if (step.t === 'key' || step.t === 'desc') (names ??= new Set()).add(step.name)
      else if (step.t === 'index') (indexes ??= new Set()).add(step.n)
    }
    this.acceptMask = accept
    this.dead = !live
    this.#names = names
    this.#indexes = indexes
  }

  /** True when a pattern of the group matches this exact path. */
  accepts (group: number): boolean {
    return (this.acceptMask & (1 << group)) !== 0
  }

  /** The state after an object key. */
  key (name: string): MatchState {
    if (this.dead) return this.acceptMask === 0 ? this : (this.#otherKey ??= this.#advance(null))
    if (this.#names !== null && this.#names.has(name)) {
      const map = (this.#byName ??= new Map())
      let next = map.get(name)
      if (next === undefined) { next = this.#advance(name); map.set(name, next) }
      return next
    }
    return (this.#otherKey ??= this.#advance(null))
  }

  /** The state after an array index. */
  index (i: number): MatchState {
    if (this.dead) return this.acceptMask === 0 ? this : (this.#otherIndex ??= this.#advance(-1))
    if (this.#indexes !== null && this.#indexes.has(i)) {
      const map = (this.#byIndex ??= new Map())
      let next = map.get(i)
      if (next === undefined) { next = this.#advance(i); map.set(i, next) }
      return next
    }
    return (this.#otherIndex ??= this.#advance(-1))
  }

  /** The state after a segment of either kind. */
  step (seg: string | number): MatchState {
    return typeof seg === 'number' ? this.index(seg) : this.key(seg)
  }

  /**
   * `seg` null: any object key no pattern names; -1: any index no pattern names.
   */
  #advance (seg: string | number | null): MatchState {
    const c = this.#c
    const out: number[] = []
    const isKey = seg === null || typeof seg === 'string'
    for (const code of this.#nfa) {
      const p = Math.floor(code / c.stride)
      const s = code % c.stride
      const steps = c.steps[p]!
      if (s === steps.length) continue
      const step = steps[s]!
      switch (step.t) {
        case 'wild':
          out.push(code + 1)
          break
        case 'key':
          if (isKey && seg === step.name) out.push(code + 1)
          break
        case 'index':
          if (!isKey && seg === step.n) out.push(code + 1)
          break
        case 'desc':
          out.push(code) // any segment, stay
          if (isKey && seg === step.name) out.push(code + 1)
          break
      }
    }
    return intern(c, out)
  }
}

function intern (c: Compiled, codes: number[]): MatchState {
  codes.sort((x, y) => x - y)
  let w = 0
  for (let r = 0; r < codes.length; r++) {
    if (r === 0 || codes[r] !== codes[r - 1]) codes[w++] = codes[r]!
  }
  codes.length = w
  const id = codes.join(',')
  let state = c.interned.get(id)
  if (state === undefined) {
    state = new MatchState(c, codes)
    c.interned.set(id, state)
  }
  return state
}

/**
 * Compile groups of patterns (group i gets bit i; at most 31 groups).
 * Throws JsonPathSyntaxError for a string that does not parse.
 */
export function compilePathMatcher (groups: readonly (readonly PathPatternInput[])[]): PathMatcher {
  if (groups.length > 31) throw new RangeError('at most 31 pattern groups')
  const steps: (readonly JsonPathStep[])[] = []
  const tags: number[] = []
  groups.forEach((group, g) => {
    for (const p of group) {
      const parsed = typeof p === 'string' ? parseJsonPath(p) : p
      steps.push(parsed.steps)
      tags.push(1 << g)
    }
  })
  const stride = steps.reduce((m, s) => Math.max(m, s.length), 0) + 1
  const c: Compiled = { steps, tags, stride, interned: new Map() }
  const root = intern(c, steps.map((_, p) => p * stride))
  return { root, groups: groups.length }
}
