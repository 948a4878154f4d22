import type { IncomingHttpHeaders } from 'node:http'
import type { RouteConfig } from '../config/types.js'
import type { SideCapture } from '../record/side-capture.js'
import type { MirrorRequestParts, MirrorTransforms } from '../shadow/mirror-transforms.js'
import { headerObject } from '../upstream/forward-headers.js'
import { applyRequest, applyResponseBody, applyResponseHead, bodyTransformable } from './apply-transform.js'
import { transformFor } from './compiled-transform.js'
import type { TransformFailures } from './transform-failures.js'

/** The route transforms as mirrors apply them (the same steps as the forwarder's). */
export function mirrorTransformsOf (failures: TransformFailures, maxBytes: () => number): MirrorTransforms {
  return {
    request (route: RouteConfig, upstream: string, clientPath: string, parts: MirrorRequestParts): MirrorRequestParts {
      const t = transformFor(route, upstream)?.request
      if (t == null) return parts
      const r = applyRequest(t, route, clientPath, parts, false, maxBytes())
      if (r.failure !== null) failures.failed(route.name, upstream, 'request', r.failure)
      return r.parts
    },
    response (route: RouteConfig, upstream: string, method: string, capture: SideCapture): SideCapture {
      if (capture.kind !== 'ok') return capture
      const t = transformFor(route, upstream)?.response
      if (t == null) return capture
      const own = headerList(capture.headers)
      const head = applyResponseHead(t, capture.status, own)
      let headers = head.headers
      let body = capture.body
      // the upstream's own content-type says what its body is
      const can = bodyTransformable(t, method, head.status, own)
      if (can === true && body !== null) {
        const r = applyResponseBody(t, headers, body, maxBytes())
        if (r.ok) {
          headers = r.headers
          body = r.body
        } else {
          failures.failed(route.name, upstream, 'response', r.failure)
        }
      } else if (can !== true && can !== false) {
        failures.failed(route.name, upstream, 'response', can)
      }
      return { ...capture, status: head.status, headers: headerObject(headers), body }
    }
  }
}

function headerList (h: IncomingHttpHeaders): string[] {
  const out: string[] = []
  for (const [name, v] of Object.entries(h)) {
    if (v === undefined) continue
    if (Array.isArray(v)) for (const x of v) out.push(name, x)
    else out.push(name, v)
  }
  return out
}
