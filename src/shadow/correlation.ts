/**
 * The learned correlation pairs of one proxy process (DESIGN.md "Per-side
 * requests and learned correlation"): primary value -> shadow value, at most
 * `shadow.correlationEntries` of them (least recently learned or used evicted
 * first), plus the primary answers whose pair is still being learned, so a
 * mirror that carries such a value can wait for it.
 *
 * Keys are the primary value's string form (a path segment or a header word
 * is a string; a learned number matches its digits); the entry keeps whether
 * the primary was a number, so a JSON body's string "42" is not mistaken for
 * the number 42.
 */
import type { CorrelationLookup } from '../compare/absorb-correlated.js'
import type { LearnedPair, LearnedValue } from '../compare/learn-pairs.js'
import type { CorrelationCounts } from '../metrics/metrics.js'

export interface LearnedEntry {
  readonly shadow: LearnedValue
  readonly primaryIsNumber: boolean
}

/** A primary answer whose pair's shadow answer (or comparison) is still in flight. */
export class Learning {
  /** the values the answer holds at its route's learn paths, in string form */
  readonly values: ReadonlySet<string>
  #waiters: (() => void)[] | null = []

  constructor (values: ReadonlySet<string>) {
    this.values = values
  }

  get done (): boolean { return this.#waiters === null }

  /** `cb` runs once, when the pair has been learned from (or given up) */
  onDone (cb: () => void): void {
    if (this.#waiters === null) cb()
    else this.#waiters.push(cb)
  }

  /** @internal Correlation.finish */
  finish (): void {
    const waiters = this.#waiters
    if (waiters === null) return
    this.#waiters = null
    for (const cb of waiters) cb()
  }
}

export class Correlation {
  readonly #pairs = new Map<string, LearnedEntry>()
  readonly #learning = new Set<Learning>()
  #learned = 0
  #applied = 0
  #evicted = 0
  #waits = 0
  #waitTimeouts = 0

  /** pairs held */
  get size (): number { return this.#pairs.size }

  /** primary answers whose pair is being learned */
  get learning (): number { return this.#learning.size }

  /** true when a mirror has nothing to substitute and nothing to wait for */
  get idle (): boolean { return this.#pairs.size === 0 && this.#learning.size === 0 }

  /** The learned entry of a primary value (string form); no effect on recency. */
  entry (primary: string): LearnedEntry | undefined {
    return this.#pairs.get(primary)
  }

  /** For comparisons: the learned shadow value of a primary value. */
  readonly lookup: CorrelationLookup = (primary) => this.#pairs.get(primary)?.shadow

  /** A mirror substituted this value: counted, and kept as recently used. */
  used (primary: string, entry: LearnedEntry): void {
    this.#applied++
    this.#pairs.delete(primary)
    this.#pairs.set(primary, entry)
  }

  /** Learn pairs (a later pair for the same primary value replaces the earlier one), evicting past `maxEntries`. */
  learn (pairs: readonly LearnedPair[], maxEntries: number): void {
    for (const [p, s] of pairs) {
      const key = String(p)
      this.#pairs.delete(key)
      this.#pairs.set(key, { shadow: s, primaryIsNumber: typeof p === 'number' })
      this.#learned++
    }
    while (this.#pairs.size > maxEntries) {
      this.#pairs.delete(this.#pairs.keys().next().value!)
      this.#evicted++
    }
  }

  /** Take a pair another proxy learned (shared correlation): held like a learned one, not counted as learned here. */
  adopt (primary: string, entry: LearnedEntry, maxEntries: number): void {
    this.#pairs.delete(primary)
    this.#pairs.set(primary, entry)
    while (this.#pairs.size > maxEntries) {
      this.#pairs.delete(this.#pairs.keys().next().value!)
      this.#evicted++
    }
  }

  /** A primary answer that will teach pairs once its pair is compared: the values it holds at its learn paths. */
  track (values: readonly LearnedValue[]): Learning {
    const l = new Learning(new Set(values.map(String)))
    this.#learning.add(l)
    return l
  }

  /** Its pair was compared (learn first) or given up: mirrors waiting on it go on. */
  finish (l: Learning): void {
    this.#learning.delete(l)
    l.finish()
  }

  /** The answers being learned that hold one of these tokens at a learn path. */
  pendingFor (tokens: readonly string[]): Learning[] {
    const found: Learning[] = []
    if (this.#learning.size === 0) return found
    for (const l of this.#learning) {
      for (const t of tokens) {
        if (l.values.has(t)) { found.push(l); break }
      }
    }
    return found
  }

  /** Wait for all of `pending`, at most `timeoutMs`; `go` runs once, never synchronously before this returns. */
  wait (pending: readonly Learning[], timeoutMs: number, go: () => void): void {
    this.#waits++
    let left = pending.length
    let gone = false
    const timer = setTimeout(() => {
      if (gone) return
      gone = true
      this.#waitTimeouts++
      go()
    }, timeoutMs)
    timer.unref()
    const one = (): void => {
      if (--left > 0 || gone) return
      gone = true
      clearTimeout(timer)
      setImmediate(go)
    }
    for (const l of pending) l.onDone(one)
  }

  stats (): CorrelationCounts {
    return { learned: this.#learned, applied: this.#applied, evicted: this.#evicted, waits: this.#waits, waitTimeouts: this.#waitTimeouts, pairs: this.#pairs.size }
  }
}
