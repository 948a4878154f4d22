/** An upstream gave no answer (headers) within its deadline. */
export class TimeoutError extends Error {
  readonly code = 'STRANGLER_TIMEOUT'
  constructor (ms: number) {
    super(`no response within ${ms} ms`)
    this.name = 'TimeoutError'
  }
}
