import type { Readable } from 'node:stream'

/** What a BodyCapture hands over once the body is over. */
export type CaptureEnd =
  | { readonly kind: 'complete'; readonly body: Buffer | null; readonly total: number }
  | { readonly kind: 'overflowed'; readonly total: number }
  /** the stream closed before its end (the client went away, the upstream reset) */
  | { readonly kind: 'closed'; readonly total: number }

/**
 * Keeps a copy of at most `cap` bytes of a body that streams to the client,
 * by listening to the stream's 'data' beside the pipe that sends it: no
 * Transform stream in between, so no second pipe hop per chunk. Past the cap
 * it stops copying (and frees what it held). Attach once the stream is
 * piped: a 'data' listener on a stream not yet flowing would start it, and
 * chunks would flow before the pipe is there; so when the stream is not
 * flowing yet, listening starts at its 'resume'.
 */
export class BodyCapture {
  private chunks: Buffer[] = []
  private kept = 0
  private total = 0
  private overflowed = false
  private readonly cap: number
  private done: ((end: CaptureEnd) => void) | null

  constructor (cap: number, stream: Readable, done: (end: CaptureEnd) => void) {
    this.cap = cap
    this.done = done
    const onData = (chunk: Buffer): void => { this.add(chunk) }
    if (stream.readableFlowing === true) stream.on('data', onData)
    else stream.once('resume', () => stream.on('data', onData))
    stream.once('end', () => { this.finish() })
    stream.once('close', () => { this.settle({ kind: 'closed', total: this.total }) })
  }

  private add (chunk: Buffer): void {
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

  private finish (): void {
    if (this.overflowed) {
      this.settle({ kind: 'overflowed', total: this.total })
      return
    }
    const body = this.chunks.length === 0 ? null : this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.kept)
    this.chunks = []
    this.settle({ kind: 'complete', body, total: this.total })
  }

  private settle (end: CaptureEnd): void {
    const done = this.done
    if (done === null) return
    this.done = null
    done(end)
  }
}
