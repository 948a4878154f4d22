import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import type { ProxyMetrics } from '../metrics/metrics.js'
import type { LiveRules } from '../routing/live-rules.js'
import type { Reload } from './reload.js'
import { describeRoutes } from './describe-routes.js'
import type { RouteParity } from '../record/parity-tracker.js'
import { checkAdminRequest } from './admin-guard.js'
import { sendAdminError } from './admin-error.js'
import { describeHealth } from './describe-health.js'
import { AuditReader } from './audit-reader.js'
import type { AuditEntry } from '../store/audit-entry.js'

export interface AdminServerOptions {
  readonly live: LiveRules
  readonly metrics: ProxyMetrics
  readonly reloader: Reload
  readonly logger: Logger
  /** live parity per route name since start, when shadowing is on */
  readonly parity?: (route: string) => RouteParity | null
  /** noise paths per route name, when calibration runs */
  readonly noise?: (route: string) => readonly string[]
  /** the address it will be bound to (Host headers naming it are its own); default 127.0.0.1 */
  readonly host?: string
  /** when set, every request needs `Authorization: Bearer <token>` */
  readonly token?: string | null
  /** the audit log of the store the proxy writes to (Store.readAudit), read when /routes is asked: each route's last flip */
  readonly audit?: () => AsyncIterable<AuditEntry>
}

const BODY_LIMIT = 64 * 1024
const ENDPOINTS = 'GET /healthz, GET /routes, GET /metrics, POST /reload'

/**
 * The admin listener: /healthz, /routes, /metrics, POST /reload. Every
 * request passes checkAdminRequest first (Host, Origin, token, JSON writes);
 * refusals, unknown endpoints and unreadable requests answer the proxy's
 * error JSON.
 */
export async function createAdminServer (opts: AdminServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: opts.logger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: BODY_LIMIT })
  const guard = {
    boundHost: opts.host ?? '127.0.0.1',
    port: () => (app.server.address() as AddressInfo | null)?.port ?? 0,
    token: opts.token ?? null
  }
  app.addHook('onRequest', async (req, reply) => {
    const refusal = checkAdminRequest(req.raw.method ?? 'GET', req.headers, guard)
    if (refusal !== null) {
      opts.logger.warn({ admin: refusal.code, method: req.raw.method, url: req.raw.url, host: req.headers.host, origin: req.headers.origin }, 'admin request refused')
      return sendAdminError(reply, refusal.code, refusal.message)
    }
  })
  // a write's JSON body (if any) is read and ignored: no endpoint takes parameters
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, _body, done) => { done(null, null) })
  app.setNotFoundHandler(async (req, reply) => sendAdminError(reply, 'ADMIN_NOT_FOUND', `${req.raw.method ?? ''} ${req.raw.url ?? ''} is not an admin endpoint; there are ${ENDPOINTS}`))
  app.setErrorHandler(async (err: { statusCode?: number; message: string }, _req, reply) => {
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return sendAdminError(reply, 'ADMIN_BAD_REQUEST', err.message)
    opts.logger.error({ err }, 'admin request failed')
    return sendAdminError(reply, 'PROXY_INTERNAL', 'the admin listener failed to answer; see the log')
  })

  app.get('/healthz', async () => describeHealth(opts.live, opts.reloader.last))
  const audit = opts.audit === undefined ? null : new AuditReader(opts.audit, opts.logger)
  app.get('/routes', async () => {
    // the rules and the flips as of the request: a reload while the log is read does not mix two files' routes
    const rules = opts.live.table.rules
    return describeRoutes(rules, opts.parity ?? (() => null), opts.noise, audit === null ? undefined : await audit.lastFlips())
  })
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', opts.metrics.registry.contentType)
    return await opts.metrics.text()
  })
  app.post('/reload', async (_req, reply) => {
    const result = await opts.reloader.reload('admin')
    if (result.ok) return { ok: true, routes: result.routes, warnings: result.warnings, ...(result.unchanged === true ? { unchanged: true } : {}) }
    reply.code(422)
    return { ok: false, errors: result.errors, ...(result.unchanged === true ? { unchanged: true } : {}) }
  })
  return app as unknown as FastifyInstance
}
