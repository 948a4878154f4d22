/**
 * Re-scoring stored data under other compare rules (`strangler report
 * --rules FILE`), without new traffic:
 * - a record with a kept pair is compared again in full from the pair's
 *   request and responses, so every compare key applies (`unordered` and
 *   `tolerance` too); correlation is re-learned from the pairs in time order
 *   at the route's learn paths, and the noise the records flagged stays noise;
 * - a record without one keeps its stored differences, filtered by the new
 *   `ignore`, `typeOnly` and `accept` (nothing new can be found in it).
 * Records of routes the rules do not have are kept as they were.
 */
import { parseComparePath } from '../config/compare-path.js'
import { concretePath, coversJsonPath, foldIndexes, parseJsonPath } from '../config/json-path.js'
import type { CompareConfig, RouteConfig, Rules } from '../config/types.js'
import { absorbCorrelated } from '../compare/absorb-correlated.js'
import { acceptsValues } from '../compare/accept-values.js'
import type { CapturedResponse } from '../compare/captured-response.js'
import { compareExchange } from '../compare/compare-exchange.js'
import { compileCompare, NO_RULES, type CompiledCompare } from '../compare/compile-compare.js'
import { acceptedAt } from '../compare/diff-json.js'
import type { LearnedValue } from '../compare/learn-pairs.js'
import type { PairDifference } from '../store/difference.js'
import type { DiffRecord, Outcome } from '../store/record.js'
import type { StoredBody, StoredPair, StoredResponse } from '../store/stored-pair.js'

/** How each route's records were re-scored. */
export interface RescoreCounts {
  /** compared again in full from kept pairs */
  fromPairs: number
  /** their stored differences filtered by the new rules */
  fromDifferences: number
}

function bodyOf (b: StoredBody | null): Buffer | null {
  if (b === null) return null
  return b.encoding === 'base64' ? Buffer.from(b.data, 'base64') : Buffer.from(b.data, 'utf8')
}

/** A stored response as the comparison takes it (its body is stored decoded). */
export function capturedOf (r: StoredResponse): CapturedResponse {
  const headers: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(r.headers)) headers[k] = typeof v === 'string' ? v : [...v]
  return { status: r.status, headers, body: bodyOf(r.body) }
}

const ignoreCache = new WeakMap<CompareConfig, { ignore: ReturnType<typeof parseJsonPath>[]; typeOnly: ReturnType<typeof parseJsonPath>[] }>()

function jsonLists (cfg: CompareConfig): { ignore: ReturnType<typeof parseJsonPath>[]; typeOnly: ReturnType<typeof parseJsonPath>[] } {
  let c = ignoreCache.get(cfg)
  if (c === undefined) {
    const json = (list: readonly string[]): ReturnType<typeof parseJsonPath>[] => list.flatMap((p) => {
      const cp = parseComparePath(p)
      return cp.kind === 'json' ? [parseJsonPath(p)] : []
    })
    c = { ignore: json(cfg.ignore), typeOnly: json(cfg.typeOnly ?? []) }
    ignoreCache.set(cfg, c)
  }
  return c
}

/** A stored difference under new rules: dropped (null), accepted, or kept as it is. */
function refilter (d: PairDifference, cfg: CompareConfig, cc: CompiledCompare): PairDifference | null {
  const plain = { ...d }
  delete (plain as { accepted?: true }).accepted
  if (d.kind === 'status') {
    if (cc.status.ignore || cc.status.typeOnly) return null
    return acceptsValues(cc.status.accept, d.primary, d.shadow) ? { ...plain, accepted: true } : plain
  }
  if (d.kind === 'header') {
    const rules = cc.headers.get(d.header.toLowerCase()) ?? NO_RULES
    if (rules.ignore || (rules.typeOnly && (d.primary === null) === (d.shadow === null))) return null
    return acceptsValues(rules.accept, d.primary ?? undefined, d.shadow ?? undefined) ? { ...plain, accepted: true } : plain
  }
  if (d.kind === 'body') {
    if (cc.body.ignore) return null
    return acceptsValues(cc.body.accept, d.primary, d.shadow) ? { ...plain, accepted: true } : plain
  }
  const at = concretePath(d.path)
  if (at === null) return plain
  const lists = jsonLists(cfg)
  if (lists.ignore.some((p) => coversJsonPath(p, at))) return null
  if (d.kind === 'changed' && lists.typeOnly.some((p) => coversJsonPath(p, at))) return null
  const primary = d.kind === 'added' ? undefined : d.kind === 'type' ? d.primaryValue : d.primary
  const shadow = d.kind === 'removed' ? undefined : d.kind === 'type' ? d.shadowValue : d.shadow
  const typeNames = d.kind === 'type' ? [d.primary, d.shadow] as const : undefined
  return acceptedAt(cc.json, at, primary, shadow, typeNames) ? { ...plain, accepted: true } : plain
}

const counts = (s: readonly PairDifference[]): boolean => s.some((d) => d.accepted !== true && d.noise !== true)

/**
 * Records re-scored under `rules`; `pairs` by record id. `tally` is filled per
 * route as records go by. Learned correlation is replayed from the pairs:
 * give them in time order (the store's order).
 */
export async function * rescoreRecords (
  records: AsyncIterable<DiffRecord> | Iterable<DiffRecord>,
  pairs: ReadonlyMap<string, StoredPair>,
  rules: Rules,
  tally: Map<string, RescoreCounts>
): AsyncGenerator<DiffRecord, void, undefined> {
  const routes = new Map<string, RouteConfig>(rules.routes.map((r) => [r.name, r]))
  const learned = new Map<string, LearnedValue>()
  const lookup = (p: string): LearnedValue | undefined => learned.get(p)
  const noise = new Map<string, Set<string>>()
  for await (const r of records) {
    const route = routes.get(r.route)
    if (route === undefined || (r.outcome !== 'match' && r.outcome !== 'mismatch')) { yield r; continue }
    let t = tally.get(r.route)
    if (t === undefined) { t = { fromPairs: 0, fromDifferences: 0 }; tally.set(r.route, t) }
    for (const d of r.differences) {
      if ((d as { noise?: true }).noise === true) {
        let set = noise.get(r.route)
        if (set === undefined) { set = new Set(); noise.set(r.route, set) }
        set.add(foldIndexes(d.path))
      }
    }
    const pair = pairs.get(r.id)
    let differences: PairDifference[]
    let truncated = false
    let correlated = r.correlated ?? 0
    if (pair !== undefined) {
      t.fromPairs++
      const result = compareExchange(capturedOf(pair.primary), capturedOf(pair.shadow), route.compare, {}, route.learn)
      for (const [p, s] of result.learned ?? []) learned.set(String(p), s)
      differences = [...result.differences]
      truncated = result.truncated
      const absorbed = absorbCorrelated(differences, lookup)
      differences = absorbed.kept
      correlated = absorbed.correlated
    } else {
      t.fromDifferences++
      const cc = compileCompare(route.compare)
      differences = []
      for (const d of r.differences as readonly PairDifference[]) {
        const kept = refilter(d, route.compare, cc)
        if (kept !== null) differences.push(kept)
      }
    }
    const routeNoise = noise.get(r.route)
    if (routeNoise !== undefined) {
      differences = differences.map((d) => d.accepted !== true && routeNoise.has(foldIndexes(d.path)) ? { ...d, noise: true as const } : d)
    }
    const outcome: Outcome = counts(differences) || truncated ? 'mismatch' : 'match'
    const next: DiffRecord = { ...r, outcome, differences }
    if (correlated > 0) yield { ...next, correlated }
    else {
      const { correlated: _drop, ...rest } = next
      yield rest
    }
  }
}
