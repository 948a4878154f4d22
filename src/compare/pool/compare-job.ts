/** The messages between compare-pool.ts and compare-worker.ts. */
import type { CompareConfig } from '../../config/types.js'
import type { CompareExchangeOptions } from '../compare-exchange.js'
import type { CompareResult } from '../compare-result.js'
import type { CapturedResponse } from '../captured-response.js'

/** A CapturedResponse as posted to the worker: the body is a Uint8Array over its own (transferred) ArrayBuffer. */
export type WireResponse = Omit<CapturedResponse, 'body'> & { readonly body: Uint8Array | null }

export interface CompareJob {
  readonly id: number
  readonly primary: WireResponse
  readonly shadow: WireResponse
  readonly cfg: CompareConfig
  readonly opts: CompareExchangeOptions
  /** the route's correlate learn paths */
  readonly learn: readonly string[]
}

export type CompareReply =
  | { readonly id: number; readonly ok: true; readonly result: CompareResult }
  | { readonly id: number; readonly ok: false; readonly message: string }
