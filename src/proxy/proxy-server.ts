import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { ProxyMetrics } from '../metrics/metrics.js'
import type { UpstreamPools } from '../upstream/upstream-pools.js'
import type { LiveRules } from '../routing/live-rules.js'
import { createProxyHandler, DEFAULT_ROUTE } from './proxy-handler.js'
import { Forwarder } from './forwarder.js'
import type { ShadowHook } from './exchange.js'
import { sendError } from './send-error.js'
import { logUrl } from './log-url.js'
import { AccessLog } from '../metrics/access-log.js'

export interface ProxyServerOptions {
  readonly live: LiveRules
  readonly pools: UpstreamPools
  readonly metrics: ProxyMetrics
  readonly logger: Logger
  readonly shadow?: ShadowHook | null
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']

/** The client-facing fastify app: one catch-all route, forwarded over our undici pools. */
export async function createProxyServer (opts: ProxyServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    keepAliveTimeout: 65_000,
    requestTimeout: 0,
    routerOptions: { maxParamLength: 65_536, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false },
    // no child logger per request: request.log is the proxy's logger, and the
    // access line names the request itself (method, url, route, upstream)
    childLoggerFactory: (logger) => logger,
    frameworkErrors: (err, req, reply) => {
      // a URL the router cannot even parse never reaches an upstream
      sendError(reply, 'PATH_REJECTED', `the request URL cannot be parsed: ${err.message}`, null, 400)
    }
  })
  app.decorateRequest('strangler', null)
  app.removeAllContentTypeParsers()
  // bodies stream through untouched: no parsing, no buffering
  app.addContentTypeParser('*', (_req, payload, done) => { done(null, payload) })

  const forwarder = new Forwarder(opts.pools, opts.metrics, opts.logger)
  const handler = createProxyHandler({ live: opts.live, forwarder, shadow: opts.shadow ?? null })
  app.route({ method: METHODS, url: '/*', handler, exposeHeadRoute: false })
  app.route({ method: METHODS, url: '/', handler, exposeHeadRoute: false })

  const access = new AccessLog(opts.logger)
  app.addHook('onResponse', (request, reply, done) => {
    const st = request.strangler
    const status = reply.statusCode
    const routeName = st?.routeName ?? DEFAULT_ROUTE
    const upstream = st?.answeredBy ?? '-'
    opts.metrics.request(routeName, upstream, status)
    if (access.enabled) {
      access.write({
        method: request.raw.method ?? '',
        url: logUrl(request.raw.url, st, opts.live.table.rules) ?? '',
        route: routeName,
        upstream,
        status,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        fallbackFrom: st?.fallbackFrom ?? null,
        fallbackReason: st?.fallbackReason ?? null
      })
    }
    done()
  })
  app.setErrorHandler((err, request, reply) => {
    request.log.error({ err }, 'unexpected error')
    if (!reply.sent) sendError(reply, 'PROXY_INTERNAL', 'unexpected error in the proxy', request.strangler?.route?.name ?? null, 500)
  })
  return app as unknown as FastifyInstance
}
