/**
 * A compiled transform applied to one request or one whole response: the
 * steps the forwarder (proxy/) and the mirror (shadow/, through the
 * MirrorTransforms port) share, so both sides of a comparison are adapted
 * the same way.
 */
import type { RouteConfig } from '../config/types.js'
import { refusal, transformBody, type TransformFailure } from './body-codec.js'
import { headerOf, replaceHeader, requestHeaders, requestPath, requestQuery, responseHeaders, responseStatus, type CompiledRequest, type CompiledResponse } from './compiled-transform.js'

export interface RequestParts {
  /** the path before the upstream's base path */
  readonly path: string
  readonly query: string
  readonly headers: string[]
  readonly body: Buffer | null
}

export interface Failure { readonly reason: TransformFailure; readonly detail: string }

/**
 * The request to send: path from the template (else `routed`), query and
 * headers edited, a buffered JSON body transformed (content-length follows).
 * `streamed`: the body streams through unbuffered (it cannot be transformed).
 */
export function applyRequest (req: CompiledRequest, route: RouteConfig, clientPath: string, parts: RequestParts, streamed: boolean, maxBytes: number): { parts: RequestParts; failure: Failure | null } {
  const path = requestPath(req, route, clientPath, parts.path)
  const query = requestQuery(req, parts.query)
  let headers = requestHeaders(req, parts.headers)
  let body = parts.body
  let failure: Failure | null = null
  if (req.body !== null && (body !== null || streamed)) {
    if (streamed) {
      failure = { reason: 'too-large', detail: `request body over limits.transformBody (${maxBytes} bytes): streamed through as it came` }
    } else {
      const why = refusal(req.body, headerOf(headers, 'content-type'), headerOf(headers, 'content-encoding'))
      if (why !== null) {
        failure = { reason: why, detail: `request content-type ${JSON.stringify(headerOf(headers, 'content-type') ?? '')}` }
      } else if (body!.length > maxBytes) {
        failure = { reason: 'too-large', detail: `request body of ${body!.length} bytes is over limits.transformBody (${maxBytes})` }
      } else {
        const r = transformBody(req.body, body!, headerOf(headers, 'content-encoding'), maxBytes)
        if (r.ok) {
          body = r.body
          headers = replaceHeader(headers, 'content-length', String(body.length))
        } else {
          failure = { reason: r.reason, detail: r.detail }
        }
      }
    }
  }
  return { parts: { path, query, headers, body }, failure }
}

/** Status and headers of an answer, without its body. */
export function applyResponseHead (res: CompiledResponse, status: number, headers: readonly string[]): { status: number; headers: string[] } {
  return { status: responseStatus(res, status), headers: responseHeaders(res, headers) }
}

/** Whether the body of an answer with these (already edited) headers is to be buffered and transformed; a Failure when it cannot be. */
export function bodyTransformable (res: CompiledResponse, method: string, status: number, headers: readonly string[]): true | false | Failure {
  // body operations describe the resource: error answers (not 2xx) keep their body
  if (res.body === null || method === 'HEAD' || status < 200 || status >= 300 || status === 204) return false
  const why = refusal(res.body, headerOf(headers, 'content-type'), headerOf(headers, 'content-encoding'))
  if (why === null) return true
  return { reason: why, detail: `response content-type ${JSON.stringify(headerOf(headers, 'content-type') ?? '')}` }
}

/** A whole answer's body transformed, headers following it (content-length, content-type with a format, no validators). */
export function applyResponseBody (res: CompiledResponse, headers: readonly string[], body: Buffer, maxBytes: number): { ok: true; headers: string[]; body: Buffer } | { ok: false; failure: Failure } {
  if (body.length > maxBytes) return { ok: false, failure: { reason: 'too-large', detail: `response body of ${body.length} bytes is over limits.transformBody (${maxBytes})` } }
  const r = transformBody(res.body!, body, headerOf(headers, 'content-encoding'), maxBytes)
  if (!r.ok) return { ok: false, failure: { reason: r.reason, detail: r.detail } }
  const out = bodyHeaders(headers, r.body.length, r.contentType)
  return { ok: true, headers: out, body: r.body }
}

/** Names the new body replaces: its framing, and validators of the upstream's bytes. */
const REPLACED = new Set(['content-length', 'transfer-encoding', 'etag', 'content-md5'])

/** One pass: the headers of a rewritten body (content-length; content-type when the format changed). */
function bodyHeaders (headers: readonly string[], length: number, contentType: string | null): string[] {
  const out: string[] = []
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!
    const lower = name.length > 17 || name.length < 4 ? '' : name.toLowerCase()
    if (REPLACED.has(lower) || (contentType !== null && lower === 'content-type')) continue
    out.push(name, headers[i + 1]!)
  }
  out.push('content-length', String(length))
  if (contentType !== null) out.push('content-type', contentType)
  return out
}
