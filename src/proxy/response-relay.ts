import type { Dispatcher } from 'undici'
import type { DeadlineSignal } from '../upstream/deadline-queue.js'
import { TimeoutError } from '../upstream/timeout-error.js'
import { StranglerError } from '../errors.js'
import type { ExchangeState } from './exchange.js'
import { responseHeaderList } from '../upstream/forward-headers.js'
import { closeIfDraining } from './draining.js'
import type { CompiledResponse } from '../transforms/compiled-transform.js'
import { applyResponseBody, applyResponseHead, bodyTransformable, type Failure } from '../transforms/apply-transform.js'

/** What a relay reports to: the forwarder that started it. */
export interface RelayOwner {
  /** the upstream answered headers (latency, for metrics) */
  answered (st: ExchangeState, relay: ResponseRelay): void
  /** try the route's fallback; false when it is not allowed */
  retry (st: ExchangeState, reason: string): boolean
  /** no response from the upstream: answer the client with an error (or fall back) */
  failed (st: ExchangeState, relay: ResponseRelay, err: Error): void
  /** the response broke off after its headers went to the client */
  broken (st: ExchangeState, relay: ResponseRelay, err: Error): void
  /** the route's transform could not apply to this answer: it goes as it came */
  transformFailed (st: ExchangeState, relay: ResponseRelay, failure: Failure): void
}

const WAITING = 0
const STREAMING = 1
const DISCARDING = 2
const DONE = 3
/** reading the whole body for a transform, nothing sent to the client yet */
const BUFFERING = 4

/** How much of a 5xx answer is read (and dropped) to keep its socket when a fallback takes over. */
const DISCARD_LIMIT = 64 * 1024

class ClientGoneError extends StranglerError {
  constructor () {
    super('CLIENT_GONE', 'the client closed the connection')
    this.name = 'ClientGoneError'
  }
}

/**
 * An undici dispatch handler that relays one upstream response straight to
 * the client's ServerResponse: status and headers (hop-by-hop removed) with
 * writeHead, then each body chunk with write, pausing the upstream while the
 * client's socket is full. No intermediate stream, no per-request promise or
 * closure on the way. The shadow, when there is one, sees the same chunks.
 *
 * It is also its request's deadline listener (handleEvent): the deadline
 * runs until response headers, then starts over at each body chunk, so it
 * bounds the upstream's idle time between chunks (not while the client's
 * socket is full). undici's own header and body timers are off: they cost
 * a timer object per request that lives on for a second.
 *
 * It uses undici's handler callbacks that Client calls natively (onConnect,
 * onHeaders, onData, onComplete, onError); the controller-style ones are an
 * adapter over these.
 */
export class ResponseRelay implements Dispatcher.DispatchHandler {
  readonly upstream: string
  readonly timeoutMs: number
  readonly deadline: DeadlineSignal
  /** the client went away: nothing more is written, a fallback is not tried */
  clientGone = false
  private stage = WAITING
  private readonly owner: RelayOwner
  private readonly st: ExchangeState
  private abortRequest: ((err?: Error) => void) | null = null
  /** why the request ended before undici connected it: aborted as soon as it does */
  private endedEarly: Error | null = null
  private resumeUpstream: (() => void) | null = null
  private onDrain: (() => void) | null = null
  private discarded = 0
  /** the route's response transform for this upstream, or null */
  private readonly transform: CompiledResponse | null
  /** BUFFERING: the answer's (transformed) status and headers, and its body so far */
  private held: { status: number; headers: string[]; chunks: Buffer[]; bytes: number } | null = null

  constructor (owner: RelayOwner, st: ExchangeState, upstream: string, timeoutMs: number, deadline: DeadlineSignal, transform: CompiledResponse | null = null) {
    this.owner = owner
    this.st = st
    this.upstream = upstream
    this.timeoutMs = timeoutMs
    this.deadline = deadline
    this.transform = transform
  }

  onConnect (abort: (err?: Error) => void): void {
    if (this.endedEarly !== null) {
      abort(this.endedEarly)
      return
    }
    this.abortRequest = abort
  }

  onHeaders (statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (this.stage !== WAITING) return true
    // 1xx informational answers (103 Early Hints) are not relayed
    if (statusCode < 200) return true
    const st = this.st
    this.deadline.restart()
    this.owner.answered(st, this)
    if (statusCode >= 500 && st.canFallback && !st.isFallback) {
      // the fallback answers instead; this answer is read and dropped
      this.stage = DISCARDING
      if (this.owner.retry(st, `status-${statusCode}`)) return true
      this.stage = WAITING
    }
    let list = responseHeaderList(rawHeaders)
    this.resumeUpstream = resume
    const t = this.transform
    if (t !== null) {
      const head = applyResponseHead(t, statusCode, list)
      // the upstream's own content-type says what its body is
      const body = bodyTransformable(t, st.method, head.status, list)
      statusCode = head.status
      list = head.headers
      if (body === true) {
        // the body is changed whole: read it first, answer once it is complete
        this.held = { status: statusCode, headers: list, chunks: [], bytes: 0 }
        this.stage = BUFFERING
        return true
      }
      if (body !== false) this.owner.transformFailed(st, this, body)
    }
    this.sendHead(statusCode, list)
    return true
  }

  private sendHead (statusCode: number, list: string[]): void {
    const st = this.st
    const res = st.reply.raw
    closeIfDraining(res)
    // an invalid status or header value throws here; undici then aborts the
    // request and onError answers 502
    // the proxy's own headers for this answer (rate-limit state, x-cache)
    // go to the client only: the shadow's compare sees the upstream's
    res.writeHead(statusCode, st.extraHeaders === null ? list : list.concat(st.extraHeaders))
    this.stage = STREAMING
    if (st.shadowing !== null) st.shadowing.primaryResponse(this.upstream, statusCode, list)
  }

  /** BUFFERING: the body is over the transform's cap: send what is held as it came, and stream the rest. */
  private giveUp (failure: Failure): boolean {
    const held = this.held!
    this.held = null
    this.owner.transformFailed(this.st, this, failure)
    this.sendHead(held.status, held.headers)
    const st = this.st
    let ok = true
    for (const c of held.chunks) {
      if (st.shadowing !== null) st.shadowing.primaryData(c)
      ok = st.reply.raw.write(c)
    }
    if (ok) return true
    this.waitForDrain()
    return false
  }

  onData (chunk: Buffer): boolean {
    if (this.stage === STREAMING) return this.relayChunk(chunk)
    if (this.stage === BUFFERING) {
      const held = this.held!
      held.chunks.push(chunk)
      held.bytes += chunk.length
      this.deadline.restart()
      const max = this.st.rules.limits.transformBodyBytes
      if (held.bytes > max) return this.giveUp({ reason: 'too-large', detail: `response body over limits.transformBody (${max} bytes): streamed as it came` })
      return true
    }
    if (this.stage === DISCARDING) {
      this.discarded += chunk.length
      if (this.discarded > DISCARD_LIMIT) {
        this.stage = DONE
        this.abortRequest?.()
      }
    }
    return true
  }

  /** STREAMING: one body chunk to the client (and the shadow's copy); false pauses the upstream until the client drains. */
  private relayChunk (chunk: Buffer): boolean {
    const st = this.st
    if (st.shadowing !== null) st.shadowing.primaryData(chunk)
    if (st.reply.raw.write(chunk)) {
      this.deadline.restart()
      return true
    }
    this.waitForDrain()
    return false
  }

  /** The client's socket is full: pause the upstream (and its idle deadline) until it drains. */
  private waitForDrain (): void {
    this.deadline.settle()
    this.onDrain ??= () => {
      if (this.stage !== STREAMING) return
      this.deadline.restart()
      this.resumeUpstream?.()
    }
    this.st.reply.raw.once('drain', this.onDrain)
  }

  onComplete (): void {
    const buffered = this.stage === BUFFERING
    if (buffered) this.sendTransformed()
    const stage = this.stage
    this.stage = DONE
    this.deadline.settle()
    if (stage !== STREAMING) return
    const st = this.st
    if (!buffered) st.reply.raw.end()
    if (st.shadowing !== null) st.shadowing.primaryEnd()
  }

  /** BUFFERING, body complete: transform it and send the whole answer (as it came when it cannot be transformed). */
  private sendTransformed (): void {
    const held = this.held!
    this.held = null
    const body = held.chunks.length === 1 ? held.chunks[0]! : Buffer.concat(held.chunks, held.bytes)
    const r = applyResponseBody(this.transform!, held.headers, body, this.st.rules.limits.transformBodyBytes)
    let headers = held.headers
    let out = body
    if (r.ok) {
      headers = r.headers
      out = r.body
    } else {
      this.owner.transformFailed(this.st, this, r.failure)
    }
    try {
      this.sendHead(held.status, headers)
    } catch (err) {
      // a header the transform set is refused by Node: the client gets 502, as for an upstream's
      this.stage = DONE
      this.owner.failed(this.st, this, err as Error)
      return
    }
    const st = this.st
    // a transformed body may be a slice of a shared slab (lazy-json.ts): the
    // capture, which holds it until the shadow answers, gets its own copy
    if (out.length > 0 && st.shadowing !== null) st.shadowing.primaryData(out.byteLength < out.buffer.byteLength && out !== body ? Buffer.from(out) : out)
    // the whole answer in one call: head and body leave together
    st.reply.raw.end(out)
  }

  onError (err: Error): void {
    const stage = this.stage
    this.stage = DONE
    this.held = null
    this.deadline.settle()
    if (stage === WAITING || stage === BUFFERING) this.owner.failed(this.st, this, err)
    else if (stage === STREAMING) this.owner.broken(this.st, this, err)
  }

  /** The deadline expired: no headers yet, or no body chunk for timeoutMs. */
  handleEvent (): void {
    if (this.stage === STREAMING || this.stage === DISCARDING || this.stage === BUFFERING) {
      // undici calls onError with it, at once; the client's response is cut short
      this.abortRequest?.(new TimeoutError(this.timeoutMs))
      return
    }
    if (this.stage !== WAITING) return
    const err = new TimeoutError(this.timeoutMs)
    if (this.abortRequest !== null) {
      // undici calls onError with it, at once
      this.abortRequest(err)
      return
    }
    // still queued for a connection: answer now, abort once it connects
    this.endedEarly = err
    this.stage = DONE
    this.owner.failed(this.st, this, err)
  }

  /** The client's connection closed (or the response finished). */
  clientClosed (): void {
    if (this.stage !== WAITING && this.stage !== STREAMING && this.stage !== BUFFERING) return
    this.clientGone = true
    const err = new ClientGoneError()
    if (this.abortRequest !== null) {
      this.abortRequest(err)
      return
    }
    this.endedEarly = err
    this.stage = DONE
    this.deadline.settle()
    this.owner.failed(this.st, this, err)
  }
}
