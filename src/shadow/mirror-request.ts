import type { IncomingHttpHeaders } from 'node:http'
import type { Dispatcher } from 'undici'
import type { UpstreamConfig } from '../config/types.js'
import { headerObject, responseHeaderList } from '../upstream/forward-headers.js'
import type { DeadlineSignal } from '../upstream/deadline-queue.js'
import type { UpstreamPools } from '../upstream/upstream-pools.js'
import type { SideCapture } from '../record/side-capture.js'
import { BodyCapture } from './body-capture.js'
import type { BudgetHolder, CaptureBudget } from './capture-budget.js'

export interface MirrorRequest {
  /** the upstream's name, as the rules give it (the side's record names it) */
  readonly upstreamName: string
  readonly upstream: UpstreamConfig
  readonly method: string
  /** path and query, as forwarded (base path and stripPrefix applied) */
  readonly path: string
  /** flat [name, value, …] list, host included */
  readonly headers: string[]
  readonly body: Buffer | null
  /** the shadow's own deadline for the whole exchange, headers and body */
  readonly timeoutMs: number
  readonly maxBodyBytes: number
  /** the bytes all mirror answers being read may hold together: past it, this one may pause */
  readonly budget: CaptureBudget
  /** asked when a paused read is woken: true abandons it as too-large (its route is backing off from this shadow) */
  readonly abandon?: () => boolean
}

/**
 * Send the mirror and read its whole answer, up to maxBodyBytes, within the
 * shadow's own deadline; `done` is called exactly once with the result.
 * Never throws: every failure is a result. A body over the cap is abandoned
 * at once, and reading pauses while the mirrors together hold more than the
 * budget (memory stays bounded, and a never-ending body is not read as fast
 * as the shadow can send it).
 */
export function mirrorRequest (pools: UpstreamPools, req: MirrorRequest, done: (r: SideCapture) => void): void {
  const handler = new MirrorHandler(pools, req, done)
  try {
    pools.pool(req.upstream.origin).dispatch({
      path: req.path,
      method: req.method,
      headers: req.headers,
      body: req.body,
      headersTimeout: 0,
      bodyTimeout: 0
    }, handler)
  } catch (err) {
    handler.onError(err as Error)
  }
}

/** undici dispatch handler reading one mirror answer into memory (undici's native callbacks, as ResponseRelay). */
class MirrorHandler implements Dispatcher.DispatchHandler, BudgetHolder {
  private readonly req: MirrorRequest
  private done: ((r: SideCapture) => void) | null
  private readonly deadline: DeadlineSignal
  private readonly started = performance.now()
  private abortRequest: ((err?: Error) => void) | null = null
  private status: number | null = null
  private headers: IncomingHttpHeaders = {}
  private capture: BodyCapture | null = null
  /** bytes this reader holds in the budget */
  private held = 0
  private resume: (() => void) | null = null
  private pausedNow = false

  constructor (pools: UpstreamPools, req: MirrorRequest, done: (r: SideCapture) => void) {
    this.req = req
    this.done = done
    this.deadline = pools.deadline(req.timeoutMs)
    this.deadline.addEventListener('abort', this)
  }

  private elapsed (): number {
    return Math.round((performance.now() - this.started) * 10) / 10
  }

  private finish (r: SideCapture): void {
    const done = this.done
    if (done === null) return
    this.done = null
    this.deadline.settle()
    this.req.budget.release(this, this.held)
    this.held = 0
    this.capture = null
    done(r)
  }

  private tooLarge (bytes: number): void {
    this.finish({ kind: 'too-large', upstream: this.req.upstreamName, status: this.status!, bytes, ms: this.elapsed() })
    this.abortRequest?.()
  }

  onConnect (abort: (err?: Error) => void): void {
    if (this.done === null) {
      abort()
      return
    }
    this.abortRequest = abort
  }

  onHeaders (statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200 || this.done === null) return true
    this.resume = resume
    this.status = statusCode
    this.headers = headerObject(responseHeaderList(rawHeaders))
    const declared = Number(this.headers['content-length'])
    if (declared > this.req.maxBodyBytes) {
      this.tooLarge(declared)
      return false
    }
    this.capture = new BodyCapture(this.req.maxBodyBytes)
    return true
  }

  onData (chunk: Buffer): boolean {
    const capture = this.capture
    if (capture === null || this.done === null) return true
    capture.add(chunk)
    if (capture.total > this.req.maxBodyBytes) {
      this.tooLarge(capture.total)
      return false
    }
    this.held += chunk.length
    if (this.req.budget.grow(this, chunk.length)) return true
    this.pausedNow = true
    return false
  }

  /** BudgetHolder: bytes were freed, read on. */
  wake (): void {
    this.pausedNow = false
    if (this.done === null) return
    if (this.req.abandon?.() === true) {
      this.tooLarge(this.capture?.total ?? 0)
      return
    }
    this.resume?.()
  }

  onComplete (): void {
    const capture = this.capture
    if (capture === null || this.done === null) return
    const end = capture.finish()
    if (end.kind === 'overflowed') {
      this.tooLarge(end.total)
      return
    }
    this.finish({ kind: 'ok', upstream: this.req.upstreamName, status: this.status!, headers: this.headers, body: end.body, bytes: end.total, ms: this.elapsed() })
  }

  onError (err: Error): void {
    if (this.done === null) return
    const e = err as { code?: string; message?: string }
    const message = this.deadline.timedOut
      ? `shadow timeout: no complete answer within ${this.req.timeoutMs} ms${this.pausedNow ? ` (${this.capture?.total ?? 0} bytes read, paused: mirror answers being read held shadow.maxBufferedBytes)` : ''}`
      : `${e.code ?? 'ERROR'}: ${e.message ?? String(err)}`
    this.finish({ kind: 'error', upstream: this.req.upstreamName, error: message, status: this.status, bytes: this.capture?.total ?? 0, ms: this.elapsed() })
  }

  /** The deadline expired: the whole exchange took too long. */
  handleEvent (): void {
    if (this.done === null) return
    const err = new Error('shadow deadline')
    if (this.abortRequest !== null) {
      this.abortRequest(err)
      return
    }
    // still queued for a connection: report now, abort once it connects
    this.onError(err)
  }
}

