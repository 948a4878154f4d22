/** What a BodyCapture holds once the body is over. */
export type CaptureEnd =
  | { readonly kind: 'complete'; readonly body: Buffer | null; readonly total: number }
  | { readonly kind: 'overflowed'; readonly total: number }

/**
 * Keeps a copy of at most `cap` bytes of a body as its chunks go by (the
 * chunks themselves, no copying). Past the cap it stops keeping (and frees
 * what it held) but goes on counting.
 */
export class BodyCapture {
  private chunks: Buffer[] = []
  private kept = 0
  total = 0
  private overflowed = false
  private readonly cap: number

  constructor (cap: number) {
    this.cap = cap
  }

  add (chunk: Buffer): void {
    this.total += chunk.length
    if (this.overflowed) return
    if (this.kept + chunk.length > this.cap) {
      this.overflowed = true
      this.chunks = []
      this.kept = 0
      return
    }
    this.chunks.push(chunk)
    this.kept += chunk.length
  }

  /** The body is complete: what was kept, in one buffer. */
  finish (): CaptureEnd {
    if (this.overflowed) return { kind: 'overflowed', total: this.total }
    const chunks = this.chunks
    this.chunks = []
    const body = chunks.length === 0 ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.kept)
    return { kind: 'complete', body, total: this.total }
  }
}
