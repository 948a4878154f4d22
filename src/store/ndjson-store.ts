import { constants } from 'node:fs'
import { mkdir, open, unlink } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { StranglerError } from '../errors.js'
import type { DiffRecord } from './record.js'
import type { StoredPair } from './stored-pair.js'
import type { Rollup } from './rollup.js'
import type { AuditEntry } from './audit-entry.js'
import type { ReadOptions, Store, StoreErrorSink, StoreStats } from './store.js'
import { BoundedQueue } from './bounded-queue.js'
import { diffFileName } from './file-name.js'
import { readRecordFiles, readRecords } from './read-records.js'

export interface NdjsonStoreOptions {
  /** the store directory (created on first write); the CLI's default is `.strangler/diffs` */
  readonly dir: string
  /** a file is closed and a new one started before it would grow past this; default 64 MiB */
  readonly maxFileBytes?: number
  /** how often buffered records are written; default 200 ms */
  readonly flushIntervalMs?: number
  /** records held while waiting for the disk; beyond it the oldest are dropped; default 10 000 */
  readonly maxBufferedRecords?: number
  /** fdatasync after every batch, so `flush` also survives power loss; default false */
  readonly fsync?: boolean
  /** where failures go; never thrown to `append`'s caller */
  readonly onError: StoreErrorSink
  /** the audit log; default `audit.ndjson` beside the store folder (`.strangler/audit.ndjson` for the default `.strangler/diffs`) */
  readonly auditFile?: string
  /** @internal how files are opened (tests inject failing disks); default fs/promises `open` */
  readonly openFile?: OpenStoreFile
}

/** The part of a FileHandle the store writes through. */
export interface StoreFile {
  write (data: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>
  datasync (): Promise<void>
  close (): Promise<void>
}

/** Opens a store file: `flags` is `'ax'` for a new file, or numeric flags to append to one the store made. */
export type OpenStoreFile = (path: string, flags: string | number) => Promise<StoreFile>

/** A file being written: `bytes` written so far; `midLine` when a failed write left a partial line at its end. */
interface OpenFile { handle: StoreFile; path: string; bytes: number; midLine: boolean }

/** reopening a file of ours to retry into it: append, never create (gone = start a new one) */
const REOPEN_FLAGS = constants.O_WRONLY | constants.O_APPEND
const NEWLINE = Buffer.from('\n')

/** the subfolder of kept pairs */
const PAIRS_DIR = 'pairs'
/** pairs held while waiting for the disk (they are larger than records) */
const MAX_BUFFERED_PAIRS = 1000
/** the subfolder of rollups of served requests */
const ROLLUPS_DIR = 'rollups'

/** queued characters past which a write starts at once (rather than on the timer) */
const KICK_CHARS = 64 * 1024
const MiB = 1024 * 1024
const REPEAT_REPORT_INTERVAL_MS = 60_000

/** seq of the next file of this process, shared by every store in it */
let nextSeq = 0

/** stores still open, flushed if the process ends without closing them */
const openStores = new Set<NdjsonStore>()
let exitHookInstalled = false

/**
 * An append-only store of NDJSON files, one record per line.
 *
 * Each process writes its own files (`diffs-<time>-<pid>-<seq>.ndjson`,
 * created exclusively, so processes sharing a directory never interleave
 * lines). Appends are queued in memory and written in one `write` per
 * batch: every `flushIntervalMs`, once 64 KB of lines wait (so that under
 * load records are written within milliseconds and never live long enough
 * to be promoted to V8's old generation), when the queue is half full, on `flush`,
 * `close` and `read`. A file is rotated before a batch would take it past
 * `maxFileBytes` (lines are never split; a single line larger than the cap
 * gets a file of its own).
 *
 * Durability: `flush` resolves when the records are written to the OS, which
 * survives a crash of the process; with `fsync: true` they are also on the
 * device. A failed write is reported, and the records it did not write go
 * back to the head of the queue; the next flush retries them into the same
 * file (reopened for appending), so a disk that keeps failing never leaves a
 * trail of new files. A write that failed halfway through a line leaves it
 * torn: the retry ends that line first, so readers skip just it and the
 * retried records are whole (they may repeat the torn one: at-least-once,
 * records carry ids). A file the store made that is still empty when it is
 * given up (close) is removed. While writes keep failing, retries happen on
 * the timer only. Write failures and buffer overflows reach the sink at most
 * once a minute each (`stats()` counts them all, `dropped` the records lost).
 * `checkWritable` tries the folder at once (serve calls it before listening).
 * A process that ends by
 * emptying its event loop flushes open stores on `beforeExit`; one ended by
 * a signal must call `close()` in its handler; `process.exit()` or a crash
 * loses what was appended in the last `flushIntervalMs`.
 */
export class NdjsonStore implements Store {
  readonly dir: string
  readonly #maxFileBytes: number
  readonly #fsync: boolean
  readonly #onError: StoreErrorSink
  readonly #openFile: OpenStoreFile
  /** as given, for the pairs store */
  readonly #options: NdjsonStoreOptions
  /** kept pairs, in `pairs/` (made on the first one) */
  #pairs: NdjsonStore | null = null
  /** rollups, in `rollups/` (made on the first one) */
  #rollups: NdjsonStore | null = null
  /** the audit log's path */
  readonly auditFile: string
  /** serialized lines (one JSON record each, newline included) waiting for the disk */
  readonly #queue: BoundedQueue<string>
  readonly #timer: NodeJS.Timeout

  /** writes run one after the other on this chain; no step ever rejects */
  #chain: Promise<void> = Promise.resolve()
  #steps = 0
  #kickScheduled = false
  /** characters of the lines in #queue */
  #queuedChars = 0
  #file: OpenFile | null = null
  /** the file a failed write was going to: the retry reopens it rather than starting a new one */
  #retry: { path: string; bytes: number; midLine: boolean } | null = null
  #dirReady = false
  #closing: Promise<void> | null = null
  /** lines skipped by reads: torn or malformed */
  #unreadable = 0
  #overflowing = false
  /** when the current streak of write failures began, 0 when writes are healthy */
  #failingSince = 0
  readonly #lastReported: { write?: number; overflow?: number } = {}
  #reportedAppendAfterClose = false
  #lastExitWritten = -1

  #appended = 0
  #written = 0
  #dropped = 0
  #errors = 0

  constructor (options: NdjsonStoreOptions) {
    const { dir, maxFileBytes = 64 * MiB, flushIntervalMs = 200, maxBufferedRecords = 10_000, fsync = false, onError, openFile = open } = options
    if (typeof dir !== 'string' || dir === '') throw new TypeError('NdjsonStore: dir is required')
    if (!(maxFileBytes > 0)) throw new RangeError(`NdjsonStore: maxFileBytes must be positive, got ${maxFileBytes}`)
    if (!(flushIntervalMs > 0)) throw new RangeError(`NdjsonStore: flushIntervalMs must be positive, got ${flushIntervalMs}`)
    if (typeof onError !== 'function') throw new TypeError('NdjsonStore: onError is required')
    this.dir = dir
    this.#maxFileBytes = maxFileBytes
    this.#fsync = fsync
    this.#onError = onError
    this.#openFile = openFile
    this.#options = options
    this.auditFile = options.auditFile ?? join(dirname(resolve(dir)), 'audit.ndjson')
    this.#queue = new BoundedQueue(maxBufferedRecords)
    this.#timer = setInterval(() => {
      if (this.#steps === 0 && this.#queue.size > 0) void this.flush()
    }, flushIntervalMs)
    this.#timer.unref()
    openStores.add(this)
    installExitHook()
  }

  append (record: DiffRecord): void {
    this.#appendLine(record)
  }

  /** Kept pairs go to `pairs/` under the store folder, in files of their own (readers of records never see them). */
  appendPair (pair: StoredPair): void {
    this.#pairs ??= new NdjsonStore({ ...this.#options, dir: join(this.dir, PAIRS_DIR), maxBufferedRecords: MAX_BUFFERED_PAIRS })
    this.#pairs.#appendLine(pair)
  }

  async * readPairs (opts: ReadOptions = {}): AsyncGenerator<StoredPair, void, undefined> {
    if (this.#pairs !== null) await this.#pairs.flush()
    const lines = readRecords(join(this.dir, PAIRS_DIR), { ...opts, onSkip: () => { this.#unreadable++ } }) as AsyncGenerator<unknown, void, undefined>
    yield * lines as AsyncGenerator<StoredPair, void, undefined>
  }

  /** Rollups go to `rollups/` under the store folder, like kept pairs. */
  appendRollup (rollup: Rollup): void {
    this.#rollups ??= new NdjsonStore({ ...this.#options, dir: join(this.dir, ROLLUPS_DIR) })
    this.#rollups.#appendLine(rollup)
  }

  async * readRollups (opts: ReadOptions = {}): AsyncGenerator<Rollup, void, undefined> {
    if (this.#rollups !== null) await this.#rollups.flush()
    const lines = readRecords(join(this.dir, ROLLUPS_DIR), { ...opts, onSkip: () => { this.#unreadable++ } }) as AsyncGenerator<unknown, void, undefined>
    yield * lines as AsyncGenerator<Rollup, void, undefined>
  }

  /** One line appended to the audit file (O_APPEND: writers never interleave within a line), then synced to the device. */
  async appendAudit (entry: AuditEntry): Promise<void> {
    const line = Buffer.from(JSON.stringify(entry) + '\n', 'utf8')
    try {
      await mkdir(dirname(this.auditFile), { recursive: true })
      const handle = await this.#openFile(this.auditFile, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT)
      try {
        await writeAll({ handle, path: this.auditFile, bytes: 0, midLine: false }, line)
        await handle.datasync()
      } finally {
        await handle.close()
      }
    } catch (err) {
      throw new StranglerError('STORE_UNWRITABLE', `the audit log ${this.auditFile} cannot be written: ${(err as Error).message}`, { cause: err })
    }
  }

  async * readAudit (opts: ReadOptions = {}): AsyncGenerator<AuditEntry, void, undefined> {
    const lines = readRecordFiles([this.auditFile], { ...opts, onSkip: () => { this.#unreadable++ } }) as AsyncGenerator<unknown, void, undefined>
    yield * lines as AsyncGenerator<AuditEntry, void, undefined>
  }

  #appendLine (record: object & { readonly id?: unknown }): void {
    if (this.#closing !== null) {
      this.#dropped++
      if (!this.#reportedAppendAfterClose) {
        this.#reportedAppendAfterClose = true
        this.#report(new Error(`diff store ${this.dir}: append after close, record dropped (further ones are only counted)`))
      }
      return
    }
    this.#appended++
    // serialized now: a waiting record is one string, not an object graph
    // that survives young-generation GCs until the next batch
    let line: string | undefined
    try {
      line = JSON.stringify(record)
    } catch (err) {
      this.#dropped++
      this.#report(wrap(`diff store ${this.dir}: record ${describe(record)} is not serializable, dropped`, err))
      return
    }
    if (typeof line !== 'string') {
      this.#dropped++
      this.#report(new Error(`diff store ${this.dir}: record ${describe(record)} is not serializable, dropped`))
      return
    }
    const dropped = this.#queue.push(line + '\n')
    this.#queuedChars += line.length + 1
    if (dropped > 0) this.#noteDropped(dropped)
    if (this.#steps === 0 && !this.#kickScheduled && this.#failingSince === 0 && (this.#queuedChars >= KICK_CHARS || this.#queue.size * 2 >= this.#queue.capacity)) {
      this.#kickScheduled = true
      setImmediate(() => {
        this.#kickScheduled = false
        if (this.#steps === 0) void this.flush()
      }).unref()
    }
  }

  flush (): Promise<void> {
    const records = this.#enqueue(() => this.#writeBatch())
    if (this.#pairs === null && this.#rollups === null) return records
    return Promise.all([records, this.#pairs?.flush(), this.#rollups?.flush()]).then(() => {})
  }

  close (): Promise<void> {
    if (this.#closing === null) {
      clearInterval(this.#timer)
      openStores.delete(this)
      this.#closing = (async () => {
        await this.flush()
        await this.#enqueue(async () => {
          const lost = this.#queue.takeAll().length
          this.#queuedChars = 0
          if (lost > 0) {
            this.#dropped += lost
            this.#report(new Error(`diff store ${this.dir}: ${lost} records could not be written before close`))
          }
          await this.#closeFile()
          await this.#giveUpRetry()
        })
        await this.#pairs?.close()
        await this.#rollups?.close()
      })()
    }
    return this.#closing
  }

  async * read (opts: ReadOptions = {}): AsyncGenerator<DiffRecord, void, undefined> {
    await this.flush()
    yield * readRecords(this.dir, { ...opts, onSkip: () => { this.#unreadable++ } })
  }

  /**
   * Whether the folder can be created and written now: a probe file is
   * written and removed. Throws STORE_UNWRITABLE naming the folder.
   */
  async checkWritable (): Promise<void> {
    const probe = join(this.dir, `.write-check-${process.pid}-${nextSeq}`)
    let made = false
    try {
      await mkdir(this.dir, { recursive: true })
      const handle = await this.#openFile(probe, 'wx')
      made = true
      try {
        await writeAll({ handle, path: probe, bytes: 0, midLine: false }, NEWLINE)
      } finally {
        await handle.close()
      }
    } catch (err) {
      throw new StranglerError('STORE_UNWRITABLE', `the diff store folder ${this.dir} cannot be written: ${(err as Error).message}`, { cause: err })
    } finally {
      if (made) await unlink(probe).catch(() => {})
    }
  }

  stats (): StoreStats {
    return { appended: this.#appended, written: this.#written, dropped: this.#dropped, errors: this.#errors, buffered: this.#queue.size, unreadable: this.#unreadable }
  }

  /** @internal beforeExit: flush if something is waiting and the last try made progress */
  flushBeforeExit (): void {
    if (this.#queue.size === 0 || this.#written === this.#lastExitWritten) return
    this.#lastExitWritten = this.#written
    void this.flush()
  }

  #enqueue (step: () => Promise<void>): Promise<void> {
    this.#steps++
    const next = this.#chain.then(step).catch((err: unknown) => {
      this.#report(wrap(`diff store ${this.dir}: unexpected failure`, err))
    }).finally(() => { this.#steps-- })
    this.#chain = next
    return next
  }

  async #writeBatch (): Promise<void> {
    const batch = this.#queue.takeAll()
    this.#queuedChars = 0
    if (batch.length === 0) return
    let done = 0
    /** the chunk being written (whole lines) and the file's size before it */
    let inFlight: { file: OpenFile; chunk: Buffer; before: number } | null = null
    try {
      // the usual case: the whole batch fits in the current file, encoded and written at once
      const whole = Buffer.from(batch.length === 1 ? batch[0]! : batch.join(''), 'utf8')
      const first = await this.#currentFile()
      if (whole.length <= this.#maxFileBytes - first.bytes) {
        inFlight = { file: first, chunk: whole, before: first.bytes }
        await writeAll(first, whole)
        inFlight = null
        if (this.#fsync) await first.handle.datasync()
        this.#written += batch.length
        done = batch.length
      }
      // else line by line, rotating files on the way
      const lines = done === batch.length ? [] : batch.map((l) => Buffer.from(l, 'utf8'))
      while (done < lines.length) {
        const file = await this.#currentFile()
        const room = this.#maxFileBytes - file.bytes
        let end = done
        let bytes = 0
        while (end < lines.length) {
          const n = lines[end]!.length
          // a fresh file always takes at least one line
          if (bytes + n > room && (end > done || file.bytes > 0)) break
          bytes += n
          end++
        }
        if (end === done) {
          await this.#closeFile()
          continue
        }
        const chunk = end - done === 1 ? lines[done]! : Buffer.concat(lines.slice(done, end), bytes)
        inFlight = { file, chunk, before: file.bytes }
        await writeAll(file, chunk)
        inFlight = null
        if (this.#fsync) await file.handle.datasync()
        this.#written += end - done
        done = end
      }
      this.#overflowing = false
      this.#failingSince = 0
    } catch (err) {
      if (inFlight !== null) {
        // the whole lines the failed write did get out are written; only the rest is retried
        const whole = countLines(inFlight.chunk, inFlight.file.bytes - inFlight.before)
        this.#written += whole
        done += whole
      }
      const back = batch.slice(done)
      for (const l of back) this.#queuedChars += l.length
      const dropped = this.#queue.prepend(back)
      if (dropped > 0) this.#noteDropped(dropped)
      this.#dirReady = false
      const file = this.#file
      if (file !== null) this.#retry = { path: file.path, bytes: file.bytes, midLine: file.midLine }
      await this.#closeFile(true)
      // while the disk keeps failing, retries wait for the timer and the sink hears of it once a minute
      if (this.#failingSince === 0) this.#failingSince = Date.now()
      this.#reportThrottled('write', wrap(`diff store ${this.dir}: write failed, ${batch.length - done} records kept for retry`, err))
    }
  }

  async #currentFile (): Promise<OpenFile> {
    if (this.#file !== null) return this.#file
    if (!this.#dirReady) {
      await mkdir(this.dir, { recursive: true })
      this.#dirReady = true
    }
    const retry = this.#retry
    if (retry !== null) {
      // the file a write failed on: append to it again rather than start another (a full disk made 24 empty files in 5 s)
      let handle: StoreFile | null = null
      try {
        handle = await this.#openFile(retry.path, REOPEN_FLAGS)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
        this.#retry = null // gone (removed by hand): a new file
      }
      if (handle !== null) {
        const file: OpenFile = { handle, path: retry.path, bytes: retry.bytes, midLine: retry.midLine }
        this.#file = file
        this.#retry = null
        // a line the failed write tore is ended first, so it spoils no retried record
        if (file.midLine) await writeAll(file, NEWLINE)
        return file
      }
    }
    for (;;) {
      const path = join(this.dir, diffFileName(new Date(), process.pid, nextSeq++))
      try {
        // exclusive: two processes with one pid (containers sharing a volume) never share a file
        const handle = await this.#openFile(path, 'ax')
        this.#file = { handle, path, bytes: 0, midLine: false }
        return this.#file
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
    }
  }

  /** close the current file; one left empty is removed, unless a retry is to reopen it */
  async #closeFile (keepForRetry = false): Promise<void> {
    const file = this.#file
    if (file === null) return
    this.#file = null
    try {
      await file.handle.close()
    } catch (err) {
      this.#report(wrap(`diff store ${this.dir}: closing ${file.path} failed`, err))
    }
    if (!keepForRetry && file.bytes === 0) await removeEmpty(file.path)
  }

  /** at close: the file kept for a retry is not reopened any more; removed when it is empty */
  async #giveUpRetry (): Promise<void> {
    const retry = this.#retry
    this.#retry = null
    if (retry !== null && retry.bytes === 0) await removeEmpty(retry.path)
  }

  #noteDropped (n: number): void {
    this.#dropped += n
    if (!this.#overflowing) {
      this.#overflowing = true
      this.#reportThrottled('overflow', new Error(`diff store ${this.dir}: more than ${this.#queue.capacity} records waiting for the disk, dropping the oldest (counted in stats().dropped)`))
    }
  }

  /** the sink hears of a recurring kind of failure at most once a minute; all are counted */
  #reportThrottled (kind: 'write' | 'overflow', error: Error): void {
    const now = Date.now()
    const last = this.#lastReported[kind]
    const quiet = last !== undefined && now - last < REPEAT_REPORT_INTERVAL_MS
    if (!quiet) this.#lastReported[kind] = now
    this.#report(error, quiet)
  }

  #report (error: Error, quiet = false): void {
    this.#errors++
    if (quiet) return
    try {
      this.#onError(error)
    } catch {
      // a failing sink must not break the store or its caller
    }
  }
}

/** write all of `data` at the end of `file`, keeping `bytes` and `midLine` true to what reached it, even when a write fails */
async function writeAll (file: OpenFile, data: Buffer): Promise<void> {
  let offset = 0
  while (offset < data.length) {
    const { bytesWritten } = await file.handle.write(data, offset, data.length - offset)
    offset += bytesWritten
    file.bytes += bytesWritten
    if (bytesWritten > 0) file.midLine = data[offset - 1] !== 0x0a
  }
}

/** how many whole lines the first `written` bytes of `chunk` (lines, each ending in a newline) hold */
function countLines (chunk: Buffer, written: number): number {
  let n = 0
  for (let i = chunk.indexOf(0x0a); i >= 0 && i < written; i = chunk.indexOf(0x0a, i + 1)) n++
  return n
}

/** remove a file of ours that holds nothing (it may be gone already) */
async function removeEmpty (path: string): Promise<void> {
  await unlink(path).catch(() => {})
}

function wrap (message: string, cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new Error(`${message}: ${detail}`, { cause })
}

function describe (line: { readonly id?: unknown }): string {
  return typeof line?.id === 'string' ? line.id : '(without id)'
}

function installExitHook (): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('beforeExit', () => {
    for (const store of openStores) store.flushBeforeExit()
  })
}
