import type { Logger } from 'pino'
import { redactUrl } from '../store/redact-url.js'
import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { loadRulesText } from '../config/load.js'
import { formatProblem } from '../config/format-problem.js'
import type { Rules } from '../config/types.js'
import { StranglerError } from '../errors.js'
import { ProxyMetrics } from '../metrics/metrics.js'
import { createAdminServer } from '../admin/admin-server.js'
import { UpstreamPools } from '../upstream/upstream-pools.js'
import { LiveRules } from '../routing/live-rules.js'
import { createProxyServer } from '../proxy/proxy-server.js'
import { createBufferedLogger } from './buffered-logger.js'
import { RulesReloader } from './rules-reloader.js'
import { readRulesSource } from './read-rules-source.js'
import { openStore } from '../store/open-store.js'
import type { Store } from '../store/store.js'
import { DEFAULT_STORE_DIR } from '../store/store.js'
import { ComparePool } from '../compare/pool/compare-pool.js'
import { ParityTracker } from '../record/parity-tracker.js'
import { PairRecorder, type ContractCheck } from '../record/pair-recorder.js'
import { ShadowCoordinator } from '../shadow/shadow-coordinator.js'
import { TransformFailures } from '../transforms/transform-failures.js'
import { mirrorTransformsOf } from '../transforms/mirror-transforms-of.js'
import { Correlation } from '../shadow/correlation.js'
import type { SharedCorrelation } from '../shadow/shared-correlation.js'
import { parseRedisUrl } from '../shadow/redis-url.js'
import { NoisePaths } from '../record/noise-paths.js'
import { PairKeeper } from '../record/pair-keeper.js'
import { ServedRollups } from '../proxy/served-rollups.js'

/** Learned correlation shared across a fleet through Redis (`serve --correlation`). */
export interface SharedCorrelationOptions {
  /** redis://[user:password@]host[:port][/db] (or rediss://) */
  readonly url: string
  /** key prefix, default `strangler:corr:` */
  readonly prefix?: string
  /** seconds a pair lives in Redis, default 3600 */
  readonly ttlSeconds?: number
}

export interface StartProxyOptions {
  readonly rulesFile: string
  readonly port?: number
  readonly host?: string
  /** admin listener port; undefined = off */
  readonly adminPort?: number
  readonly adminHost?: string
  /** when set, every admin request needs `Authorization: Bearer <token>` (serve --admin-token, STRANGLER_ADMIN_TOKEN) */
  readonly adminToken?: string
  readonly logLevel?: string
  /** a logger to use instead of one built from logLevel (tests, demo) */
  readonly logger?: Logger
  /** watch the rules file for changes (default true) */
  readonly watch?: boolean
  /** how long shutdown waits for in-flight requests before closing sockets */
  readonly drainTimeoutMs?: number
  /** where diff records go, as --store gives it (default .strangler/diffs) */
  readonly storeDir?: string
  /** OpenAPI spec for contract checks of shadowed routes */
  readonly specFile?: string
  /** a store to use instead of opening storeDir (tests, embedding) */
  readonly store?: Store
  /** contract checks of both responses (built from specFile by the caller) */
  readonly contract?: ContractCheck | null
  /** how often rollups of served requests go to the store (default 10 s) */
  readonly rollupIntervalMs?: number
  /** the rollups' clock, epoch ms (tests inject one; default Date.now) */
  readonly clock?: () => number
  /** share learned correlation pairs with other proxies through Redis */
  readonly correlation?: SharedCorrelationOptions
}

export interface RunningProxy {
  readonly url: string
  readonly port: number
  readonly adminUrl: string | null
  readonly live: LiveRules
  readonly metrics: ProxyMetrics
  readonly reloader: RulesReloader
  readonly logger: Logger
  readonly store: Store
  readonly shadow: ShadowCoordinator
  readonly parity: ParityTracker
  /** learned correlation pairs of this process */
  readonly correlation: Correlation
  /** the fleet's learned pairs (serve --correlation), or null */
  readonly sharedCorrelation: SharedCorrelation | null
  /** noise paths calibration found, per route */
  readonly noise: NoisePaths
  /** served requests by route and upstream, written to the store every interval and on close */
  readonly rollups: ServedRollups
  /** resolves once every mirror in flight has settled and its record is in the store buffer */
  settled (): Promise<void>
  /** stop accepting, drain in-flight requests (bounded), flush, close */
  close (): Promise<void>
}

/**
 * Load the rules (refusing to start on any error), check that the store can
 * be written, then start the admin listener, if asked, and the proxy. When
 * any step fails, everything already started is closed again before the
 * error is thrown: nothing is left listening.
 */
export async function startProxy (opts: StartProxyOptions): Promise<RunningProxy> {
  if (opts.adminPort !== undefined && opts.adminPort !== 0 && opts.adminPort === (opts.port ?? 8080)) {
    throw new StranglerError('LISTEN_FAILED', `--admin-port ${opts.adminPort} is also the proxy's --port; give the admin listener a port of its own`)
  }
  const source = await readRulesSource(opts.rulesFile)
  const loaded = source.ok ? loadRulesText(source.text, opts.rulesFile) : source.result
  if (!loaded.ok) {
    throw new StranglerError('RULES_INVALID', `invalid rules file, the proxy does not start:\n${loaded.errors.map(formatProblem).join('\n')}`)
  }
  const built = opts.logger === undefined ? createBufferedLogger(opts.logLevel ?? 'info') : null
  const logger = opts.logger ?? built!.logger
  for (const w of loaded.warnings) logger.warn(formatProblem(w))
  const rules: Rules = loaded.rules
  const metrics = new ProxyMetrics()
  let contract: ContractCheck | null = opts.contract ?? null
  if (contract === null && opts.specFile !== undefined) {
    // compiled once, before listening; a bad spec stops the start like a bad rules file
    // loaded only with --spec: ajv and the spec parser stay out of a plain proxy's memory
    const { loadContractCheck } = await import('../openapi/contract-check.js')
    const loadedSpec = await loadContractCheck(opts.specFile)
    contract = loadedSpec.check
    metrics.contractStats(() => loadedSpec.validator.stats())
    logger.info({ spec: opts.specFile, operations: loadedSpec.index.operations.length }, 'contract checks on')
  }
  const pools = new UpstreamPools()
  const live = new LiveRules(rules)
  const parity = new ParityTracker()
  parity.stages(rules.routes)
  live.onSwap((next) => {
    pools.retain(new Set(Object.values(next.rules.upstreams).map((u) => u.origin)))
    // a route that changed stage starts its live parity over
    parity.stages(next.rules.routes)
  })
  const reloader = new RulesReloader(opts.rulesFile, live, metrics, logger, {
    hash: source.ok ? source.hash : null,
    result: { ok: true, routes: rules.routes.length, warnings: loaded.warnings.map(formatProblem) }
  })

  const storeDir = opts.storeDir ?? DEFAULT_STORE_DIR
  const opened = opts.store === undefined
    ? openStore(storeDir, {
      onError: (err) => {
        metrics.storeError()
        logger.error({ err, store: redactUrl(storeDir) }, 'diff store write failed')
      }
    })
    : null
  const store: Store = opts.store ?? opened!
  metrics.storeStats(() => store.stats())
  const comparePool = new ComparePool()
  // learned correlation pairs live as long as the process (a reload that adds `correlate` starts learning)
  const correlation = new Correlation()
  metrics.correlationStats(() => correlation.stats())
  let sharedCorrelation: SharedCorrelation | null = null
  if (opts.correlation !== undefined) {
    // a bad address stops the start (USAGE); an unreachable Redis does not: the proxy goes on local-only
    const address = parseRedisUrl(opts.correlation.url)
    // loaded only with --correlation: ioredis stays out of a plain proxy's memory
    const { RedisCorrelation } = await import('../shadow/redis-correlation.js')
    const shared = new RedisCorrelation({ address, prefix: opts.correlation.prefix, ttlSeconds: opts.correlation.ttlSeconds, log: logger })
    metrics.sharedCorrelationStats(() => shared.stats())
    // the first mirrors find the fleet's pairs when Redis answers; an unreachable one delays the start at most 1 s
    if (await shared.ready(1000)) logger.info({ redis: address.shown }, 'learned correlation shared through Redis')
    else logger.warn({ redis: address.shown }, 'Redis (--correlation) not reachable yet: learned pairs stay local until it is')
    sharedCorrelation = shared
  }
  const lookup = sharedCorrelation === null
    ? correlation.lookup
    : (primary: string) => correlation.lookup(primary) ?? sharedCorrelation.lookup(primary, correlation, live.table.rules.shadow.correlationEntries)
  // noise paths found by calibration (shadow.calibrate), per route, for as long as the process lives
  const noise = new NoisePaths()
  const pairs = new PairKeeper()
  metrics.pairStats(() => pairs.counts())
  const recorder = new PairRecorder({ comparePool, store, metrics, parity, log: logger, contract, correlation: lookup, noise, pairs })
  // transforms that could not apply: counted and logged the same for served requests and mirrors
  const transformFailures = new TransformFailures(metrics, logger)
  const transforms = mirrorTransformsOf(transformFailures, () => live.table.rules.limits.transformBodyBytes)
  const shadow = new ShadowCoordinator({ pools, recorder, metrics, log: logger, correlation, sharedCorrelation, transforms })
  const settled = async (): Promise<void> => {
    while (shadow.shadowsInFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10))
    shadow.flushSkips()
    await recorder.drained()
  }

  // what each route served, from which upstream: written to the store every 10 s for `strangler rollout`
  const rollups = new ServedRollups({ store, intervalMs: opts.rollupIntervalMs, now: opts.clock })
  const app = await createProxyServer({ live, pools, metrics, logger, shadow, transformFailures, rollups })
  const host = opts.host ?? '127.0.0.1'
  let admin: FastifyInstance | null = null
  let adminUrl: string | null = null
  let port: number
  try {
    // a store that cannot be written stops the start, before anything listens
    if (opened !== null) await opened.checkWritable()
    // the admin listener first: a taken admin port never leaves a proxy serving without it
    if (opts.adminPort !== undefined) {
      const adminHost = opts.adminHost ?? '127.0.0.1'
      admin = await createAdminServer({ live, metrics, reloader, logger, parity: (route) => parity.parity(route), noise: (route) => noise.list(route), host: adminHost, token: opts.adminToken ?? null, audit: () => store.readAudit() })
      await listenOn(admin, 'admin listener', '--admin-port', opts.adminPort, adminHost)
      adminUrl = `http://${hostForUrl(adminHost)}:${(admin.server.address() as AddressInfo).port}`
    }
    await listenOn(app, 'proxy', '--port', opts.port ?? 8080, host)
    port = (app.server.address() as AddressInfo).port
    if (opts.watch !== false) await reloader.watch()
  } catch (err) {
    // close what started, in any order: nothing has been served yet
    await reloader.close().catch(() => {})
    await app.close().catch(() => {})
    if (admin !== null) await admin.close().catch(() => {})
    await comparePool.close().catch(() => {})
    if (opened !== null) await opened.close().catch(() => {})
    await pools.close().catch(() => {})
    await sharedCorrelation?.close().catch(() => {})
    built?.close()
    throw err
  }
  rollups.start()
  const url = `http://${hostForUrl(host)}:${port}`
  logger.info({ url, admin: adminUrl, rules: rules.source, routes: rules.routes.length }, 'strangler is listening')

  let closing: Promise<void> | null = null
  const close = async (): Promise<void> => {
    if (closing !== null) return await closing
    closing = (async () => {
      await reloader.close()
      const drain = opts.drainTimeoutMs ?? 10_000
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          logger.warn({ drainTimeoutMs: drain }, 'in-flight requests did not finish in time; closing their connections')
          app.server.closeAllConnections()
          resolve()
        }, drain)
        timer.unref()
      })
      await Promise.race([app.close(), timeout])
      clearTimeout(timer)
      // the last, partial interval: every request has been answered by now
      rollups.close()
      // mirrors still in flight finish within their own timeout; their records are kept
      const shadowDeadline = new Promise<void>((resolve) => setTimeout(resolve, live.table.rules.shadow.timeoutMs + 1000).unref())
      await Promise.race([settled(), shadowDeadline])
      shadow.flushSkips()
      // the last pairs learned have been handed over: quit Redis
      await sharedCorrelation?.close()
      await comparePool.close()
      await store.close()
      if (admin !== null) await admin.close()
      await pools.close()
      built?.close()
    })()
    return await closing
  }
  return { url, port, adminUrl, live, metrics, reloader, logger, store, shadow, parity, correlation, sharedCorrelation, noise, rollups, settled, close }
}

function hostForUrl (host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/** listen, or throw LISTEN_FAILED naming the listener, its flag and the address */
async function listenOn (server: FastifyInstance, what: string, flag: string, port: number, host: string): Promise<void> {
  try {
    await server.listen({ port, host })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    const why = e.code === 'EADDRINUSE'
      ? 'the port is already in use'
      : e.code === 'EACCES'
        ? 'not permitted (a port under 1024 needs privileges)'
        : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
          ? 'no such address on this machine'
          : e.message
    throw new StranglerError('LISTEN_FAILED', `the ${what} cannot listen on ${hostForUrl(host)}:${port} (${flag}): ${why}`, { cause: err })
  }
}
