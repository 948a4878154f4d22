/**
 * Runs comparisons without blocking the event loop. Small pairs are compared
 * inline, but never synchronously in the caller: they wait in a queue drained
 * from setImmediate in short slices, so I/O runs between them. Large pairs go
 * to a worker_threads pool, their bodies copied once into fresh buffers that
 * are transferred (the caller's Buffers are never detached).
 *
 * "Large" is the sum of both bodies' wire bytes over `inlineMaxBytes`; a body
 * with a content-encoding counts ENCODED_WEIGHT times its size, since it
 * inflates when decoded.
 *
 * At most `maxQueue` comparisons are pending (inline and worker-bound); one
 * more is refused with ComparePoolError COMPARE_QUEUE_FULL. A worker that dies
 * fails the job it was running (COMPARE_WORKER_CRASHED) and is replaced; jobs
 * still queued go to the replacement. A job over `jobTimeoutMs` in a worker
 * fails with COMPARE_TIMEOUT and its worker is replaced.
 *
 * The worker script is ./compare-worker.js beside this file (dist/); when
 * that does not exist (running from src/ under vitest or tsx) it is
 * ./compare-worker.ts, loaded through tsx (see tsxBootstrap).
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { CompareConfig } from '../../config/types.js'
import type { CapturedResponse } from '../captured-response.js'
import { compareExchange, type CompareExchangeOptions } from '../compare-exchange.js'
import type { CompareJob, CompareReply, WireResponse } from './compare-job.js'
import { ComparePoolError } from './compare-pool-error.js'
import type { CompareResult } from '../compare-result.js'
import { headerValue } from '../header-value.js'

export const DEFAULT_INLINE_MAX_BYTES = 64 * 1024
export const DEFAULT_MAX_QUEUE = 256
export const DEFAULT_JOB_TIMEOUT_MS = 10_000
/** A compressed body counts this many times its wire size against inlineMaxBytes. */
export const ENCODED_WEIGHT = 8
/** Inline comparisons run back to back for at most this long before yielding to I/O. */
const INLINE_SLICE_MS = 5

export interface ComparePoolOptions {
  /** worker threads (default 1); they start on the first large pair */
  readonly workers?: number
  /** pairs whose bodies weigh at most this are compared inline (default 64 KB) */
  readonly inlineMaxBytes?: number
  /** pending comparisons beyond which compare() rejects with COMPARE_QUEUE_FULL (default 256) */
  readonly maxQueue?: number
  /** a worker job running longer fails with COMPARE_TIMEOUT (default 10 s) */
  readonly jobTimeoutMs?: number
  /** passed to compareExchange */
  readonly compare?: CompareExchangeOptions
  /** override the worker script (tests, custom builds); a .ts file is started with tsx */
  readonly workerUrl?: URL
}

export interface ComparePoolStats {
  readonly inline: number
  readonly worker: number
  readonly rejectedFull: number
  readonly crashed: number
  readonly timedOut: number
  readonly spawned: number
}

/**
 * Receives the outcome of one comparison, exactly once: an object rather
 * than a promise, so that a comparison makes no promise and no closure.
 */
export interface CompareReceiver {
  compared (result: CompareResult): void
  failed (err: Error): void
}

interface Job {
  readonly id: number
  readonly primary: CapturedResponse
  readonly shadow: CapturedResponse
  readonly cfg: CompareConfig
  readonly receiver: CompareReceiver
  readonly learn: readonly string[]
}

const NO_LEARN: readonly string[] = []

interface Slot {
  worker: Worker | null
  job: Job | null
  timer: NodeJS.Timeout | null
  lastError: Error | null
}

/** What `new Worker` is given: the script itself, or a bootstrap that loads a .ts script through tsx. */
type WorkerSpec =
  | { readonly kind: 'file'; readonly url: URL }
  | { readonly kind: 'eval'; readonly code: string }

/**
 * Under Node 20 a worker's `--import tsx` does not reach its entry module, so
 * a .ts worker starts from a small bootstrap that imports it with tsx's
 * scoped `tsImport` (resolved from tsx's own package exports).
 */
function tsxBootstrap (script: URL): WorkerSpec {
  const require = createRequire(import.meta.url)
  const pkgPath = require.resolve('tsx/package.json')
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, unknown> }
  const entry = pkg.exports?.['./esm/api'] as { import?: { default?: string } } | undefined
  const rel = entry?.import?.default ?? './dist/esm/api/index.mjs'
  const api = new URL(rel, pathToFileURL(pkgPath)).href
  const code = `import(${JSON.stringify(api)}).then(m => m.tsImport(${JSON.stringify(script.href)}, ${JSON.stringify(script.href)}))`
  return { kind: 'eval', code }
}

function resolveWorker (override?: URL): WorkerSpec {
  if (override !== undefined) return override.pathname.endsWith('.ts') ? tsxBootstrap(override) : { kind: 'file', url: override }
  const js = new URL('./compare-worker.js', import.meta.url)
  if (existsSync(fileURLToPath(js))) return { kind: 'file', url: js }
  return tsxBootstrap(new URL('./compare-worker.ts', import.meta.url))
}

function weight (r: CapturedResponse): number {
  const n = r.body?.length ?? 0
  const enc = headerValue(r.headers, 'content-encoding')
  return enc !== null && enc.trim() !== '' && enc.trim().toLowerCase() !== 'identity' ? n * ENCODED_WEIGHT : n
}

/** A copy of the body over its own ArrayBuffer, safe to transfer. */
function toWire (r: CapturedResponse, transfer: ArrayBuffer[]): WireResponse {
  let body: Uint8Array | null = null
  if (r.body !== null) {
    const copy = new Uint8Array(r.body.length)
    copy.set(r.body)
    transfer.push(copy.buffer)
    body = copy
  }
  return { status: r.status, headers: { ...r.headers }, body }
}

/** A receiver must not throw; if one does, the pool carries on and says so. */
function receiverThrew (err: unknown): void {
  process.emitWarning(`a compare receiver threw: ${(err as Error)?.stack ?? String(err)}`, 'StranglerWarning')
}

export class ComparePool {
  readonly #inlineMax: number
  readonly #maxQueue: number
  readonly #timeoutMs: number
  readonly #opts: CompareExchangeOptions
  readonly #spec: WorkerSpec
  readonly #slots: Slot[]
  readonly #waiting: Job[] = []
  readonly #inline: Job[] = []
  #inlineScheduled = false
  #pending = 0
  #stats = { inline: 0, worker: 0, rejectedFull: 0, crashed: 0, timedOut: 0, spawned: 0 }
  #nextId = 1
  #closed = false

  constructor (opts: ComparePoolOptions = {}) {
    const workers = opts.workers ?? 1
    if (!(workers >= 1)) throw new RangeError('workers must be >= 1')
    this.#inlineMax = opts.inlineMaxBytes ?? DEFAULT_INLINE_MAX_BYTES
    this.#maxQueue = opts.maxQueue ?? DEFAULT_MAX_QUEUE
    this.#timeoutMs = opts.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS
    this.#opts = opts.compare ?? {}
    this.#spec = resolveWorker(opts.workerUrl)
    this.#slots = Array.from({ length: workers }, () => ({ worker: null, job: null, timer: null, lastError: null }))
  }

  /** Comparisons accepted and not yet settled. */
  get pending (): number {
    return this.#pending
  }

  /** Counters since construction: comparisons done inline and in workers, refusals, crashes, timeouts, workers started. */
  get stats (): Readonly<ComparePoolStats> {
    return { ...this.#stats }
  }

  compare (primary: CapturedResponse, shadow: CapturedResponse, cfg: CompareConfig): Promise<CompareResult> {
    return new Promise<CompareResult>((resolve, reject) => {
      this.compareWith(primary, shadow, cfg, { compared: resolve, failed: reject })
    })
  }

  /**
   * compare(), reporting to `receiver`. A refusal (pool closed, queue full)
   * is reported at once, before compareWith returns; a result always later.
   */
  compareWith (primary: CapturedResponse, shadow: CapturedResponse, cfg: CompareConfig, receiver: CompareReceiver, learn: readonly string[] = NO_LEARN): void {
    if (this.#closed) {
      receiver.failed(new ComparePoolError('COMPARE_POOL_CLOSED', 'the compare pool is closed'))
      return
    }
    if (this.#pending >= this.#maxQueue) {
      this.#stats.rejectedFull++
      receiver.failed(new ComparePoolError('COMPARE_QUEUE_FULL', `${this.#pending} comparisons pending (maxQueue ${this.#maxQueue})`))
      return
    }
    this.#pending++
    const job: Job = { id: this.#nextId++, primary, shadow, cfg, receiver, learn }
    if (weight(primary) + weight(shadow) <= this.#inlineMax) {
      this.#inline.push(job)
      this.#scheduleInline()
    } else {
      this.#waiting.push(job)
      this.#dispatch()
    }
  }

  #resolve (job: Job, result: CompareResult): void {
    this.#pending--
    try {
      job.receiver.compared(result)
    } catch (err) {
      receiverThrew(err)
    }
  }

  #reject (job: Job, err: Error): void {
    this.#pending--
    try {
      job.receiver.failed(err)
    } catch (e) {
      receiverThrew(e)
    }
  }

  /** Fail every queued comparison with COMPARE_POOL_CLOSED and stop the workers. */
  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const closed = (): ComparePoolError => new ComparePoolError('COMPARE_POOL_CLOSED', 'the compare pool closed before this comparison ran')
    for (const job of this.#waiting.splice(0)) this.#reject(job, closed())
    for (const job of this.#inline.splice(0)) this.#reject(job, closed())
    const stops: Promise<number>[] = []
    for (const slot of this.#slots) {
      if (slot.timer !== null) clearTimeout(slot.timer)
      if (slot.job !== null) this.#reject(slot.job, closed())
      slot.job = null
      if (slot.worker !== null) {
        const w = slot.worker
        slot.worker = null
        stops.push(w.terminate())
      }
    }
    await Promise.all(stops)
  }

  #scheduleInline (): void {
    if (this.#inlineScheduled) return
    this.#inlineScheduled = true
    setImmediate(() => this.#drainInline())
  }

  #drainInline (): void {
    this.#inlineScheduled = false
    const start = performance.now()
    while (this.#inline.length > 0) {
      const job = this.#inline.shift()!
      let result: CompareResult
      try {
        result = compareExchange(job.primary, job.shadow, job.cfg, this.#opts, job.learn)
      } catch (err) {
        this.#reject(job, new ComparePoolError('COMPARE_FAILED', `comparison failed: ${(err as Error)?.message ?? String(err)}`, { cause: err }))
        continue
      }
      this.#stats.inline++
      this.#resolve(job, result)
      if (performance.now() - start >= INLINE_SLICE_MS) break
    }
    if (this.#inline.length > 0) this.#scheduleInline()
  }

  #dispatch (): void {
    for (const slot of this.#slots) {
      if (this.#waiting.length === 0) return
      if (slot.job !== null) continue
      const job = this.#waiting.shift()!
      this.#run(slot, job)
    }
  }

  #run (slot: Slot, job: Job): void {
    const worker = slot.worker ?? this.#spawn(slot)
    slot.job = job
    worker.ref()
    const transfer: ArrayBuffer[] = []
    const message: CompareJob = {
      id: job.id,
      primary: toWire(job.primary, transfer),
      shadow: toWire(job.shadow, transfer),
      cfg: job.cfg,
      opts: this.#opts,
      learn: job.learn
    }
    slot.timer = setTimeout(() => {
      slot.timer = null
      if (slot.job !== job) return
      slot.job = null
      this.#stats.timedOut++
      this.#reject(job, new ComparePoolError('COMPARE_TIMEOUT', `comparison took longer than ${this.#timeoutMs} ms`))
      this.#replace(slot)
    }, this.#timeoutMs)
    slot.timer.unref()
    try {
      worker.postMessage(message, transfer)
    } catch (err) {
      clearTimeout(slot.timer)
      slot.timer = null
      slot.job = null
      this.#reject(job, new ComparePoolError('COMPARE_FAILED', `cannot post the comparison to the worker: ${(err as Error).message}`, { cause: err }))
      this.#dispatch()
    }
  }

  #spawn (slot: Slot): Worker {
    const spec = this.#spec
    const worker = spec.kind === 'file' ? new Worker(spec.url) : new Worker(spec.code, { eval: true })
    slot.worker = worker
    slot.lastError = null
    this.#stats.spawned++
    worker.on('message', (reply: CompareReply) => {
      if (slot.worker !== worker) return
      const job = slot.job
      if (job === null || job.id !== reply.id) return
      if (slot.timer !== null) { clearTimeout(slot.timer); slot.timer = null }
      slot.job = null
      this.#stats.worker++
      if (reply.ok) this.#resolve(job, reply.result)
      else this.#reject(job, new ComparePoolError('COMPARE_FAILED', `comparison failed: ${reply.message}`))
      if (this.#waiting.length > 0) this.#dispatch()
      else worker.unref()
    })
    worker.on('error', err => {
      if (slot.worker === worker) slot.lastError = err
    })
    worker.on('exit', code => {
      if (slot.worker !== worker) return // replaced or closed on purpose
      slot.worker = null
      if (slot.timer !== null) { clearTimeout(slot.timer); slot.timer = null }
      const job = slot.job
      slot.job = null
      if (job !== null) {
        this.#stats.crashed++
        const why = slot.lastError?.message ?? `exit code ${code}`
        this.#reject(job, new ComparePoolError('COMPARE_WORKER_CRASHED', `the compare worker died: ${why}`, { cause: slot.lastError ?? undefined }))
      }
      if (!this.#closed) this.#dispatch() // respawns on demand
    })
    return worker
  }

  /** Drop a worker (stuck or broken) and carry on with a fresh one. */
  #replace (slot: Slot): void {
    const old = slot.worker
    slot.worker = null
    if (old !== null) void old.terminate()
    if (!this.#closed) this.#dispatch()
  }
}
