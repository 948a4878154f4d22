/**
 * Counts records per folded JSON path with bounded memory. Exact while a route
 * has at most `capacity` distinct paths (the usual case: paths come from a
 * response schema). Beyond, when the map reaches twice the capacity, it keeps
 * the `capacity` most frequent and drops the rest (lossy counting): the kept
 * counts become lower bounds, `approximate` turns true, and a path dropped once
 * starts again from zero. Paths that are really frequent stay on top.
 */
import type { DifferenceKind } from '../store/difference.js'
import type { DifferenceExample } from './parity-report.js'

export interface PathEntry {
  count: number
  kinds: Partial<Record<DifferenceKind, number>>
  examples: string[]
  example: DifferenceExample | null
}

export const MAX_EXAMPLES = 3

export class PathCounter {
  readonly entries = new Map<string, PathEntry>()
  /** distinct paths ever seen is unknown once pruned; this counts insertions */
  private inserted = 0
  approximate = false

  constructor (private readonly capacity = 1000) {}

  get distinct (): number { return this.approximate ? this.inserted : this.entries.size }

  entry (path: string): PathEntry {
    let e = this.entries.get(path)
    if (e === undefined) {
      if (this.entries.size >= this.capacity * 2) this.prune()
      e = { count: 0, kinds: {}, examples: [], example: null }
      this.entries.set(path, e)
      this.inserted++
    }
    return e
  }

  /** The `n` most frequent, ties by path for a stable order. */
  top (n: number): Array<[string, PathEntry]> {
    return [...this.entries].sort(byCountThenKey).slice(0, n)
  }

  private prune (): void {
    const keep = [...this.entries].sort(byCountThenKey).slice(0, this.capacity)
    this.entries.clear()
    for (const [k, v] of keep) this.entries.set(k, v)
    this.approximate = true
  }
}

function byCountThenKey (a: [string, { count: number }], b: [string, { count: number }]): number {
  return b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
}
