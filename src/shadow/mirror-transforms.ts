import type { RouteConfig } from '../config/types.js'
import type { SideCapture } from '../record/side-capture.js'

/** A mirror request as sent: path before the upstream's base path, query, headers (host set), body. */
export interface MirrorRequestParts {
  readonly path: string
  readonly query: string
  readonly headers: string[]
  readonly body: Buffer | null
}

/**
 * The port through which mirrors get the route's transforms
 * (transforms/mirror-transforms-of.ts implements it; the app wires it): a
 * mirror to an upstream is adapted exactly as a served request to it, and its
 * answer as the client would get it, so parity measures what clients would
 * see after the flip.
 */
export interface MirrorTransforms {
  request (route: RouteConfig, upstream: string, clientPath: string, parts: MirrorRequestParts): MirrorRequestParts
  response (route: RouteConfig, upstream: string, method: string, capture: SideCapture): SideCapture
}
