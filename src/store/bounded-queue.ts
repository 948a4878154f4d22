/**
 * A FIFO queue with a capacity: pushing into a full queue drops the oldest
 * item. Dropping is O(1) (a moving head, compacted now and then), so a store
 * whose disk is stuck keeps `append` cheap while it sheds records.
 */
export class BoundedQueue<T> {
  readonly capacity: number
  #items: Array<T | undefined> = []
  #head = 0

  constructor (capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`)
    this.capacity = capacity
  }

  get size (): number {
    return this.#items.length - this.#head
  }

  /** Adds at the tail; returns how many items were dropped from the head (0 or 1). */
  push (item: T): number {
    let dropped = 0
    if (this.size >= this.capacity) dropped = this.#dropHead(1)
    this.#items.push(item)
    return dropped
  }

  /** Puts items back at the head, in their order (a failed write); returns how many of the oldest were dropped to fit. */
  prepend (items: readonly T[]): number {
    if (items.length === 0) return 0
    this.#items = [...items, ...this.#items.slice(this.#head)]
    this.#head = 0
    const excess = this.size - this.capacity
    return excess > 0 ? this.#dropHead(excess) : 0
  }

  /** Removes and returns everything, oldest first. */
  takeAll (): T[] {
    const out = (this.#head === 0 ? this.#items : this.#items.slice(this.#head)) as T[]
    this.#items = []
    this.#head = 0
    return out
  }

  /** A copy of the contents, oldest first. */
  snapshot (): T[] {
    return this.#items.slice(this.#head) as T[]
  }

  #dropHead (n: number): number {
    const end = this.#head + n
    for (let i = this.#head; i < end; i++) this.#items[i] = undefined
    this.#head = end
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return n
  }
}
