import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import { checkRequestPath } from '../routing/path-guard.js'
import { pickUpstream } from '../routing/pick-upstream.js'
import { stickyKey } from '../routing/sticky-key.js'
import { classifyUpstreamError } from '../upstream/classify-error.js'
import type { LiveRules } from '../routing/live-rules.js'
import { sendError } from './send-error.js'
import { forwardHeaderList, type BodyHeaders } from '../upstream/forward-headers.js'
import { BodyLimit } from './body-limit.js'
import { readBody } from './read-body.js'
import type { Forwarder } from './forwarder.js'
import type { ExchangeState, ShadowHook } from './exchange.js'
import { refuseRequestHead } from './request-head.js'
import { continueIfExpected } from './expect-continue.js'
import { transformFor } from '../transforms/compiled-transform.js'
import type { RouteConfig } from '../config/types.js'

export const DEFAULT_ROUTE = '(default)'

export interface ProxyHandlerContext {
  readonly live: LiveRules
  readonly forwarder: Forwarder
  /** set when shadowing is wired; null forwards only */
  readonly shadow: ShadowHook | null
}

/** Scratch for forwardHeaderList's body findings, read at once (the handler never yields before). */
const BODY: BodyHeaders = { contentLength: undefined, chunked: false, hosts: 0 }

/**
 * The proxy's one request handler: check the path, match a route on the
 * table snapshot, pick the serving upstream, forward (Forwarder: undici
 * straight to the client's response, with fallback where allowed), and hand
 * the exchange to the shadow hook. The client's answer never waits for the
 * shadow. fastify routes the request and parses nothing; the response is
 * written by the proxy itself (reply.hijack()).
 *
 * Hot path: a request without a body to buffer is handled synchronously (no
 * promise, no thenable reply for fastify to resolve).
 */
export function createProxyHandler (ctx: ProxyHandlerContext) {
  const forwarder = ctx.forwarder

  return function proxyHandler (request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
    const raw = request.raw
    const started = performance.now()
    const refused = refuseRequestHead(raw)
    if (refused !== null) {
      sendError(reply, refused.code, refused.message, null)
      return undefined
    }
    const checked = checkRequestPath(raw.url ?? '/')
    if (!checked.ok) {
      sendError(reply, 'PATH_REJECTED', checked.reason, null)
      return undefined
    }
    reply.hijack()
    const table = ctx.live.table
    const rules = table.rules
    const method = raw.method ?? 'GET'
    const route = table.match(method, checked.path, raw.rawHeaders, checked.query)
    const routeName = route === null ? DEFAULT_ROUTE : route.name
    if (checked.encoded !== null && (route === null || !route.allowEncodedPaths)) {
      sendError(reply, 'PATH_REJECTED', `${checked.encoded}; a route with allowEncodedPaths: true forwards it`, route?.name ?? null)
      return undefined
    }

    const headers = forwardHeaderList(raw.rawHeaders, request.ip, request.protocol, method !== 'GET' && method !== 'HEAD', BODY)
    if (BODY.hosts !== 1 && (BODY.hosts > 1 || raw.httpVersionMinor === 1)) {
      sendError(reply, 'HOST_INVALID', BODY.hosts > 1 ? 'the request has more than one Host header' : 'an HTTP/1.1 request needs a Host header', route?.name ?? null)
      return undefined
    }
    // request body: refuse what is declared too large (before any 100 Continue); cap what is streamed
    const declared = BODY.contentLength
    const limit = rules.limits.requestBodyBytes
    if (declared !== undefined && Number(declared) > limit) {
      sendError(reply, 'BODY_TOO_LARGE', `request body of ${declared} bytes is larger than limits.requestBody (${limit} bytes)`, route?.name ?? null)
      return undefined
    }
    let body = request.body as Readable | undefined
    if (body !== undefined) continueIfExpected(raw, reply.raw)
    if (body !== undefined && declared === undefined) {
      const capped = new BodyLimit(limit)
      body.on('error', (err) => capped.destroy(err))
      body = body.pipe(capped)
    }

    const serving = route === null
      ? rules.serve
      : pickUpstream(route.serve, route.sticky === null ? null : stickyKey(route.sticky, raw.headers))

    const fallback = route?.fallback ?? null
    const canFallback = fallback !== null && fallback.upstream !== serving && fallback.methods.includes(method)
    const st: ExchangeState = {
      request,
      reply,
      rules,
      route,
      routeName,
      method,
      path: checked.path,
      query: checked.query,
      serving,
      answeredBy: serving,
      headMs: -1,
      started,
      body: null,
      stream: null,
      headers,
      bodyDeclared: declared !== undefined ? declared !== '0' : BODY.chunked,
      relay: null,
      fallbackFrom: null,
      fallbackReason: null,
      isFallback: false,
      canFallback,
      shadowing: null,
      extraHeaders: null
    }
    request.strangler = st

    const shadowing = ctx.shadow !== null && route !== null ? ctx.shadow.begin(st) : null
    st.shadowing = shadowing
    // a body that a fallback may replay, a shadow mirror, or a transform changes, is read first
    if (body !== undefined && (canFallback || (shadowing !== null && shadowing.wantsBody) || transformsRequestBody(route, serving))) return bufferThenForward(forwarder, st, body, limit)
    if (body !== undefined) st.stream = body
    // the primary goes out first: on a busy upstream host, the client's
    // request is not queued behind its own mirror
    forwarder.forward(st, serving, false)
    if (shadowing !== null) shadowing.start(null)
    return undefined
  }
}

/** Whether the route's transform for `upstream` changes request bodies (they are then buffered, up to limits.transformBody). */
function transformsRequestBody (route: RouteConfig | null, upstream: string): boolean {
  return transformFor(route, upstream)?.request?.body != null
}

/** The slow path: buffer the request body (for a fallback or a shadow to replay it), then forward. */
async function bufferThenForward (forwarder: Forwarder, st: ExchangeState, body: Readable, limit: number): Promise<void> {
  const { reply, shadowing, serving, route } = st
  // buffered so that a fallback or a shadow can send the same bytes, or a transform change them
  let cap = shadowing !== null && shadowing.wantsBody && !st.canFallback ? shadowing.maxBodyBytes : limit
  if (!st.canFallback && transformsRequestBody(route, serving)) cap = Math.max(shadowing?.wantsBody === true ? cap : 0, st.rules.limits.transformBodyBytes)
  const read = await readBody(body, cap)
  if (read.error !== null) {
    shadowing?.cancel('primary-error')
    const c = classifyUpstreamError(read.error, serving)
    sendError(reply, c.code, c.code === 'BODY_TOO_LARGE' ? c.message : 'the request body could not be read', route?.name ?? null, c.code === 'BODY_TOO_LARGE' ? 413 : 400)
    return
  }
  if (read.complete) {
    st.body = read.buffer
  } else {
    // over the shadow's cap: the primary streams the whole body, no mirror
    shadowing?.cancel('too-large')
    st.stream = read.rest
    st.shadowing = null
    st.canFallback = false
    forwarder.forward(st, serving, false)
    return
  }
  let mirror = false
  if (shadowing !== null) {
    if (read.buffer.length > shadowing.maxBodyBytes) {
      // buffered whole for a fallback replay, but too large to mirror
      shadowing.cancel('too-large')
      st.shadowing = null
    } else {
      mirror = true
    }
  }
  forwarder.forward(st, serving, false)
  if (mirror) shadowing!.start(st.body)
}

