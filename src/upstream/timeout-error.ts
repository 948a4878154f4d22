import { StranglerError } from '../errors.js'

/** An upstream gave no answer (headers, or the next body chunk) within its deadline. */
export class TimeoutError extends StranglerError {
  constructor (ms: number) {
    super('UPSTREAM_TIMEOUT', `no response within ${ms} ms`)
    this.name = 'TimeoutError'
  }
}
