import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { ProxyMetrics } from '../metrics/metrics.js'
import type { LiveRules } from '../routing/live-rules.js'
import type { Reload } from './reload.js'
import { describeRoutes } from './describe-routes.js'
import type { RouteParity } from '../record/parity-tracker.js'

export interface AdminServerOptions {
  readonly live: LiveRules
  readonly metrics: ProxyMetrics
  readonly reloader: Reload
  readonly logger: Logger
  /** live parity per route name since start, when shadowing is on */
  readonly parity?: (route: string) => RouteParity | null
  /** noise paths per route name, when calibration runs */
  readonly noise?: (route: string) => readonly string[]
}

/** The admin listener: /healthz, /routes, /metrics, POST /reload. */
export async function createAdminServer (opts: AdminServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: opts.logger, logController: new LogController({ disableRequestLogging: true }) })
  app.get('/healthz', async () => ({
    status: 'ok',
    rules: opts.live.table.rules.source,
    routes: opts.live.table.rules.routes.length,
    loadedAt: opts.live.loadedAt.toISOString()
  }))
  app.get('/routes', async () => describeRoutes(opts.live.table.rules, opts.parity ?? (() => null), opts.noise))
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', opts.metrics.registry.contentType)
    return await opts.metrics.text()
  })
  app.post('/reload', async (_req, reply) => {
    const result = await opts.reloader.reload('admin')
    if (result.ok) return { ok: true, routes: result.routes, warnings: result.warnings }
    reply.code(422)
    return { ok: false, errors: result.errors }
  })
  return app as unknown as FastifyInstance
}
