/**
 * The proposals a route's tallied differences support by their values alone
 * (suggest-rules.ts adds `unordered`, which needs kept pairs):
 * - `ignore` for a path calibration flagged as noise, or one that differs in
 *   nearly every compared pair with values that look generated;
 * - `typeOnly` for a path that differs in nearly every pair, never in type
 *   or presence, with timestamps on both sides;
 * - `accept` (a question) for a constant difference: the same primary →
 *   shadow values in nearly every pair that differs there;
 * - `tolerance`: the smallest of one significant digit that absorbs every
 *   number differing only past the 6th significant digit, never one that
 *   would also absorb a real difference.
 */
import type { AcceptRule } from '../config/types.js'
import { toleranceFor } from './float-noise.js'
import type { PathStats, RouteTally } from './path-tally.js'
import type { Evidence, Example, Proposal } from './proposal.js'

/** "nearly every": the share of pairs a proposal needs */
export const NEARLY_EVERY = 0.9
/** fewer pairs than this prove nothing */
export const MIN_PAIRS = 3

const share = (n: number, of: number): number => of === 0 ? 0 : n / of
const pct = (x: number): string => `${Math.floor(x * 1000) / 10}%`
/** "40 of 40 compared pairs (100%)" */
const outOf = (n: number, of: number, what: string): string => `${n} of ${of} ${what} (${pct(share(n, of))})`

function evidence (pairs: number, of: number, why: string, examples: readonly Example[]): Evidence {
  return { pairs, of, share: share(pairs, of), why, examples }
}

function nearlyEvery (s: PathStats, compared: number): boolean {
  return s.pairs >= MIN_PAIRS && share(s.pairs, compared) >= NEARLY_EVERY
}

/** A path's values vary (a generated value or a time is not one fixed value). */
const varies = (s: PathStats): boolean => s.primaryValues.size > 1 || s.constants.size > 1 || s.constantsOverflow

function typeOnlyOf (s: PathStats, compared: number): Proposal | null {
  if (!nearlyEvery(s, compared) || s.typeOrPresence || !s.onlyTimestamps || s.timestamps.size === 0 || !varies(s)) return null
  if ([...s.kinds].some((k) => k !== 'changed' && k !== 'header')) return null
  const kinds = [...s.timestamps].join(', ')
  return {
    kind: 'typeOnly',
    path: s.path,
    evidence: evidence(s.pairs, compared, `differs in ${outOf(s.pairs, compared, 'compared pairs')}, never in type or presence; the values are timestamps (${kinds}): same type is enough`, s.examples)
  }
}

function ignoreOf (s: PathStats, compared: number): Proposal | null {
  if (!nearlyEvery(s, compared) || !s.onlyGenerated || s.generated.size === 0 || !varies(s)) return null
  const kinds = [...s.generated].join(', ')
  return {
    kind: 'ignore',
    path: s.path,
    reason: 'generated',
    evidence: evidence(s.pairs, compared, `differs in ${outOf(s.pairs, compared, 'compared pairs')}; the values look generated (${kinds})`, s.examples)
  }
}

function acceptOf (s: PathStats): Proposal | null {
  if (s.onlyFloatNoise) return null
  let best: PathStats['constants'] extends Map<string, infer C> ? C | undefined : never
  for (const c of s.constants.values()) if (best === undefined || c.pairs > best.pairs) best = c
  if (best === undefined || best.pairs < MIN_PAIRS || share(best.pairs, s.pairs) < NEARLY_EVERY) return null
  const rule: AcceptRule = { path: s.path, ...best.sides }
  const show = (side: 'primary' | 'shadow'): string => side in best.sides ? JSON.stringify(best.sides[side]) : '(absent)'
  return {
    kind: 'accept',
    rule,
    evidence: evidence(best.pairs, s.pairs, `the same difference, ${show('primary')} → ${show('shadow')}, in ${outOf(best.pairs, s.pairs, 'pairs that differ there')}: accept it?`, best.examples)
  }
}

function toleranceOf (t: RouteTally, taken: ReadonlySet<string>): Proposal | null {
  const open = [...t.paths.values()].filter((s) => !taken.has(s.path))
  const noisy = open.filter((s) => s.floatNoise > 0).sort(byPlace)
  if (noisy.length === 0) return null
  const count = noisy.reduce((n, s) => n + s.floatNoise, 0)
  const largest = Math.max(...noisy.map((s) => s.maxNoise))
  const smallestReal = Math.min(...open.map((s) => s.minReal))
  const value = toleranceFor(largest)
  // a tolerance that would also swallow a real difference is no proposal
  if (value >= smallestReal) return null
  const paths = noisy.map((s) => s.path)
  const pairs = new Set(noisy.flatMap((s) => [...s.noisePairs])).size
  const examples = noisy.flatMap((s) => s.noiseExamples).slice(0, 3)
  return {
    kind: 'tolerance',
    value,
    paths,
    evidence: evidence(pairs, t.compared, `${count} number difference${count === 1 ? '' : 's'} in ${outOf(pairs, t.compared, 'compared pairs')} only past the 6th significant digit (the largest ${largest.toPrecision(2)}) at ${paths.join(', ')}; ${value} absorbs them all${Number.isFinite(smallestReal) ? `, and no real one (the smallest is ${smallestReal})` : ''}`, examples)
  }
}

/** `$status`, then headers, then `$body`, then JSON paths, each alphabetically */
function byPlace (a: { path: string }, b: { path: string }): number {
  const rank = (p: string): number => p === '$status' ? 0 : p.startsWith('$headers') ? 1 : p === '$body' ? 2 : 3
  return rank(a.path) - rank(b.path) || a.path.localeCompare(b.path)
}

/** The value proposals of one route's tally, in a stable order: ignore, typeOnly, tolerance, accept. */
export function valueProposals (t: RouteTally): Proposal[] {
  const ignore: Proposal[] = []
  const typeOnly: Proposal[] = []
  const accept: Proposal[] = []
  const taken = new Set<string>()
  for (const ns of [...t.noise.values()].sort(byPlace)) {
    if (ns.pairs < 1) continue
    taken.add(ns.path)
    ignore.push({
      kind: 'ignore',
      path: ns.path,
      reason: 'noise',
      evidence: evidence(ns.pairs, t.compared, `noise calibration saw the primary's own answers differ here; flagged noise in ${outOf(ns.pairs, t.compared, 'compared pairs')}`, ns.examples)
    })
  }
  for (const s of [...t.paths.values()].sort(byPlace)) {
    if (taken.has(s.path)) continue
    const p = typeOnlyOf(s, t.compared) ?? ignoreOf(s, t.compared)
    if (p !== null) {
      taken.add(s.path)
      ;(p.kind === 'ignore' ? ignore : typeOnly).push(p)
      continue
    }
    const a = acceptOf(s)
    if (a !== null) { taken.add(s.path); accept.push(a) }
  }
  const tolerance = toleranceOf(t, taken)
  return [...ignore, ...typeOnly, ...(tolerance === null ? [] : [tolerance]), ...accept]
}
