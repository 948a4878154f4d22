import type { IncomingHttpHeaders } from 'node:http'

/** One side of a mirrored exchange once it has settled. */
export type SideCapture =
  | { readonly kind: 'ok'; readonly upstream: string; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: Buffer | null; readonly bytes: number; readonly ms: number }
  | { readonly kind: 'too-large'; readonly upstream: string; readonly status: number | null; readonly bytes: number; readonly ms: number }
  | { readonly kind: 'error'; readonly upstream: string; readonly status: number | null; readonly error: string; readonly bytes: number; readonly ms: number }
  /** the primary side only: the client went away before the body was complete */
  | { readonly kind: 'aborted'; readonly upstream: string; readonly status: number | null; readonly bytes: number; readonly ms: number }
