/** A mirror answer being read into memory, as the budget sees it. */
export interface BudgetHolder {
  /** resume reading (called once per pause) */
  wake (): void
}

/**
 * The bytes all mirror answers being read hold together
 * (`shadow.maxBufferedBytes`). A reader that takes the total past the limit
 * pauses (its socket stops being read) until bytes are freed, except one:
 * the runner, which goes on to the end of its body (or to maxBodyBytes,
 * where it is abandoned) and so always frees what it holds. The runner
 * keeps the budget from deadlocking when every reader holds part of a body;
 * the shadow's deadline still ends a paused reader. Paused readers are
 * woken one per event-loop turn while there is room. Memory held is at most
 * the limit plus one body (maxBodyBytes) plus a read chunk or two.
 */
export class CaptureBudget {
  limit: number
  private held = 0
  private peakHeld = 0
  private runner: BudgetHolder | null = null
  /** paused readers, in the order they paused */
  private readonly waiting = new Set<BudgetHolder>()
  private wakeScheduled = false

  constructor (limit: number) {
    this.limit = limit
  }

  /** bytes held now */
  get used (): number { return this.held }
  /** the most bytes held at once since start */
  get peak (): number { return this.peakHeld }
  /** readers paused now */
  get paused (): number { return this.waiting.size }

  /**
   * `holder` read `n` more bytes and keeps them. true: read on; false: pause
   * reading, `holder.wake()` will be called when bytes are freed.
   */
  grow (holder: BudgetHolder, n: number): boolean {
    this.held += n
    if (this.held > this.peakHeld) this.peakHeld = this.held
    if (this.held <= this.limit || this.runner === holder) return true
    if (this.runner === null) {
      this.runner = holder
      return true
    }
    this.waiting.add(holder)
    return false
  }

  /** `holder` is done (its body complete, abandoned or failed): free its `n` bytes. */
  release (holder: BudgetHolder, n: number): void {
    this.held -= n
    this.waiting.delete(holder)
    if (this.runner === holder) this.runner = null
    this.scheduleWake()
  }

  /**
   * Wake paused readers later, never now: release() runs inside a reader's
   * own callbacks, where resuming another parser is not allowed.
   */
  private scheduleWake (): void {
    if (this.wakeScheduled || this.waiting.size === 0) return
    this.wakeScheduled = true
    setImmediate(this.wakePass)
  }

  /**
   * One pass: with no runner, the longest-paused reader becomes the runner;
   * with room, one more paused reader reads on (one per pass, so a crowd of
   * readers woken at once cannot overshoot the limit together).
   */
  private readonly wakePass = (): void => {
    this.wakeScheduled = false
    if (this.runner === null) {
      const next = this.first()
      if (next !== null) {
        this.runner = next
        next.wake()
      }
    }
    if (this.held < this.limit) {
      const next = this.first()
      if (next !== null) next.wake()
    }
    if (this.held < this.limit) this.scheduleWake()
  }

  private first (): BudgetHolder | null {
    for (const h of this.waiting) {
      this.waiting.delete(h)
      return h
    }
    return null
  }
}
