import http from 'node:http'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { LimitsConfig } from '../config/types.js'
import type { ProxyMetrics } from '../metrics/metrics.js'
import type { UpstreamPools } from '../upstream/upstream-pools.js'
import type { LiveRules } from '../routing/live-rules.js'
import { createProxyHandler, DEFAULT_ROUTE } from './proxy-handler.js'
import { Forwarder } from './forwarder.js'
import type { ShadowHook } from './exchange.js'
import { sendError, writeRawError } from './send-error.js'
import { logUrl } from './log-url.js'
import { AccessLog } from '../metrics/access-log.js'
import { ClientTimeouts } from './client-timeouts.js'
import { createClientErrorHandler } from './client-error-handler.js'
import { checkContinue } from './expect-continue.js'
import { MAX_HEADER_FIELDS } from './request-head.js'
import { UpgradeProxy } from './upgrade-proxy.js'
import { startDraining } from './draining.js'
import { TransformFailures } from '../transforms/transform-failures.js'
import type { ServedRollups } from './served-rollups.js'

export interface ProxyServerOptions {
  readonly live: LiveRules
  readonly pools: UpstreamPools
  readonly metrics: ProxyMetrics
  readonly logger: Logger
  readonly shadow?: ShadowHook | null
  /** where transforms that could not apply are counted and logged (shared with the mirrors) */
  readonly transformFailures?: TransformFailures
  /** where each answered request is counted for the store's rollups; null or absent: not counted */
  readonly rollups?: ServedRollups | null
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']
const ALLOW = METHODS.join(', ')

/**
 * How often Node looks for connections past limits.headersTimeout: every
 * second, or a quarter of a shorter limit; set when the server is created
 * (a reload changes the limit, not this interval).
 */
function checkingInterval (headersTimeoutMs: number): number {
  return Math.max(25, Math.min(1000, Math.floor(headersTimeoutMs / 4)))
}

/** The client-facing timeouts of the rules, on a running server (at start and on every reload). */
function applyLimits (server: http.Server, limits: LimitsConfig): void {
  server.headersTimeout = limits.headersTimeoutMs
  server.keepAliveTimeout = limits.keepAliveTimeoutMs
}

/**
 * The client-facing fastify app: one catch-all route, forwarded over our
 * undici pools. Its http server is our own (serverFactory), with Node's own
 * timers bounding a client: limits.headersTimeout for a request's headers
 * (counted and logged by ClientTimeouts), limits.keepAliveTimeout for an
 * idle connection, none for a body (an upload may be slow; the upstream's
 * timeout bounds the exchange). It also answers, with the proxy's JSON
 * errors, what never reaches the handler: unparsable requests, CONNECT,
 * methods it does not forward; and it tunnels Upgrade requests (UpgradeProxy).
 * On close, answers still in flight carry `Connection: close` and idle
 * keep-alive connections are closed as soon as they are idle.
 */
export async function createProxyServer (opts: ProxyServerOptions): Promise<FastifyInstance> {
  const limits = opts.live.table.rules.limits
  const timeouts = new ClientTimeouts(opts.metrics, opts.logger, () => opts.live.table.rules.limits.headersTimeoutMs)
  const access = new AccessLog(opts.logger)
  const rollups = opts.rollups ?? null
  const upgrades = new UpgradeProxy({ live: opts.live, metrics: opts.metrics, log: opts.logger, access })
  let server: http.Server | null = null
  const app = Fastify({
    loggerInstance: opts.logger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    serverFactory: (handler) => {
      const s = http.createServer({
        requestTimeout: 0,
        headersTimeout: limits.headersTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        connectionsCheckingInterval: checkingInterval(limits.headersTimeoutMs),
        // a missing or doubled Host is answered by the handler, with the proxy's error
        requireHostHeader: false
      }, handler)
      // one more than allowed: a request over the limit is seen whole enough to refuse
      s.maxHeadersCount = MAX_HEADER_FIELDS + 1
      s.on('checkContinue', checkContinue(handler))
      s.on('upgrade', upgrades.handle)
      s.on('connect', (_req: http.IncomingMessage, socket) => {
        writeRawError(socket, 'METHOD_NOT_ALLOWED', 'CONNECT is not forwarded: strangler is a reverse proxy', null, { lingerMs: 1000 }, `allow: ${ALLOW}\r\n`)
      })
      server = s
      return s
    },
    clientErrorHandler: createClientErrorHandler(timeouts, opts.logger),
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

  const forwarder = new Forwarder(opts.pools, opts.metrics, opts.logger, opts.transformFailures ?? new TransformFailures(opts.metrics, opts.logger))
  const handler = createProxyHandler({ live: opts.live, forwarder, shadow: opts.shadow ?? null })
  app.route({ method: METHODS, url: '/*', handler, exposeHeadRoute: false })
  app.route({ method: METHODS, url: '/', handler, exposeHeadRoute: false })
  // every path is routed above: what is left is a method strangler does not
  // forward (TRACE, PROPFIND, ...), or a target that is not a path (`*`, an absolute URL)
  app.setNotFoundHandler((request, reply) => {
    const method = request.raw.method ?? ''
    if (METHODS.includes(method)) {
      sendError(reply, 'PATH_REJECTED', 'the request target must be a path starting with /', null)
      return
    }
    const why = method === 'TRACE' ? 'TRACE is not forwarded (it would echo the request, credentials included, back)' : `${method} is not forwarded`
    sendError(reply, 'METHOD_NOT_ALLOWED', why, null, undefined, { allow: ALLOW })
  })

  const httpServer = server as http.Server | null
  if (httpServer === null) throw new Error('the proxy server was not created')
  opts.live.onSwap((next) => { applyLimits(httpServer, next.rules.limits) })
  app.addHook('preClose', (done) => {
    // answers from now on close their connection; idle keep-alive connections
    // close now and as soon as each in-flight answer is done; tunnels close
    startDraining(httpServer)
    upgrades.closeAll()
    timeouts.close()
    const sweep = setInterval(() => { httpServer.closeIdleConnections() }, 25)
    sweep.unref()
    httpServer.once('close', () => { clearInterval(sweep) })
    done()
  })

  app.addHook('onResponse', (request, reply, done) => {
    const st = request.strangler
    const status = reply.statusCode
    const routeName = st?.routeName ?? DEFAULT_ROUTE
    const upstream = st?.answeredBy ?? '-'
    opts.metrics.request(routeName, upstream, status)
    // refused before an upstream was chosen (no exchange), or the client left before any answer: not in rollups
    if (rollups !== null && st !== null && reply.raw.headersSent) rollups.served(routeName, upstream, status, st.headMs)
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
