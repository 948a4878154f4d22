import type { DiffRecord } from './record.js'
import type { StoredPair } from './stored-pair.js'
import type { Rollup } from './rollup.js'
import type { AuditEntry } from './audit-entry.js'
import type { ReadOptions, Store, StoreErrorSink, StoreStats } from './store.js'
import { BoundedQueue } from './bounded-queue.js'
import { recordFilter } from './record-filter.js'
import { StranglerError } from '../errors.js'

export interface MemoryStoreOptions {
  /** records kept; beyond it the oldest are evicted (counted as dropped); default 100 000 */
  readonly maxRecords?: number
  /** told about drops and appends after close; default: ignore */
  readonly onError?: StoreErrorSink
}

/**
 * A store in memory, for tests and for embedding strangler as a library.
 * Records are held as given (not copied); `flush` has nothing to do.
 */
export class MemoryStore implements Store {
  readonly #records: BoundedQueue<DiffRecord>
  readonly #pairs = new BoundedQueue<StoredPair>(10_000)
  readonly #rollups = new BoundedQueue<Rollup>(100_000)
  readonly #audit: AuditEntry[] = []
  readonly #onError: StoreErrorSink
  #closed = false
  #reportedAfterClose = false
  #evicting = false
  #appended = 0
  #dropped = 0
  #errors = 0

  constructor (options: MemoryStoreOptions = {}) {
    this.#records = new BoundedQueue(options.maxRecords ?? 100_000)
    this.#onError = options.onError ?? (() => {})
  }

  append (record: DiffRecord): void {
    if (this.#closed) {
      this.#dropped++
      if (!this.#reportedAfterClose) {
        this.#reportedAfterClose = true
        this.#report(new Error('memory store: append after close, record dropped (further ones are only counted)'))
      }
      return
    }
    this.#appended++
    const evicted = this.#records.push(record)
    if (evicted > 0) {
      this.#dropped += evicted
      if (!this.#evicting) {
        this.#evicting = true
        this.#report(new Error(`memory store: more than ${this.#records.capacity} records, evicting the oldest`))
      }
    }
  }

  async flush (): Promise<void> {}

  async close (): Promise<void> {
    this.#closed = true
  }

  async * read (opts: ReadOptions = {}): AsyncGenerator<DiffRecord, void, undefined> {
    const keep = recordFilter(opts)
    for (const record of this.#records.snapshot()) {
      if (keep(record)) yield record
    }
  }

  appendPair (pair: StoredPair): void {
    if (this.#closed) return
    this.#pairs.push(pair)
  }

  async * readPairs (opts: ReadOptions = {}): AsyncGenerator<StoredPair, void, undefined> {
    const keep = recordFilter(opts)
    for (const p of this.#pairs.snapshot()) {
      if (keep(p)) yield p
    }
  }

  appendRollup (rollup: Rollup): void {
    if (this.#closed) return
    this.#rollups.push(rollup)
  }

  async * readRollups (opts: ReadOptions = {}): AsyncGenerator<Rollup, void, undefined> {
    const keep = recordFilter(opts)
    for (const r of this.#rollups.snapshot()) {
      if (keep(r)) yield r
    }
  }

  /** The audit log is never evicted; an append after close is refused like a disk that cannot be written. */
  async appendAudit (entry: AuditEntry): Promise<void> {
    if (this.#closed) throw new StranglerError('STORE_UNWRITABLE', 'memory store: audit entry appended after close')
    this.#audit.push(entry)
  }

  async * readAudit (opts: ReadOptions = {}): AsyncGenerator<AuditEntry, void, undefined> {
    const keep = recordFilter(opts)
    for (const e of [...this.#audit]) {
      if (keep(e)) yield e
    }
  }

  /** Everything held, oldest first (a copy). */
  records (): DiffRecord[] {
    return this.#records.snapshot()
  }

  stats (): StoreStats {
    return { appended: this.#appended, written: this.#appended, dropped: this.#dropped, errors: this.#errors, buffered: 0, unreadable: 0 }
  }

  #report (error: Error): void {
    this.#errors++
    try {
      this.#onError(error)
    } catch {
      // ignored, as in every store
    }
  }
}
