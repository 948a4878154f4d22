import type { CapturedResponse } from '../compare/captured-response.js'

/**
 * One side of a mirrored exchange once it has settled, the one type for a
 * side from the mirror to the record: an answer read whole (`ok`, which is a
 * CapturedResponse the comparison and the contract check take as it is), or
 * why there is none to compare. `bytes` and `ms` are what the record keeps.
 */
export type SideCapture =
  | (CapturedResponse & { readonly kind: 'ok'; readonly upstream: string; readonly bytes: number; readonly ms: number })
  | { readonly kind: 'too-large'; readonly upstream: string; readonly status: number | null; readonly bytes: number; readonly ms: number }
  | { readonly kind: 'error'; readonly upstream: string; readonly status: number | null; readonly error: string; readonly bytes: number; readonly ms: number }
  /** the primary side only: the client went away before the body was complete */
  | { readonly kind: 'aborted'; readonly upstream: string; readonly status: number | null; readonly bytes: number; readonly ms: number }
