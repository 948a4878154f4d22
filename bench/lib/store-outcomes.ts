import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Outcome counts of the diff records in a store directory (skips weighted by their count). */
export function storeOutcomes (dir: string): Record<string, number> {
  const out: Record<string, number> = {}
  if (!existsSync(dir)) return out
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.ndjson')) continue
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line === '') continue
      try {
        const r = JSON.parse(line) as { outcome: string; skipped?: string; count?: number }
        const key = r.outcome === 'skipped' ? `skipped:${r.skipped ?? '?'}` : r.outcome
        out[key] = (out[key] ?? 0) + (r.count ?? 1)
      } catch { out.torn = (out.torn ?? 0) + 1 }
    }
  }
  return out
}

/** Lines in the kept-pair files of a store directory (`<dir>/pairs/*.ndjson`): the pairs that reached the disk. */
export function storedPairs (dir: string): number {
  const pairs = join(dir, 'pairs')
  if (!existsSync(pairs)) return 0
  let n = 0
  for (const f of readdirSync(pairs)) {
    if (!f.endsWith('.ndjson')) continue
    const b = readFileSync(join(pairs, f))
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++
  }
  return n
}
