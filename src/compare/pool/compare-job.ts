/** The messages between compare-pool.ts and compare-worker.ts. */
import type { CompareConfig } from '../../config/types.js'
import type { CompareExchangeOptions } from '../compare-exchange.js'
import type { CompareResult } from '../compare-result.js'

/** A CapturedResponse as posted: the body is a Uint8Array over its own (transferred) ArrayBuffer. */
export interface WireResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: Uint8Array | null
}

export interface CompareJob {
  readonly id: number
  readonly primary: WireResponse
  readonly shadow: WireResponse
  readonly cfg: CompareConfig
  readonly opts: CompareExchangeOptions
}

export type CompareReply =
  | { readonly id: number; readonly ok: true; readonly result: CompareResult }
  | { readonly id: number; readonly ok: false; readonly message: string }
