import pg from 'pg'
import { StranglerError } from '../errors.js'
import type { DiffRecord } from './record.js'
import type { StoredPair } from './stored-pair.js'
import type { Rollup } from './rollup.js'
import type { AuditEntry } from './audit-entry.js'
import type { ReadOptions, Store, StoreErrorSink, StoreStats } from './store.js'
import { BoundedQueue } from './bounded-queue.js'
import { migratePostgres } from './postgres-migrations.js'
import { redactUrl } from './redact-url.js'

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (any form `pg` accepts) */
  readonly url: string
  /** where failures go; never thrown to `append`'s caller */
  readonly onError: StoreErrorSink
  /** the schema strangler's tables live in; default `strangler` */
  readonly schema?: string
  /** how often queued rows are inserted; default 200 ms */
  readonly flushIntervalMs?: number
  /** records held while the database is down or slow; beyond it the oldest are dropped; default 10 000 */
  readonly maxBufferedRecords?: number
  /** how long to wait for a connection before a batch counts as failed; default 3000 ms */
  readonly connectTimeoutMs?: number
  /** how long one statement may take before it counts as failed; default 15 000 ms */
  readonly queryTimeoutMs?: number
}

type Table = 'records' | 'pairs' | 'rollups' | 'audit'

/** One queued row: its indexed columns, and the whole document as JSON text. */
interface Row { readonly at: string | null; readonly route: string; readonly key: string | null; readonly outcome: string | null; readonly doc: string }

/** the column that `key` fills, per table */
const KEY_COLUMN: Record<Table, string> = { records: 'id', pairs: 'id', rollups: 'proxy', audit: 'id' }
/** pairs held while waiting for the database (they are larger than records) */
const MAX_BUFFERED_PAIRS = 1000
/** rows per INSERT statement */
const BATCH_ROWS = 2000
/** rows per page when reading (keyset pagination on seq) */
const PAGE_ROWS = 1000
/** queued rows past which an insert starts at once (rather than on the timer) */
const KICK_ROWS = 500
const REPEAT_REPORT_INTERVAL_MS = 60_000
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * A store in PostgreSQL, shared by a fleet of proxies and read by every
 * command. Tables (records, pairs, rollups, audit) are created and migrated
 * by the store itself on first use (postgres-migrations.ts).
 *
 * Appends are queued in memory (bounded: beyond the cap the oldest are
 * dropped and counted) and inserted off the request path, one multi-row
 * INSERT (unnest of parameter arrays, the documents as one text of lines) per batch, every `flushIntervalMs`
 * or at once when 500 rows wait. A failed batch (database down, slow past
 * the query timeout, connection lost) goes back to the head of its queue
 * and is retried on the timer; the pool reconnects by itself. Failures reach
 * the sink at most once a minute each; `stats()` counts them all. A row the
 * database refuses as data (a data exception, say a NUL in a string) is
 * dropped alone, counted and reported, so it never blocks the rows after it.
 *
 * `stats()` counts records (`appended`, `written`, `buffered`); `dropped`
 * also counts lost pairs and rollups. Reads page through the table by its
 * insertion order (1000 rows a page), never holding a table in memory; after
 * `close` they use a connection of their own.
 */
export class PostgresStore implements Store {
  /** the URL with its password masked, for messages */
  readonly location: string
  readonly #url: string
  readonly #schema: string
  readonly #onError: StoreErrorSink
  readonly #queryTimeoutMs: number
  readonly #connectTimeoutMs: number
  readonly #pool: pg.Pool
  readonly #queues: Record<'records' | 'pairs' | 'rollups', BoundedQueue<Row>>
  readonly #timer: NodeJS.Timeout
  #ready: Promise<void> | null = null
  #chain: Promise<void> = Promise.resolve()
  #steps = 0
  #kickScheduled = false
  #closing: Promise<void> | null = null
  #poolEnded = false
  #failingSince = 0
  #reportedAppendAfterClose = false
  readonly #lastReported: Partial<Record<string, number>> = {}

  #appended = 0
  #written = 0
  #dropped = 0
  #errors = 0

  constructor (options: PostgresStoreOptions) {
    const { url, onError, schema = 'strangler', flushIntervalMs = 200, maxBufferedRecords = 10_000, connectTimeoutMs = 3000, queryTimeoutMs = 15_000 } = options
    if (typeof url !== 'string' || url === '') throw new TypeError('PostgresStore: url is required')
    if (typeof onError !== 'function') throw new TypeError('PostgresStore: onError is required')
    if (!SCHEMA_NAME.test(schema)) throw new RangeError(`PostgresStore: schema must be a lowercase identifier, got ${JSON.stringify(schema)}`)
    if (!(flushIntervalMs > 0)) throw new RangeError(`PostgresStore: flushIntervalMs must be positive, got ${flushIntervalMs}`)
    this.#url = url
    this.location = redactUrl(url)
    this.#schema = schema
    this.#onError = onError
    this.#queryTimeoutMs = queryTimeoutMs
    this.#connectTimeoutMs = connectTimeoutMs
    this.#pool = new pg.Pool(this.#clientConfig({ max: 4, idleTimeoutMillis: 10_000, allowExitOnIdle: true }))
    // an idle connection that dies (server restart, terminated backend) is told here; without a listener it would crash the process
    this.#pool.on('error', (err) => { this.#throttled('connection', wrap(`diff store ${this.location}: connection lost`, err)) })
    this.#queues = {
      records: new BoundedQueue(maxBufferedRecords),
      pairs: new BoundedQueue(MAX_BUFFERED_PAIRS),
      rollups: new BoundedQueue(maxBufferedRecords)
    }
    this.#timer = setInterval(() => {
      if (this.#steps === 0 && this.#queued() > 0) void this.flush()
    }, flushIntervalMs)
    this.#timer.unref()
  }

  append (record: DiffRecord): void {
    this.#push('records', record, () => ({ at: isoOrNull(record.at), route: String(record.route), key: String(record.id), outcome: String(record.outcome) }))
  }

  appendPair (pair: StoredPair): void {
    this.#push('pairs', pair, () => ({ at: isoOrNull(pair.at), route: String(pair.route), key: String(pair.id), outcome: null }))
  }

  appendRollup (rollup: Rollup): void {
    this.#push('rollups', rollup, () => ({ at: isoOrNull(rollup.at), route: String(rollup.route), key: String(rollup.proxy), outcome: null }))
  }

  read (opts: ReadOptions = {}): AsyncGenerator<DiffRecord, void, undefined> {
    return this.#read<DiffRecord>('records', opts)
  }

  readPairs (opts: ReadOptions = {}): AsyncGenerator<StoredPair, void, undefined> {
    return this.#read<StoredPair>('pairs', opts)
  }

  readRollups (opts: ReadOptions = {}): AsyncGenerator<Rollup, void, undefined> {
    return this.#read<Rollup>('rollups', opts)
  }

  readAudit (opts: ReadOptions = {}): AsyncGenerator<AuditEntry, void, undefined> {
    return this.#read<AuditEntry>('audit', opts)
  }

  /** One INSERT, awaited: resolves once the row is committed, rejects with STORE_UNWRITABLE when it is not. */
  async appendAudit (entry: AuditEntry): Promise<void> {
    try {
      const row: Row = { at: isoOrNull(entry.at), route: String(entry.route), key: String(entry.id), outcome: null, doc: JSON.stringify(entry) }
      await this.#withClient((client) => this.#insert(client, 'audit', [row]))
    } catch (err) {
      throw new StranglerError('STORE_UNWRITABLE', `the audit log in ${this.location} cannot be written: ${(err as Error).message}`, { cause: err })
    }
  }

  flush (): Promise<void> {
    return this.#enqueue(() => this.#writeAll())
  }

  close (): Promise<void> {
    if (this.#closing === null) {
      clearInterval(this.#timer)
      this.#closing = (async () => {
        await this.flush()
        await this.#enqueue(async () => {
          let lost = 0
          for (const q of Object.values(this.#queues)) lost += q.takeAll().length
          if (lost > 0) {
            this.#dropped += lost
            this.#report(new Error(`diff store ${this.location}: ${lost} rows could not be written before close`))
          }
        })
        this.#poolEnded = true
        await this.#pool.end().catch(() => {})
      })()
    }
    return this.#closing
  }

  /**
   * Whether the database can be reached and its schema brought up to date
   * now (serve calls it before listening). Throws STORE_UNWRITABLE naming
   * the URL, password masked.
   */
  async checkWritable (): Promise<void> {
    try {
      await this.#migrated()
      await this.#withClient(async (client) => { await client.query(`SELECT 1 FROM ${this.#schema}.records LIMIT 0`) })
    } catch (err) {
      throw new StranglerError('STORE_UNWRITABLE', `the diff store database ${this.location} cannot be written: ${(err as Error).message}`, { cause: err })
    }
  }

  stats (): StoreStats {
    return { appended: this.#appended, written: this.#written, dropped: this.#dropped, errors: this.#errors, buffered: this.#queues.records.size, unreadable: 0 }
  }

  #push (table: 'records' | 'pairs' | 'rollups', doc: object, columns: () => Omit<Row, 'doc'>): void {
    if (this.#closing !== null) {
      this.#dropped++
      if (!this.#reportedAppendAfterClose) {
        this.#reportedAppendAfterClose = true
        this.#report(new Error(`diff store ${this.location}: append after close, record dropped (further ones are only counted)`))
      }
      return
    }
    if (table === 'records') this.#appended++
    let row: Row
    try {
      const text = JSON.stringify(doc)
      if (typeof text !== 'string') throw new TypeError('not a JSON value')
      row = { ...columns(), doc: text }
    } catch (err) {
      this.#dropped++
      this.#report(wrap(`diff store ${this.location}: a ${table} row is not serializable, dropped`, err))
      return
    }
    const queue = this.#queues[table]
    const dropped = queue.push(row)
    if (dropped > 0) {
      this.#dropped += dropped
      this.#throttled(`overflow-${table}`, new Error(`diff store ${this.location}: more than ${queue.capacity} ${table} waiting for the database, dropping the oldest`))
    }
    if (this.#steps === 0 && !this.#kickScheduled && this.#failingSince === 0 && (queue.size >= KICK_ROWS || queue.size * 2 >= queue.capacity)) {
      this.#kickScheduled = true
      setImmediate(() => {
        this.#kickScheduled = false
        if (this.#steps === 0) void this.flush()
      }).unref()
    }
  }

  #queued (): number {
    return this.#queues.records.size + this.#queues.pairs.size + this.#queues.rollups.size
  }

  #enqueue (step: () => Promise<void>): Promise<void> {
    this.#steps++
    const next = this.#chain.then(step).catch((err: unknown) => {
      this.#report(wrap(`diff store ${this.location}: unexpected failure`, err))
    }).finally(() => { this.#steps-- })
    this.#chain = next
    return next
  }

  /** Inserts what each queue holds; a failure puts the rows back (oldest dropped past the cap) for the timer to retry. */
  async #writeAll (): Promise<void> {
    if (this.#queued() === 0 || this.#poolEnded) return
    const batches = (['records', 'pairs', 'rollups'] as const).map((table) => ({ table, rows: this.#queues[table].takeAll() }))
    try {
      await this.#withClient(async (client) => {
        for (const batch of batches) {
          while (batch.rows.length > 0) {
            const chunk = batch.rows.slice(0, BATCH_ROWS)
            await this.#insertOrSift(client, batch.table, chunk)
            batch.rows = batch.rows.slice(chunk.length)
          }
        }
      })
      this.#failingSince = 0
    } catch (err) {
      if (this.#failingSince === 0) this.#failingSince = Date.now()
      this.#throttled('write', wrap(`diff store ${this.location}: insert failed, ${batches.reduce((n, b) => n + b.rows.length, 0)} rows kept for a retry`, err))
      for (const { table, rows } of batches) {
        const dropped = this.#queues[table].prepend(rows)
        if (dropped > 0) this.#dropped += dropped
      }
    }
  }

  /** One multi-row insert; when the database refuses the data itself, row by row, dropping (and telling) only the rows it refuses. */
  async #insertOrSift (client: pg.PoolClient, table: 'records' | 'pairs' | 'rollups', rows: Row[]): Promise<void> {
    try {
      await this.#insert(client, table, rows)
      if (table === 'records') this.#written += rows.length
      return
    } catch (err) {
      if (!isDataError(err)) throw err
    }
    for (const row of rows) {
      try {
        await this.#insert(client, table, [row])
        if (table === 'records') this.#written++
      } catch (err) {
        if (!isDataError(err)) throw err
        this.#dropped++
        this.#report(wrap(`diff store ${this.location}: the database refused a ${table} row, dropped`, err))
      }
    }
  }

  async #insert (client: pg.PoolClient | pg.Client, table: Table, rows: readonly Row[]): Promise<void> {
    const outcome = table === 'records'
    const columns = ['at', 'route', KEY_COLUMN[table], ...(outcome ? ['outcome'] : []), 'doc']
    const arrays: unknown[] = [rows.map((r) => r.at), rows.map((r) => r.route), rows.map((r) => r.key), ...(outcome ? [rows.map((r) => r.outcome)] : [])]
    const types = ['timestamptz[]', 'text[]', 'text[]', ...(outcome ? ['text[]'] : [])]
    const params = types.map((t, i) => `$${i + 1}::${t}`)
    // the documents travel as one text of lines (JSON text has no raw newline), split by the
    // server: no per-document array escaping on our side; unnest keeps the order, so seq follows the appends
    arrays.push(rows.map((r) => r.doc).join('\n'))
    params.push(`string_to_array($${arrays.length}::text, E'\\n')`)
    const list = columns.join(', ')
    const select = columns.map((c) => c === 'doc' ? 'doc::jsonb' : c).join(', ')
    await client.query(`INSERT INTO ${this.#schema}.${table} (${list}) SELECT ${select} FROM unnest(${params.join(', ')}) WITH ORDINALITY AS u(${list}, n) ORDER BY n`, arrays)
  }

  async * #read<T> (table: Table, opts: ReadOptions): AsyncGenerator<T, void, undefined> {
    const sinceMs = opts.since?.getTime()
    if (sinceMs !== undefined && Number.isNaN(sinceMs)) throw new RangeError('ReadOptions.since is an invalid Date')
    if (table !== 'audit') await this.flush()
    const where: string[] = ['seq > $1']
    const params: unknown[] = [0]
    if (opts.route !== undefined) { params.push(opts.route); where.push(`route = $${params.length}`) }
    if (sinceMs !== undefined) { params.push(new Date(sinceMs).toISOString()); where.push(`at >= $${params.length}`) }
    const sql = `SELECT seq, doc FROM ${this.#schema}.${table} WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ${PAGE_ROWS}`
    let after = '0'
    for (;;) {
      params[0] = after
      const page = await this.#withClient((client) => client.query<{ seq: string; doc: T }>(sql, params))
      for (const row of page.rows) yield row.doc
      if (page.rows.length < PAGE_ROWS) return
      after = page.rows[page.rows.length - 1]!.seq
    }
  }

  /** The schema brought up to date once per store (retried on the next use after a failure). */
  #migrated (): Promise<void> {
    this.#ready ??= (async () => {
      const client = await this.#connect()
      try {
        await migratePostgres(client, this.#schema)
      } finally {
        release(client)
      }
    })().catch((err: unknown) => {
      this.#ready = null
      throw err
    })
    return this.#ready
  }

  /** A connection with the schema ready: from the pool, or after close one of its own (closed after use). */
  async #withClient<R> (use: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    await this.#migrated()
    const client = await this.#connect()
    let broken: Error | undefined
    try {
      return await use(client)
    } catch (err) {
      // a connection that failed mid-query is not given back to the pool
      if (!(err instanceof pg.DatabaseError)) broken = err as Error
      throw err
    } finally {
      release(client, broken)
    }
  }

  async #connect (): Promise<pg.PoolClient> {
    if (!this.#poolEnded) return await this.#pool.connect()
    const client = new pg.Client(this.#clientConfig({}))
    client.on('error', () => {})
    await client.connect()
    const own = client as unknown as pg.PoolClient
    own.release = () => { void client.end().catch(() => {}) }
    return own
  }

  #clientConfig<T extends object> (extra: T): pg.ClientConfig & T {
    return { connectionString: this.#url, connectionTimeoutMillis: this.#connectTimeoutMs, query_timeout: this.#queryTimeoutMs, application_name: 'strangler', ...extra }
  }

  /** Told at most once a minute per kind; always counted. */
  #throttled (kind: string, error: Error): void {
    const now = Date.now()
    const last = this.#lastReported[kind]
    if (last !== undefined && now - last < REPEAT_REPORT_INTERVAL_MS) {
      this.#errors++
      return
    }
    this.#lastReported[kind] = now
    this.#report(error)
  }

  #report (error: Error): void {
    this.#errors++
    try {
      this.#onError(error)
    } catch {
      // a sink that throws is ignored
    }
  }
}

function release (client: pg.PoolClient, err?: Error): void {
  try {
    client.release(err)
  } catch {
    // released twice by a failing path: nothing to do
  }
}

/** The instant as ISO text for a timestamptz column, or null when it does not parse (such a row never passes a `since` filter). */
function isoOrNull (at: unknown): string | null {
  if (typeof at !== 'string') return null
  const ms = Date.parse(at)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/** SQLSTATE class 22 (data exception): the rows are at fault, not the connection. */
function isDataError (err: unknown): boolean {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('22')
}

function wrap (message: string, cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause)
  return new Error(`${message}: ${detail}`, { cause })
}
