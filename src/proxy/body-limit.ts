import { StranglerError } from '../errors.js'
import { Transform, type TransformCallback } from 'node:stream'

export class BodyTooLargeError extends StranglerError {
  constructor (limit: number) {
    super('BODY_TOO_LARGE', `request body is larger than ${limit} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

/** Passes a request body through, failing once more than `limit` bytes went by. */
export class BodyLimit extends Transform {
  private seen = 0
  private readonly limit: number
  exceeded = false

  constructor (limit: number) {
    super()
    this.limit = limit
  }

  override _transform (chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length
    if (this.seen > this.limit) {
      this.exceeded = true
      cb(new BodyTooLargeError(this.limit))
      return
    }
    cb(null, chunk)
  }
}
