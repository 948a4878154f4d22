/**
 * Why the compare pool could not give a result. The caller (the shadow
 * mirror) counts these as skips; none reaches a client.
 * - COMPARE_QUEUE_FULL: maxQueue comparisons already pending; this one is refused.
 * - COMPARE_WORKER_CRASHED: the worker running this comparison died (it is respawned).
 * - COMPARE_TIMEOUT: the worker took longer than jobTimeoutMs (it is replaced).
 * - COMPARE_POOL_CLOSED: close() was called before the comparison ran.
 * - COMPARE_FAILED: the comparison itself threw (a bug).
 */
import type { ErrorCode } from '../errors.js'

/** The compare pool's codes, listed with every other code in src/errors.ts. */
export type ComparePoolErrorCode = Extract<ErrorCode, `COMPARE_${string}`>

export class ComparePoolError extends Error {
  readonly code: ComparePoolErrorCode
  constructor (code: ComparePoolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ComparePoolError'
    this.code = code
  }
}
