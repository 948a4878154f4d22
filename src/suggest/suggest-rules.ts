/**
 * `strangler suggest`: from a route's stored records and kept pairs, the
 * compare settings that would absorb its noise, each with its evidence.
 *
 * The records are first re-scored under the rules as they are
 * (report/rescore.ts: kept pairs are compared again in full, the others'
 * stored differences filtered), so nothing the file already says is proposed
 * again. Then:
 * - `unordered`: for each array the differences of kept pairs lie under
 *   (innermost first), the pairs are compared again with it unordered, plus
 *   the value settings those comparisons call for (a shuffled list of items
 *   each stamped with its own time needs both); it is proposed when, against
 *   the same value settings without it, the differences under the array
 *   disappear in most pairs that have some (at least half, at least 3) and
 *   no pair is left with more of them: a real change inside a shuffled list
 *   stays visible, as fewer differences. One found, the search starts over.
 * - the value proposals (value-proposals.ts) come from the differences left
 *   once the proposed arrays are unordered: a shuffled list no longer looks
 *   like ids that differ in every pair.
 */
import type { CompareConfig, RouteConfig, Rules } from '../config/types.js'
import { rescoreRecords } from '../report/rescore.js'
import type { PairDifference } from '../store/difference.js'
import type { DiffRecord } from '../store/record.js'
import type { StoredPair } from '../store/stored-pair.js'
import { arrayCandidates, counts, liesUnder } from './array-candidates.js'
import { compareWithProposals } from './compare-with-proposals.js'
import { emptyTally, sidesOf, tallyRecord, type RouteTally } from './path-tally.js'
import type { Example, Proposal, RouteSuggestions } from './proposal.js'
import { MIN_PAIRS, NEARLY_EVERY, valueProposals } from './value-proposals.js'

export interface SuggestInput {
  /** the store's records, in its order (correlation is replayed in time order) */
  readonly records: readonly DiffRecord[]
  /** kept pairs by record id */
  readonly pairs: ReadonlyMap<string, StoredPair>
  readonly rules: Rules
  /** only this route */
  readonly route?: string
}

/** `unordered` needs the differences under the array gone in at least this share of the pairs that have some */
const MOST = 0.5

/** array candidates tried per route, at most: each costs a few passes over the route's pairs */
const MAX_ARRAY_TRIALS = 24

const compared = (r: DiffRecord): boolean => r.outcome === 'match' || r.outcome === 'mismatch'
const pct = (x: number): string => `${Math.floor(x * 1000) / 10}%`

function tallyOf (route: string, records: readonly DiffRecord[]): RouteTally {
  const t = emptyTally(route)
  for (const r of records) tallyRecord(t, r)
  return t
}

/** The route's records re-scored with `cfg` as its compare settings (the other routes' as they are). */
type Rescore = (cfg: CompareConfig) => Promise<DiffRecord[]>

function rescorerFor (input: SuggestInput, route: RouteConfig): Rescore {
  // learned correlation comes from the routes with learn paths: replay theirs too, in order
  const learners = new Set(input.rules.routes.filter((r) => r.learn.length > 0).map((r) => r.name))
  const stream = input.records.filter((r) => r.route === route.name || learners.has(r.route))
  return async (cfg) => {
    const rules: Rules = { ...input.rules, routes: input.rules.routes.map((r) => r.name === route.name ? { ...r, compare: cfg } : r) }
    const out: DiffRecord[] = []
    for await (const r of rescoreRecords(stream, input.pairs, rules, new Map())) {
      if (r.route === route.name && compared(r)) out.push(r)
    }
    return out
  }
}

/** Per kept pair (record id): its counted differences under the array, and the first of them. */
function underArray (records: readonly DiffRecord[], pairs: ReadonlyMap<string, StoredPair>, array: string): Map<string, { count: number; first: PairDifference }> {
  const out = new Map<string, { count: number; first: PairDifference }>()
  for (const r of records) {
    if (!pairs.has(r.id)) continue
    for (const d of r.differences as readonly PairDifference[]) {
      if (!counts(d) || !liesUnder(d.path, array)) continue
      const seen = out.get(r.id)
      if (seen === undefined) out.set(r.id, { count: 1, first: d })
      else seen.count++
    }
  }
  return out
}

/**
 * `unordered` for `array`, when its kept pairs show it: compared as
 * multisets (with the value settings that comparison calls for, the same on
 * both sides of the test), the differences under it disappear in most of the
 * pairs that have some, and no pair is left with more of them (a real change
 * in a shuffled list stays, as fewer differences).
 */
async function tryUnordered (array: string, base: CompareConfig, current: readonly DiffRecord[], pairs: ReadonlyMap<string, StoredPair>, rescore: Rescore): Promise<Proposal | null> {
  if (underArray(current, pairs, array).size < MIN_PAIRS) return null
  const unordered: Proposal = { kind: 'unordered', path: array, evidence: { pairs: 0, of: 0, share: 0, why: '', examples: [] } }
  // what the elements still differ by once paired as a multiset (their own times, float noise)
  const values = valueProposals(tallyOf('', await rescore(compareWithProposals(base, [unordered]))))
  const withValues = compareWithProposals(base, values)
  const without = underArray(await rescore(withValues), pairs, array)
  const after = underArray(await rescore(compareWithProposals(withValues, [unordered])), pairs, array)
  let resolved = 0
  let worse = 0
  for (const id of without.keys()) if (!after.has(id)) resolved++
  for (const [id, a] of after) if (a.count > (without.get(id)?.count ?? 0)) worse++
  const share = without.size === 0 ? 0 : resolved / without.size
  if (resolved < MIN_PAIRS || share < MOST || worse > without.size * (1 - NEARLY_EVERY)) return null
  const examples: Example[] = [...without].slice(0, 3).map(([id, { first: d }]) => ({ id, path: d.path, ...sidesOf(d) }))
  const kept = without.size - resolved
  const also = values.some((p) => p.kind !== 'accept')
  return {
    kind: 'unordered',
    path: array,
    evidence: {
      pairs: resolved,
      of: without.size,
      share,
      why: `${without.size} kept pairs differ under it; compared as multisets${also ? ' (with the value settings proposed here)' : ''}, the differences under it disappear in ${resolved} of them (${pct(share)})${kept > 0 ? `; ${kept} keep fewer of them` : ''}`,
      examples
    }
  }
}

async function suggestRoute (input: SuggestInput, route: RouteConfig): Promise<RouteSuggestions | null> {
  const rescore = rescorerFor(input, route)
  let current = await rescore(route.compare)
  if (current.length === 0) return null
  const keptPairs = current.filter((r) => input.pairs.has(r.id)).length

  const found: Proposal[] = []
  let base = route.compare
  const tried = new Set(route.compare.unordered)
  let trials = 0
  for (let again = keptPairs > 0; again && trials < MAX_ARRAY_TRIALS;) {
    again = false
    const candidates = arrayCandidates(current.filter((r) => input.pairs.has(r.id))).filter((c) => !tried.has(c.path))
    for (const c of candidates) {
      if (trials >= MAX_ARRAY_TRIALS) break
      tried.add(c.path)
      trials++
      const p = await tryUnordered(c.path, base, current, input.pairs, rescore)
      if (p === null) continue
      found.push(p)
      base = compareWithProposals(base, [p])
      current = await rescore(base)
      again = true
      break
    }
  }

  const values = valueProposals(tallyOf(route.name, current))
  const order: Proposal['kind'][] = ['ignore', 'typeOnly', 'unordered', 'tolerance', 'accept']
  const proposals = [...values, ...found].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
  return { route: route.name, index: route.index, compared: current.length, keptPairs, proposals }
}

/** The proposals per route of the rules (in file order) that has compared pairs in the records. */
export async function suggestRules (input: SuggestInput): Promise<RouteSuggestions[]> {
  const out: RouteSuggestions[] = []
  for (const route of input.rules.routes) {
    if (input.route !== undefined && route.name !== input.route) continue
    const s = await suggestRoute(input, route)
    if (s !== null) out.push(s)
  }
  return out
}
