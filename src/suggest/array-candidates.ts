/**
 * The arrays a route's differences lie under: the candidates for `unordered`.
 * A difference at `$.items[3].tags[0]` lies under `$.items` and
 * `$.items[*].tags` (folded: one candidate for every element of `$.items`).
 */
import { foldIndexes, formatJsonPath, parseJsonPath } from '../config/json-path.js'
import type { PairDifference } from '../store/difference.js'
import type { DiffRecord } from '../store/record.js'

export interface ArrayCandidate {
  /** folded JSON path of the array: `$.items`, `$.items[*].tags` */
  readonly path: string
  /** nesting depth: arrays it lies in, plus one */
  readonly depth: number
  /** records with a difference under it */
  readonly pairs: number
}

/** A difference that counts against parity: not accepted, not noise. */
export const counts = (d: PairDifference): boolean => d.accepted !== true && d.noise !== true

/** The arrays (folded) a record path lies under, outermost first; none for `$status`, headers, `$body`. */
export function arraysAbove (recordPath: string): string[] {
  if (!recordPath.startsWith('$') || recordPath.startsWith('$status') || recordPath.startsWith('$headers') || recordPath.startsWith('$body')) return []
  let steps
  try {
    steps = parseJsonPath(recordPath).steps
  } catch {
    return []
  }
  const out: string[] = []
  const prefix: (string | number)[] = []
  for (const s of steps) {
    if (s.t === 'index') out.push(foldIndexes(formatJsonPath(prefix)))
    if (s.t === 'key') prefix.push(s.name)
    else if (s.t === 'index') prefix.push(s.n)
    else return out
  }
  return out
}

/** True when a record path lies under the (folded) array path. */
export function liesUnder (recordPath: string, array: string): boolean {
  return foldIndexes(recordPath).startsWith(array + '[')
}

/** The arrays the counted differences of these records lie under, innermost first, then by pairs. */
export function arrayCandidates (records: Iterable<DiffRecord>): ArrayCandidate[] {
  const found = new Map<string, { depth: number; pairs: number }>()
  for (const r of records) {
    const here = new Set<string>()
    for (const d of r.differences as readonly PairDifference[]) {
      if (!counts(d)) continue
      arraysAbove(d.path).forEach((a, i) => {
        if (here.has(a)) return
        here.add(a)
        const c = found.get(a)
        if (c === undefined) found.set(a, { depth: i + 1, pairs: 1 })
        else c.pairs++
      })
    }
  }
  return [...found].map(([path, c]) => ({ path, ...c })).sort((a, b) => b.depth - a.depth || b.pairs - a.pairs || a.path.localeCompare(b.path))
}
