import { Transform, type TransformCallback } from 'node:stream'

/**
 * Passes a response body through to the client untouched while keeping a
 * copy of at most `cap` bytes for the comparison. Past the cap it stops
 * copying (and frees what it held) but keeps passing bytes through.
 */
export class CaptureTee extends Transform {
  private chunks: Buffer[] = []
  private kept = 0
  total = 0
  overflowed = false
  private readonly cap: number

  constructor (cap: number) {
    super()
    this.cap = cap
  }

  override _transform (chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.total += chunk.length
    if (!this.overflowed) {
      if (this.kept + chunk.length > this.cap) {
        this.overflowed = true
        this.chunks = []
        this.kept = 0
      } else {
        this.chunks.push(chunk)
        this.kept += chunk.length
      }
    }
    cb(null, chunk)
  }

  /** the captured body; null after an overflow */
  captured (): Buffer | null {
    if (this.overflowed) return null
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.kept)
  }
}
