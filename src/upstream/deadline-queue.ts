/** A function, or an object whose handleEvent() is called (no closure per request). */
type AbortListener = (() => void) | { handleEvent (): void }

/**
 * A deadline, shaped like an abort signal (`aborted`, `reason`,
 * `addEventListener`, `removeEventListener`) but far cheaper than an
 * AbortController or an EventEmitter per request: one listener slot, no
 * event objects. A listener may be an object with handleEvent(), as with
 * EventTarget, so a request's handler listens without a closure; extra
 * listeners are kept in a small array.
 */
export class DeadlineSignal {
  aborted = false
  timedOut = false
  reason: unknown = undefined
  deadline = 0
  // intrusive doubly linked list links, owned by DeadlineQueue
  prev: DeadlineSignal | null = null
  next: DeadlineSignal | null = null
  queued = false
  /** the queue this deadline runs in (set by DeadlineQueue.start) */
  queue: DeadlineQueue | null = null
  private listener: AbortListener | null = null
  private more: AbortListener[] | null = null

  addEventListener (type: string, listener: AbortListener): void {
    if (type !== 'abort') return
    if (this.listener === null) this.listener = listener
    else (this.more ??= []).push(listener)
  }

  removeEventListener (type: string, listener: AbortListener): void {
    if (type !== 'abort') return
    if (this.listener === listener) {
      this.listener = this.more !== null && this.more.length > 0 ? this.more.shift()! : null
    } else if (this.more !== null) {
      const i = this.more.indexOf(listener)
      if (i !== -1) this.more.splice(i, 1)
    }
  }

  /** Over: answered, failed or no longer counted (a paused body). */
  settle (): void {
    this.queue?.settle(this)
  }

  /** Start over from now (an idle limit refreshed on activity). */
  restart (): void {
    this.queue?.restart(this)
  }

  abort (timedOut: boolean): void {
    if (this.aborted) return
    this.aborted = true
    this.timedOut = timedOut
    const first = this.listener
    const more = this.more
    this.listener = null
    this.more = null
    if (first !== null) call(first)
    if (more !== null) for (const l of more) call(l)
  }
}

function call (l: AbortListener): void {
  if (typeof l === 'function') l()
  else l.handleEvent()
}

/**
 * Deadlines for requests that all share one timeout: they expire in the order
 * they started, so a FIFO list and a single ticking timer replace a timer per
 * request. undici's own timeouts fire with about one second of slack; this
 * fires within `tickMs`.
 */
export class DeadlineQueue {
  private head: DeadlineSignal | null = null
  private tail: DeadlineSignal | null = null
  private timer: NodeJS.Timeout | null = null
  private readonly timeoutMs: number
  private readonly tickMs: number

  constructor (timeoutMs: number, tickMs = Math.max(5, Math.min(25, Math.floor(timeoutMs / 10)))) {
    this.timeoutMs = timeoutMs
    this.tickMs = tickMs
  }

  /** Start a deadline now; returns the signal to hand to undici. */
  start (): DeadlineSignal {
    const s = new DeadlineSignal()
    s.queue = this
    this.restart(s)
    return s
  }

  /**
   * Start `s` over: its deadline is now + timeoutMs again, at the tail of the
   * queue (an idle timer refreshed on activity). O(1); also re-arms a
   * settled signal.
   */
  restart (s: DeadlineSignal): void {
    if (s.aborted) return
    this.settle(s)
    s.deadline = performance.now() + this.timeoutMs
    s.queued = true
    if (this.tail === null) {
      this.head = this.tail = s
    } else {
      s.prev = this.tail
      this.tail.next = s
      this.tail = s
    }
    if (this.timer === null) {
      this.timer = setInterval(() => this.expire(), this.tickMs)
      this.timer.unref()
    }
  }

  /** The request answered (or failed): its deadline no longer applies. */
  settle (s: DeadlineSignal): void {
    if (!s.queued) return
    s.queued = false
    if (s.prev !== null) s.prev.next = s.next
    else this.head = s.next
    if (s.next !== null) s.next.prev = s.prev
    else this.tail = s.prev
    s.prev = s.next = null
    // the timer keeps ticking while the queue is empty; the next tick stops
    // it, so a queue that empties and refills between ticks (every request,
    // under load) does not clear and re-arm an interval each time
  }

  private expire (): void {
    if (this.head === null) {
      this.stopTimer()
      return
    }
    const now = performance.now()
    while (this.head !== null && this.head.deadline <= now) {
      const s = this.head
      this.settle(s)
      s.abort(true)
    }
  }

  private stopTimer (): void {
    if (this.timer !== null) {
      clearInterval(this.timer)
      this.timer = null
    }
  }

  close (): void {
    this.stopTimer()
  }
}
