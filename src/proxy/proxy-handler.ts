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

/**
 * The proxy's one request handler: check the path, match a route on the
 * table snapshot, pick the serving upstream, forward through reply-from,
 * fall back on failure where allowed, and hand the exchange to the shadow
 * hook. The client's answer never waits for the shadow.
 */
export function createProxyHandler (ctx: ProxyHandlerContext) {
  return async function proxyHandler (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const raw = request.raw
    const started = performance.now()
    const checked = checkRequestPath(raw.url ?? '/')
    if (!checked.ok) {
      sendError(reply, 'PATH_REJECTED', checked.reason, null)
      return reply
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
      return reply
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
      headersAt: 0,
      body: null,
      fallbackFrom: null,
      fallbackReason: null
    }
    request.strangler = st

    const fallback = route?.fallback ?? null
    const canFallback = fallback !== null && fallback.upstream !== serving && fallback.methods.includes(method)

    const shadowing = ctx.shadow !== null && route !== null ? ctx.shadow.begin(st) : null
    const needBuffer = body !== undefined && ((canFallback && !IDEMPOTENT_NO_BODY.has(method)) || (shadowing !== null && shadowing.wantsBody))
    if (needBuffer && body !== undefined) {
      // buffered so that a fallback or a shadow can send the same bytes
      const cap = shadowing !== null && shadowing.wantsBody && !canFallback ? shadowing.maxBodyBytes : limit
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
        forward(ctx, st, serving, false, canFallback, null)
        return reply
      }
    } else if (body !== undefined) {
      request.body = body
    }
    if (shadowing !== null) shadowing.start(st.body)
    forward(ctx, st, serving, false, canFallback, shadowing)
    return reply
  }
}

function forward (ctx: ProxyHandlerContext, st: ExchangeState, upstreamName: string, isFallback: boolean, canFallback: boolean, shadowing: ReturnType<ShadowHook['begin']>): void {
  const rules: Rules = st.rules
  const upstream = rules.upstreams[upstreamName]!
  const route: RouteConfig | null = st.route
  const target = upstream.origin + upstream.basePath + rewritePath(route, st.path)
  const reply = st.reply
  const raw = st.request.raw
  st.answeredBy = upstreamName

  const retry = (reason: string): boolean => {
    if (isFallback || !canFallback || route === null || route.fallback === null) return false
    if (st.reply.raw.destroyed) return false
    st.fallbackFrom = upstreamName
    st.fallbackReason = reason
    ctx.metrics.fallback(route.name, upstreamName, route.fallback.upstream, reason)
    forward(ctx, st, route.fallback.upstream, true, false, shadowing)
    return true
  }

  const options: Parameters<FastifyReply['from']>[1] = {
    timeout: upstream.timeoutMs,
    retryDelay: () => null,
    rewriteRequestHeaders: (req, headers) => forwardHeaders(headers, raw.headers, req.ip, req.protocol) as typeof headers,
    rewriteHeaders: (headers) => responseHeaders(headers) as typeof headers,
    onResponse: (_req, rep, res) => {
      st.headersAt = performance.now()
      ctx.metrics.upstreamLatency(st.routeName, upstreamName, (st.headersAt - st.started) / 1000)
      const upstreamRes = res as unknown as UpstreamResponse
      if (upstreamRes.statusCode >= 500 && canFallback && !isFallback) {
        for (const name of Object.keys(upstreamRes.headers)) rep.removeHeader(name)
        discard(upstreamRes.stream)
        if (retry(`status-${upstreamRes.statusCode}`)) return
      }
      if (shadowing !== null) {
        rep.send(shadowing.primaryResponse(upstreamName, upstreamRes))
      } else {
        rep.send(upstreamRes.stream)
      }
    },
    onError: (rep, { error }) => {
      const c = classifyUpstreamError(error, upstreamName)
      if (c.code !== 'BODY_TOO_LARGE' && retry(c.code === 'UPSTREAM_TIMEOUT' ? 'timeout' : 'error')) return
      shadowing?.primaryFailed(upstreamName, c.code)
      if (c.code !== 'BODY_TOO_LARGE') st.request.log.warn({ route: st.routeName, upstream: upstreamName, err: error.cause ?? error }, c.message)
      sendError(rep as FastifyReply, c.code, c.message, route?.name ?? null)
    }
  }
  if (st.body !== null && st.method !== 'GET' && st.method !== 'HEAD') {
    options.body = st.body
    options.contentType = String(raw.headers['content-type'] ?? 'application/octet-stream')
  }
  try {
    reply.from(target, options)
  } catch (err) {
    shadowing?.primaryFailed(upstreamName, 'PATH_REJECTED')
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
