/**
 * Contract findings of one route (records of `serve --spec`): how many
 * compared records carry at least one, and the most frequent findings by side
 * and folded path. They are about one side, so they stay out of parity.
 * Records written before findings had their own list kept them among the
 * differences (kind `contract`): those are read too.
 */
import type { ContractFinding } from '../store/difference.js'
import { foldIndexes } from '../config/json-path.js'
import type { DiffRecord } from '../store/record.js'
import type { ContractTop } from './parity-report.js'
import { MAX_EXAMPLES, PathCounter } from './path-counter.js'

interface Seen { readonly schemaPath: string; readonly message: string }

export class ContractCounter {
  /** compared records with at least one finding */
  records = 0
  readonly #paths: PathCounter
  /** the first finding seen for a key of #paths */
  readonly #first = new Map<string, Seen>()
  readonly #keys = new Set<string>()
  readonly #capacity: number

  constructor (capacity = 1000) {
    this.#paths = new PathCounter(capacity)
    this.#capacity = capacity
  }

  /** Count the findings of one compared record (`id` its record id). */
  add (r: DiffRecord, id: string): void {
    const findings = findingsOf(r)
    if (findings.length === 0) return
    this.records++
    this.#keys.clear()
    for (const f of findings) {
      const key = `${f.side} ${foldIndexes(f.path)}`
      if (this.#keys.has(key)) continue // a record counts once per side and path
      this.#keys.add(key)
      const e = this.#paths.entry(key)
      e.count++
      if (e.examples.length < MAX_EXAMPLES) e.examples.push(id)
      if (!this.#first.has(key) && this.#first.size < 4 * this.#capacity) this.#first.set(key, { schemaPath: String(f.schemaPath), message: String(f.message) })
    }
  }

  /** The `n` most frequent findings. */
  top (n: number): ContractTop[] {
    return this.#paths.top(n).map(([key, e]) => {
      const space = key.indexOf(' ')
      const seen = this.#first.get(key)
      return {
        side: key.slice(0, space) as ContractTop['side'],
        path: key.slice(space + 1),
        count: e.count,
        examples: e.examples,
        schemaPath: seen?.schemaPath ?? '',
        message: seen?.message ?? ''
      }
    })
  }
}

/** The record's findings: its `contract` list, or (older records) contract differences; untrusted lines are checked. */
function findingsOf (r: DiffRecord): ContractFinding[] {
  const out: ContractFinding[] = []
  const read = (list: unknown, onlyContract: boolean): void => {
    if (!Array.isArray(list)) return
    for (const f of list as unknown[]) {
      if (f === null || typeof f !== 'object') continue
      const d = f as Partial<ContractFinding> & { kind?: unknown }
      if (onlyContract && d.kind !== 'contract') continue
      if ((d.side === 'primary' || d.side === 'shadow') && typeof d.path === 'string') out.push(d as ContractFinding)
    }
  }
  read(r.contract, false)
  read(r.differences, true)
  return out
}
