/**
 * The differences of one route's records, tallied per folded path (array
 * indexes as `[*]`): in how many pairs the path differs, of which kinds, what
 * its values look like, which primary → shadow values recur, and the numbers
 * that differ only by float noise. What `suggest` decides from.
 */
import { foldIndexes } from '../config/json-path.js'
import type { JsonValue } from '../config/types.js'
import type { PairDifference } from '../store/difference.js'
import type { DiffRecord } from '../store/record.js'
import { differsPastSixthDigit } from './float-noise.js'
import { generatedKind, timestampKind, type GeneratedKind, type TimestampKind } from './generated-values.js'
import type { Example } from './proposal.js'

const MAX_EXAMPLES = 3
/** distinct primary → shadow value pairs followed per path; past it the path is no constant difference */
const MAX_CONSTANTS = 64

/** The two sides of a difference as an accept rule names them: a side left out is absent. */
export interface Sides {
  readonly primary?: JsonValue
  readonly shadow?: JsonValue
}

export interface ConstantValues {
  readonly sides: Sides
  /** pairs whose every difference at the path has these values */
  pairs: number
  readonly examples: Example[]
}

export interface PathStats {
  /** folded: `$.items[*].price` */
  readonly path: string
  /** pairs with a difference here that counts (not accepted, not noise) */
  pairs: number
  readonly kinds: Set<PairDifference['kind']>
  /** kinds of generated values seen; `onlyGenerated` false once a value that is not one was seen */
  readonly generated: Set<GeneratedKind>
  onlyGenerated: boolean
  readonly timestamps: Set<TimestampKind>
  onlyTimestamps: boolean
  /** a difference here was of presence or type (added, removed, type, a header on one side only) */
  typeOrPresence: boolean
  /** distinct primary values seen (up to 2): a generated value varies */
  readonly primaryValues: Set<string>
  readonly constants: Map<string, ConstantValues>
  /** more distinct value pairs than followed */
  constantsOverflow: boolean
  /** every difference here was two numbers differing past the 6th significant digit */
  onlyFloatNoise: boolean
  readonly examples: Example[]
  /** differences of two numbers past the 6th significant digit, the largest of them, examples */
  floatNoise: number
  /** the pairs (record ids) with float noise here */
  readonly noisePairs: Set<string>
  maxNoise: number
  readonly noiseExamples: Example[]
  /** the smallest difference of two numbers that is more than noise (Infinity when none) */
  minReal: number
}

export interface NoiseStats {
  readonly path: string
  /** pairs with a difference here that calibration flagged `noise` */
  pairs: number
  readonly examples: Example[]
}

export interface RouteTally {
  readonly route: string
  /** compared pairs (outcome match or mismatch) */
  compared: number
  readonly paths: Map<string, PathStats>
  readonly noise: Map<string, NoiseStats>
}

/** The sides of a difference as an accept rule would name them. */
export function sidesOf (d: PairDifference): Sides {
  switch (d.kind) {
    case 'added': return { shadow: d.shadow }
    case 'removed': return { primary: d.primary }
    case 'header': {
      const out: { primary?: JsonValue; shadow?: JsonValue } = {}
      if (d.primary !== null) out.primary = d.primary
      if (d.shadow !== null) out.shadow = d.shadow
      return out
    }
    case 'type':
      // the values when both sides are scalars ("" against null), else the type names
      return 'primaryValue' in d || 'shadowValue' in d ? { primary: d.primaryValue ?? null, shadow: d.shadowValue ?? null } : { primary: d.primary, shadow: d.shadow }
    default: return { primary: d.primary, shadow: d.shadow }
  }
}

/** The values a difference compares, for judging their look (none for bodies and type names). */
function valuesOf (d: PairDifference): (JsonValue | undefined)[] | null {
  switch (d.kind) {
    case 'body': return null
    case 'type': return 'primaryValue' in d || 'shadowValue' in d ? [d.primaryValue, d.shadowValue] : null
    case 'header': return [d.primary ?? undefined, d.shadow ?? undefined]
    case 'added': return [d.shadow]
    case 'removed': return [d.primary]
    default: return [d.primary, d.shadow]
  }
}

function example (id: string, d: PairDifference): Example {
  return { id, path: d.path, ...sidesOf(d) }
}

export function emptyTally (route: string): RouteTally {
  return { route, compared: 0, paths: new Map(), noise: new Map() }
}

function statsFor (tally: RouteTally, path: string): PathStats {
  let s = tally.paths.get(path)
  if (s === undefined) {
    s = {
      path,
      pairs: 0,
      kinds: new Set(),
      generated: new Set(),
      onlyGenerated: true,
      timestamps: new Set(),
      onlyTimestamps: true,
      typeOrPresence: false,
      primaryValues: new Set(),
      constants: new Map(),
      constantsOverflow: false,
      onlyFloatNoise: true,
      examples: [],
      floatNoise: 0,
      noisePairs: new Set(),
      maxNoise: 0,
      noiseExamples: [],
      minReal: Infinity
    }
    tally.paths.set(path, s)
  }
  return s
}

function look (s: PathStats, d: PairDifference): void {
  s.kinds.add(d.kind)
  if (d.kind === 'added' || d.kind === 'removed' || d.kind === 'type' || (d.kind === 'header' && (d.primary === null) !== (d.shadow === null))) s.typeOrPresence = true
  const values = valuesOf(d)
  if (values === null) { s.onlyGenerated = false; s.onlyTimestamps = false; return }
  for (const v of values) {
    if (v === undefined || v === null) continue
    const g = generatedKind(v)
    if (g === null) s.onlyGenerated = false
    else s.generated.add(g)
    const t = timestampKind(v)
    if (t === null) s.onlyTimestamps = false
    else s.timestamps.add(t)
  }
  if (values[0] !== undefined && s.primaryValues.size < 2) s.primaryValues.add(JSON.stringify(values[0]))
}

/** Two numbers: float noise or a real difference. False when the difference is not of two numbers, or real. */
function countNumbers (s: PathStats, id: string, d: PairDifference): boolean {
  if (d.kind !== 'changed' || typeof d.primary !== 'number' || typeof d.shadow !== 'number') return false
  const gap = Math.abs(d.primary - d.shadow)
  if (differsPastSixthDigit(d.primary, d.shadow)) {
    s.floatNoise++
    s.noisePairs.add(id)
    if (gap > s.maxNoise) s.maxNoise = gap
    if (s.noiseExamples.length < MAX_EXAMPLES) s.noiseExamples.push(example(id, d))
    return true
  }
  if (gap < s.minReal) s.minReal = gap
  return false
}

/** Add one re-scored record of the route to its tally. */
export function tallyRecord (tally: RouteTally, r: DiffRecord): void {
  if (r.outcome !== 'match' && r.outcome !== 'mismatch') return
  tally.compared++
  // per path: the value pairs this record shows there (a record counts once per path)
  const seen = new Map<string, Map<string, { sides: Sides; d: PairDifference }>>()
  const noiseSeen = new Set<string>()
  for (const d of r.differences as readonly PairDifference[]) {
    if (d.accepted === true) continue
    const folded = foldIndexes(d.path)
    if (d.noise === true) {
      if (noiseSeen.has(folded)) continue
      noiseSeen.add(folded)
      let ns = tally.noise.get(folded)
      if (ns === undefined) { ns = { path: folded, pairs: 0, examples: [] }; tally.noise.set(folded, ns) }
      ns.pairs++
      if (ns.examples.length < MAX_EXAMPLES) ns.examples.push(example(r.id, d))
      continue
    }
    const s = statsFor(tally, folded)
    look(s, d)
    if (!countNumbers(s, r.id, d)) s.onlyFloatNoise = false
    let values = seen.get(folded)
    if (values === undefined) {
      values = new Map()
      seen.set(folded, values)
      s.pairs++
      if (s.examples.length < MAX_EXAMPLES) s.examples.push(example(r.id, d))
    }
    const sides = sidesOf(d)
    const key = JSON.stringify([('primary' in sides) ? sides.primary : '\u0000absent', ('shadow' in sides) ? sides.shadow : '\u0000absent'])
    if (!values.has(key)) values.set(key, { sides, d })
  }
  for (const [folded, values] of seen) {
    const s = tally.paths.get(folded)!
    if (values.size !== 1) continue
    const [[key, { sides, d }]] = [...values]
    let c = s.constants.get(key)
    if (c === undefined) {
      if (s.constants.size >= MAX_CONSTANTS) { s.constantsOverflow = true; continue }
      c = { sides, pairs: 0, examples: [] }
      s.constants.set(key, c)
    }
    c.pairs++
    if (c.examples.length < MAX_EXAMPLES) c.examples.push(example(r.id, d))
  }
}
