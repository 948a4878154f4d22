/**
 * Writes a store whose ground truth the test knows: records are generated
 * here, written as NDJSON lines in two files, and the expected numbers are
 * computed from the generated records with plain, independent code (sorting
 * arrays, counting sets), not with the report's own machinery.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Difference } from '../../src/store/difference.js'
import type { DiffRecord, SkipReason } from '../../src/store/record.js'

export const BASE_TIME = Date.parse('2026-11-21T10:00:00.000Z')

type Rec = DiffRecord & { count?: number }

export interface RouteTruth {
  compared: number
  matched: number
  mismatched: number
  errors: number
  skipped: Record<string, number>
  primaryMs: number[]
  shadowMs: number[]
  /** folded path -> ids of mismatched records having it */
  paths: Map<string, Set<string>>
  statusPairs: Map<string, number>
}

export interface GroundTruth {
  dir: string
  records: Rec[]
  routes: Map<string, RouteTruth>
  ids: Set<string>
}

let seq = 0

export function makeRecord (p: {
  route: string
  outcome: DiffRecord['outcome']
  i: number
  differences?: Difference[]
  primaryMs?: number
  shadowMs?: number
  primaryStatus?: number | null
  shadowStatus?: number | null
  skipped?: SkipReason
  count?: number
  error?: string
  operation?: string
  atMs?: number
}): Rec {
  const id = `${p.route}-${String(p.i).padStart(5, '0')}-${(seq++).toString(36)}`
  const r: Record<string, unknown> = {
    v: 1,
    id,
    at: new Date(p.atMs ?? BASE_TIME + p.i * 1000).toISOString(),
    route: p.route,
    method: 'GET',
    url: `/api/${p.route}?n=${p.i}`,
    primary: { upstream: 'legacy', status: p.primaryStatus === undefined ? 200 : p.primaryStatus, ms: p.primaryMs ?? 10, bytes: 100 },
    shadow: { upstream: 'orders', status: p.shadowStatus === undefined ? 200 : p.shadowStatus, ms: p.shadowMs ?? 12, bytes: 100 },
    outcome: p.outcome,
    differences: p.differences ?? []
  }
  if (p.operation !== undefined) r.operation = p.operation
  if (p.skipped !== undefined) r.skipped = p.skipped
  if (p.count !== undefined) r.count = p.count
  if (p.error !== undefined) r.error = p.error
  return r as unknown as Rec
}

/** The fixture: four routes, one of each verdict. */
export function groundTruthRecords (): Rec[] {
  const out: Rec[] = []
  // list-orders: 300 compared, all match -> ready
  for (let i = 0; i < 300; i++) {
    out.push(makeRecord({ route: 'list-orders', outcome: 'match', i, primaryMs: 5 + (i % 40) * 0.5, shadowMs: 8 + (i % 30) }))
  }
  // get-order: 150 compared, 120 match, 30 mismatch, 5 shadow errors, skipped: concurrency 3 (aggregated) + 1, too-large 2 -> broken
  for (let i = 0; i < 150; i++) {
    const primaryMs = (i % 100) + 1
    const shadowMs = 2 * ((i % 100) + 1) + 0.3
    if (i % 5 !== 4) {
      out.push(makeRecord({ route: 'get-order', outcome: 'match', i, primaryMs, shadowMs, operation: 'GET /orders/{id}' }))
    } else if ((i / 5 | 0) % 3 !== 2) { // 20 records: price differs at two or three indexes
      const n = 2 + (i % 2)
      const differences: Difference[] = []
      for (let k = 0; k < n; k++) differences.push({ kind: 'changed', path: `$.items[${k * 2}].price`, primary: 10 + k, shadow: 10.5 + k })
      differences.push({ kind: 'removed', path: '$.items[0].legacyCode', primary: 'A-1' })
      out.push(makeRecord({ route: 'get-order', outcome: 'mismatch', i, primaryMs, shadowMs, differences, operation: 'GET /orders/{id}' }))
    } else { // 10 records: status 200 -> 201 and $.id type
      out.push(makeRecord({
        route: 'get-order',
        outcome: 'mismatch',
        i,
        primaryMs,
        shadowMs,
        primaryStatus: 200,
        shadowStatus: 201,
        operation: 'GET /orders/{id}',
        differences: [
          { kind: 'status', path: '$status', primary: 200, shadow: 201 },
          { kind: 'type', path: '$.id', primary: 'number', shadow: 'string' }
        ]
      }))
    }
  }
  for (let i = 0; i < 5; i++) out.push(makeRecord({ route: 'get-order', outcome: 'shadow-error', i: 200 + i, shadowStatus: null, error: 'shadow timed out after 5000 ms' }))
  out.push(makeRecord({ route: 'get-order', outcome: 'skipped', i: 210, skipped: 'concurrency', count: 3 }))
  out.push(makeRecord({ route: 'get-order', outcome: 'skipped', i: 211, skipped: 'concurrency' }))
  out.push(makeRecord({ route: 'get-order', outcome: 'skipped', i: 212, skipped: 'too-large' }))
  out.push(makeRecord({ route: 'get-order', outcome: 'skipped', i: 213, skipped: 'too-large' }))
  // users: 200 compared, 195 match, 5 mismatch (added field) -> almost
  for (let i = 0; i < 200; i++) {
    if (i % 40 === 39) {
      out.push(makeRecord({ route: 'users', outcome: 'mismatch', i, differences: [{ kind: 'added', path: '$.data[1].nickname', shadow: 'bob' }] }))
    } else {
      out.push(makeRecord({ route: 'users', outcome: 'match', i }))
    }
  }
  // search: 10 compared, all match -> insufficient-data
  for (let i = 0; i < 10; i++) out.push(makeRecord({ route: 'search', outcome: 'match', i }))
  return out
}

export function fold (path: string): string {
  return path.replace(/\[\d+\]/g, '[*]')
}

/** Expected numbers, computed plainly from the records. */
export function truthOf (records: readonly Rec[]): Map<string, RouteTruth> {
  const routes = new Map<string, RouteTruth>()
  for (const r of records) {
    let t = routes.get(r.route)
    if (!t) {
      t = { compared: 0, matched: 0, mismatched: 0, errors: 0, skipped: {}, primaryMs: [], shadowMs: [], paths: new Map(), statusPairs: new Map() }
      routes.set(r.route, t)
    }
    if (r.outcome === 'match' || r.outcome === 'mismatch') {
      t.compared++
      if (r.outcome === 'match') t.matched++
      else t.mismatched++
      t.primaryMs.push(r.primary.ms)
      t.shadowMs.push(r.shadow.ms)
      if (r.primary.status !== r.shadow.status) {
        const k = `${r.primary.status} → ${r.shadow.status}`
        t.statusPairs.set(k, (t.statusPairs.get(k) ?? 0) + 1)
      }
      for (const d of r.differences) {
        const f = fold(d.path)
        if (!t.paths.has(f)) t.paths.set(f, new Set())
        t.paths.get(f)!.add(r.id)
      }
    } else if (r.outcome === 'shadow-error') {
      t.errors++
    } else {
      t.skipped[r.skipped!] = (t.skipped[r.skipped!] ?? 0) + (r.count ?? 1)
    }
  }
  return routes
}

/** Nearest-rank percentile over an array. */
export function exactPercentile (values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.max(1, Math.ceil(p * s.length)) - 1]!
}

export async function writeStore (records: readonly Rec[], dir?: string, files = 2): Promise<string> {
  const d = dir ?? await mkdtemp(join(tmpdir(), 'strangler-report-'))
  await mkdir(d, { recursive: true })
  const per = Math.ceil(records.length / files)
  for (let f = 0; f < files; f++) {
    const chunk = records.slice(f * per, (f + 1) * per)
    await writeFile(join(d, `diffs-20261121T1000${String(f).padStart(2, '0')}Z-0000001-${String(f).padStart(6, '0')}.ndjson`),
      chunk.map(r => JSON.stringify(r)).join('\n') + (chunk.length > 0 ? '\n' : ''))
  }
  return d
}

export async function writeGroundTruthStore (): Promise<GroundTruth> {
  const records = groundTruthRecords()
  const dir = await writeStore(records)
  return { dir, records, routes: truthOf(records), ids: new Set(records.map(r => r.id)) }
}
