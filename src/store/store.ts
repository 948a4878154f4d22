import type { DiffRecord } from './record.js'
import type { StoredPair } from './stored-pair.js'
import type { Rollup } from './rollup.js'
import type { AuditEntry } from './audit-entry.js'

/** Which records `read` yields. Both filters apply together. */
export interface ReadOptions {
  /** only records whose `at` is at or after this instant (inclusive) */
  readonly since?: Date
  /** only records of this route name (exact) */
  readonly route?: string
}

/**
 * Where store failures go: a failed write, a dropped record, an append after
 * close. Called with an Error whose `cause` is the underlying one, if any.
 * A sink that throws is ignored; it never reaches the caller of `append`.
 */
export type StoreErrorSink = (error: Error) => void

/** Counters since the store was created; a snapshot, for logs and /metrics. */
export interface StoreStats {
  /** records accepted by `append` (appends after close are not counted here) */
  readonly appended: number
  /** records durably handed over: on disk (ndjson) or held (memory) */
  readonly written: number
  /** records lost: buffer over its cap, append after close, not serializable, unwritten at close */
  readonly dropped: number
  /** failures, each told to the sink (a disk that keeps failing: counted always, told once a minute) */
  readonly errors: number
  /** records appended and not yet written */
  readonly buffered: number
  /** stored lines that `read` skipped because they were not records: torn (a crash mid-write) or malformed */
  readonly unreadable: number
}

/**
 * The diff store. The proxy appends one record per compared pair; `report`
 * and `coverage` read them back.
 *
 * - `append` is synchronous, cheap, never throws and is memory-bounded: it
 *   only queues the record. Failures go to the store's error sink and counters.
 * - `flush` resolves once every record appended before the call has been
 *   written, or has failed (and was reported to the sink). It never rejects.
 * - `close` flushes, releases timers and files, and is idempotent. Appends
 *   after close are dropped (counted and reported), never thrown.
 * - `read` yields, in write order, the records that match, including every
 *   record appended before the call (it flushes first). What it cannot read
 *   (a torn last line, a malformed one) is skipped, never fatal, and counted
 *   in `stats().unreadable`.
 */
export interface Store {
  append (record: DiffRecord): void
  /** Keep a compared pair beside its record (`shadow.keepPairs`); like append: synchronous, bounded, never throws. */
  appendPair (pair: StoredPair): void
  /** The kept pairs that match, in write order (flushes first). */
  readPairs (opts?: ReadOptions): AsyncIterable<StoredPair>
  flush (): Promise<void>
  close (): Promise<void>
  read (opts?: ReadOptions): AsyncIterable<DiffRecord>
  /** Keep one rollup of served requests (the proxies write them every 10 s); like append: synchronous, bounded, never throws. */
  appendRollup (rollup: Rollup): void
  /** The rollups that match, in write order (flushes first). */
  readRollups (opts?: ReadOptions): AsyncIterable<Rollup>
  /**
   * Append one entry to the audit log and wait until it is durable (on the
   * device). Unlike `append`, it rejects when it cannot write: a command that
   * edited the rules file must not report success with its audit line lost.
   */
  appendAudit (entry: AuditEntry): Promise<void>
  /** The audit log's entries that match, oldest first. */
  readAudit (opts?: ReadOptions): AsyncIterable<AuditEntry>
  stats (): StoreStats
}

/** Where `serve` writes and `report`/`coverage` read when `--store` is not given (relative to the working directory). */
export const DEFAULT_STORE_DIR = '.strangler/diffs'
