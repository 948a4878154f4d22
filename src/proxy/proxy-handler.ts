import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import type { RouteConfig, Rules } from '../config/types.js'
import { checkRequestPath } from '../routing/path-guard.js'
import { pickUpstream } from '../routing/pick-upstream.js'
import { stickyKey } from '../routing/sticky-key.js'
import { classifyUpstreamError } from '../upstream/classify-error.js'
import type { ProxyMetrics } from '../admin/metrics.js'
import type { LiveRules } from './live-rules.js'
import { sendError } from './send-error.js'
import { forwardHeaders, responseHeaders } from './forward-headers.js'
import { BodyLimit } from './body-limit.js'
import { readBody } from './read-body.js'
import { rewritePath } from './rewrite-path.js'
import type { ExchangeState, ShadowHook, UpstreamResponse } from './exchange.js'

export const DEFAULT_ROUTE = '(default)'

export interface ProxyHandlerContext {
  readonly live: LiveRules
  readonly metrics: ProxyMetrics
  /** set when shadowing is wired; null forwards only */
  readonly shadow: ShadowHook | null
}

/** Methods that carry no body and are safe to retry. */
const IDEMPOTENT_NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS'])

type FromOptions = NonNullable<Parameters<FastifyReply['from']>[1]>

/**
 * The proxy's one request handler: check the path, match a route on the
 * table snapshot, pick the serving upstream, forward through reply-from,
 * fall back on failure where allowed, and hand the exchange to the shadow
 * hook. The client's answer never waits for the shadow.
 *
 * Hot path: a request without a body to buffer is handled synchronously (no
 * promise, no thenable reply for fastify to resolve), and reply-from gets
 * one shared options object per upstream timeout whose callbacks find the
 * request's state on `request.strangler`: no closures per request.
 */
export function createProxyHandler (ctx: ProxyHandlerContext) {
  const forwardOptions = new ForwardOptions(ctx)

  return function proxyHandler (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> | undefined {
    const raw = request.raw
    const started = performance.now()
    const checked = checkRequestPath(raw.url ?? '/')
    if (!checked.ok) {
      sendError(reply, 'PATH_REJECTED', checked.reason, null)
      return undefined
    }
    const table = ctx.live.table
    const rules = table.rules
    const method = raw.method ?? 'GET'
    const route = table.match(method, checked.path)
    const routeName = route === null ? DEFAULT_ROUTE : route.name

    // request body: refuse what is declared too large; cap what is streamed
    const limit = rules.limits.requestBodyBytes
    const declared = raw.headers['content-length']
    if (declared !== undefined && Number(declared) > limit) {
      sendError(reply, 'BODY_TOO_LARGE', `request body of ${declared} bytes is larger than limits.requestBody (${limit} bytes)`, route?.name ?? null)
      return undefined
    }
    let body = request.body as Readable | undefined
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
      started,
      body: null,
      fallbackFrom: null,
      fallbackReason: null,
      isFallback: false,
      canFallback,
      shadowing: null
    }
    request.strangler = st

    const shadowing = ctx.shadow !== null && route !== null ? ctx.shadow.begin(st) : null
    st.shadowing = shadowing
    const needBuffer = body !== undefined && ((canFallback && !IDEMPOTENT_NO_BODY.has(method)) || (shadowing !== null && shadowing.wantsBody))
    if (needBuffer && body !== undefined) return bufferThenForward(forwardOptions, st, body, limit)
    if (body !== undefined) request.body = body
    if (shadowing !== null) shadowing.start(null)
    forward(forwardOptions, st, serving, false)
    return undefined
  }
}

/** The slow path: buffer the request body (for a fallback or a shadow to replay it), then forward. */
async function bufferThenForward (fo: ForwardOptions, st: ExchangeState, body: Readable, limit: number): Promise<FastifyReply> {
  const { request, reply, shadowing, serving, route } = st
  // buffered so that a fallback or a shadow can send the same bytes
  const cap = shadowing !== null && shadowing.wantsBody && !st.canFallback ? shadowing.maxBodyBytes : limit
  const read = await readBody(body, cap)
  if (read.error !== null) {
    shadowing?.cancel('primary-error')
    const c = classifyUpstreamError(read.error, serving)
    sendError(reply, c.code, c.code === 'BODY_TOO_LARGE' ? c.message : 'the request body could not be read', route?.name ?? null, c.code === 'BODY_TOO_LARGE' ? 413 : 400)
    return reply
  }
  if (read.complete) {
    st.body = read.buffer
  } else {
    // over the shadow's cap: the primary streams the whole body, no mirror
    shadowing?.cancel('too-large')
    request.body = read.rest
    st.shadowing = null
    forward(fo, st, serving, false)
    return reply
  }
  if (shadowing !== null) {
    if (read.buffer.length > shadowing.maxBodyBytes) {
      // buffered whole for a fallback replay, but too large to mirror
      shadowing.cancel('too-large')
      st.shadowing = null
    } else {
      shadowing.start(st.body)
    }
  }
  forward(fo, st, serving, false)
  return reply
}

/**
 * reply-from options shared by every forward with one upstream timeout. The
 * callbacks are methods of this object reading the exchange from
 * `request.strangler`; a forward with a body to replay gets its own copy
 * carrying the body.
 */
class ForwardOptions {
  private readonly ctx: ProxyHandlerContext
  private readonly byTimeout = new Map<number, FromOptions>()

  constructor (ctx: ProxyHandlerContext) {
    this.ctx = ctx
  }

  get (timeoutMs: number): FromOptions {
    let o = this.byTimeout.get(timeoutMs)
    if (o === undefined) {
      o = Object.freeze({
        timeout: timeoutMs,
        retryDelay: noRetry,
        rewriteRequestHeaders: rewriteRequestHeaders as FromOptions['rewriteRequestHeaders'],
        rewriteHeaders: rewriteResponseHeaders as FromOptions['rewriteHeaders'],
        onResponse: (req: FastifyRequest, rep: FastifyReply, res: unknown) => { this.onResponse(req, rep, res as UpstreamResponse) },
        onError: (rep: FastifyReply, e: { error: Error & { cause?: unknown } }) => { this.onError(rep, e.error) }
      }) as FromOptions
      this.byTimeout.set(timeoutMs, o)
    }
    return o
  }

  private onResponse (req: FastifyRequest, rep: FastifyReply, res: UpstreamResponse): void {
    const st = req.strangler!
    const upstreamName = st.answeredBy
    this.ctx.metrics.upstreamLatency(st.routeName, upstreamName, (performance.now() - st.started) / 1000)
    if (res.statusCode >= 500 && st.canFallback && !st.isFallback) {
      for (const name of Object.keys(res.headers)) rep.removeHeader(name)
      discard(res.stream)
      if (retry(this, st, `status-${res.statusCode}`)) return
    }
    rep.send(res.stream)
    if (st.shadowing !== null) st.shadowing.primaryResponse(upstreamName, res)
  }

  private onError (rep: FastifyReply, error: Error & { cause?: unknown }): void {
    const st = rep.request.strangler!
    const upstreamName = st.answeredBy
    const c = classifyUpstreamError(error, upstreamName)
    if (c.code !== 'BODY_TOO_LARGE' && retry(this, st, c.code === 'UPSTREAM_TIMEOUT' ? 'timeout' : 'error')) return
    st.shadowing?.primaryFailed(upstreamName, c.code)
    if (c.code !== 'BODY_TOO_LARGE') st.request.log.warn({ route: st.routeName, upstream: upstreamName, err: error.cause ?? error }, c.message)
    sendError(rep, c.code, c.message, st.route?.name ?? null)
  }

  get metrics (): ProxyMetrics { return this.ctx.metrics }
}

function noRetry (): null { return null }

function rewriteRequestHeaders (req: FastifyRequest, headers: Record<string, unknown>): Record<string, unknown> {
  return forwardHeaders(headers, req.raw.headers, req.ip, req.protocol)
}

function rewriteResponseHeaders (headers: Record<string, unknown>): Record<string, unknown> {
  return responseHeaders(headers)
}

/** Send the request to the route's fallback after a failure, when allowed; false when not. */
function retry (fo: ForwardOptions, st: ExchangeState, reason: string): boolean {
  const route = st.route
  if (st.isFallback || !st.canFallback || route === null || route.fallback === null) return false
  if (st.reply.raw.destroyed) return false
  const from = st.answeredBy
  st.fallbackFrom = from
  st.fallbackReason = reason
  fo.metrics.fallback(route.name, from, route.fallback.upstream, reason)
  forward(fo, st, route.fallback.upstream, true)
  return true
}

function forward (fo: ForwardOptions, st: ExchangeState, upstreamName: string, isFallback: boolean): void {
  const rules: Rules = st.rules
  const upstream = rules.upstreams[upstreamName]!
  const route: RouteConfig | null = st.route
  const target = upstream.origin + upstream.basePath + rewritePath(route, st.path)
  const reply = st.reply
  st.answeredBy = upstreamName
  st.isFallback = isFallback
  let options = fo.get(upstream.timeoutMs)
  if (st.body !== null && st.method !== 'GET' && st.method !== 'HEAD') {
    options = { ...options, body: st.body, contentType: String(st.request.raw.headers['content-type'] ?? 'application/octet-stream') }
  }
  try {
    reply.from(target, options)
  } catch (err) {
    st.shadowing?.primaryFailed(upstreamName, 'PATH_REJECTED')
    sendError(reply, 'PATH_REJECTED', (err as Error).message, route?.name ?? null)
  }
}

function discard (stream: Readable): void {
  const dumpable = stream as Readable & { dump?: (opts?: { limit: number }) => Promise<void> }
  if (typeof dumpable.dump === 'function') {
    dumpable.dump({ limit: 64 * 1024 }).catch(() => {})
  } else {
    stream.destroy()
  }
}
