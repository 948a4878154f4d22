/**
 * Learned correlation (DESIGN.md "Per-side requests and learned correlation"):
 * the values each side generated for itself (tokens, ids, slugs), read from
 * two answers to one request. At every concrete path a `correlate.learn`
 * pattern matches, a string or number P in the primary and a string or number
 * S at the same concrete path in the shadow form the pair P -> S; equal
 * values teach nothing.
 */
import type { JsonValue } from '../store/difference.js'
import { compilePathMatcher, type MatchState, type PathMatcher } from './path-matcher.js'

/** What a learned pair holds on each side. */
export type LearnedValue = string | number

export type LearnedPair = readonly [primary: LearnedValue, shadow: LearnedValue]

const matchers = new Map<string, PathMatcher>()

/** The learn patterns compiled once per distinct list (the worker gets the list, not the matcher). */
function matcherFor (paths: readonly string[]): PathMatcher {
  const key = paths.join('\n')
  let m = matchers.get(key)
  if (m === undefined) {
    m = compilePathMatcher([paths])
    matchers.set(key, m)
  }
  return m
}

const isLearnable = (v: JsonValue | undefined): v is LearnedValue =>
  (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v))

/** Every pair the learn paths find in two parsed JSON documents, in document order. */
export function learnPairs (primary: JsonValue, shadow: JsonValue, paths: readonly string[]): LearnedPair[] {
  const out: LearnedPair[] = []
  if (paths.length === 0) return out
  walk(primary, shadow, matcherFor(paths).root, out)
  return out
}

function walk (a: JsonValue, b: JsonValue, st: MatchState, out: LearnedPair[]): void {
  if ((st.acceptMask & 1) !== 0 && isLearnable(a) && isLearnable(b) && a !== b) {
    out.push([a, b])
    return
  }
  if (st.dead || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return
    const n = Math.min(a.length, b.length)
    for (let i = 0; i < n; i++) walk(a[i]!, b[i]!, st.step(i), out)
    return
  }
  if (Array.isArray(b)) return
  for (const key of Object.keys(a)) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) continue
    walk(a[key]!, b[key]!, st.step(key), out)
  }
}

/** The learnable values one parsed document holds at the learn paths (the primary's, before its pair is known). */
export function learnValues (doc: JsonValue, paths: readonly string[]): LearnedValue[] {
  const out: LearnedValue[] = []
  if (paths.length === 0) return out
  collect(doc, matcherFor(paths).root, out)
  return out
}

function collect (v: JsonValue, st: MatchState, out: LearnedValue[]): void {
  if ((st.acceptMask & 1) !== 0 && isLearnable(v)) {
    out.push(v)
    return
  }
  if (st.dead || v === null || typeof v !== 'object') return
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) collect(v[i]!, st.step(i), out)
    return
  }
  for (const key of Object.keys(v)) collect(v[key]!, st.step(key), out)
}
