/**
 * Why the compare pool could not give a result. The caller (the shadow
 * mirror) counts these as skips; none reaches a client.
 * - COMPARE_QUEUE_FULL: maxQueue comparisons already pending; this one is refused.
 * - COMPARE_WORKER_CRASHED: the worker running this comparison died (it is respawned).
 * - COMPARE_TIMEOUT: the worker took longer than jobTimeoutMs (it is replaced).
 * - COMPARE_POOL_CLOSED: close() was called before the comparison ran.
 * - COMPARE_FAILED: the comparison itself threw (a bug).
 */
import { StranglerError, type ErrorCode } from '../../errors.js'

/** The compare pool's codes, listed with every other code in src/errors.ts. */
export type ComparePoolErrorCode = Extract<ErrorCode, `COMPARE_${string}`>

/** A StranglerError whose code is one of the compare pool's. */
export class ComparePoolError extends StranglerError {
  declare readonly code: ComparePoolErrorCode
  constructor (code: ComparePoolErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'ComparePoolError'
  }
}
