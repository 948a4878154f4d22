import type { Logger } from 'pino'
import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'
import { loadRulesFile } from '../config/load.js'
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
import { openStore } from '../store/open-store.js'
import type { Store } from '../store/store.js'
import { DEFAULT_STORE_DIR } from '../store/store.js'
import { ComparePool } from '../compare/pool/compare-pool.js'
import { ParityTracker } from '../record/parity-tracker.js'
import { PairRecorder, type ContractCheck } from '../record/pair-recorder.js'
import { ShadowCoordinator } from '../shadow/shadow-coordinator.js'
import { Correlation } from '../shadow/correlation.js'
import { NoisePaths } from '../record/noise-paths.js'

export interface StartProxyOptions {
  readonly rulesFile: string
  readonly port?: number
  readonly host?: string
  /** admin listener port; undefined = off */
  readonly adminPort?: number
  readonly adminHost?: string
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
  /** noise paths calibration found, per route */
  readonly noise: NoisePaths
  /** resolves once every mirror in flight has settled and its record is in the store buffer */
  settled (): Promise<void>
  /** stop accepting, drain in-flight requests (bounded), flush, close */
  close (): Promise<void>
}

/** Load the rules (refusing to start on any error) and start the proxy and, if asked, the admin listener. */
export async function startProxy (opts: StartProxyOptions): Promise<RunningProxy> {
  const loaded = await loadRulesFile(opts.rulesFile)
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
  live.onSwap((next) => {
    pools.retain(new Set(Object.values(next.rules.upstreams).map((u) => u.origin)))
  })
  const reloader = new RulesReloader(opts.rulesFile, live, metrics, logger)

  const storeDir = opts.storeDir ?? DEFAULT_STORE_DIR
  const store: Store = opts.store ?? openStore(storeDir, {
    onError: (err) => {
      metrics.storeError()
      logger.error({ err, store: storeDir }, 'diff store write failed')
    }
  })
  const comparePool = new ComparePool()
  const parity = new ParityTracker()
  // learned correlation pairs live as long as the process (a reload that adds `correlate` starts learning)
  const correlation = new Correlation()
  metrics.correlationStats(() => correlation.stats())
  // noise paths found by calibration (shadow.calibrate), per route, for as long as the process lives
  const noise = new NoisePaths()
  const recorder = new PairRecorder({ comparePool, store, metrics, parity, log: logger, contract, correlation: correlation.lookup, noise })
  const shadow = new ShadowCoordinator({ pools, recorder, metrics, log: logger, correlation })
  const settled = async (): Promise<void> => {
    while (shadow.shadowsInFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10))
    shadow.flushSkips()
    await recorder.drained()
  }

  const app = await createProxyServer({ live, pools, metrics, logger, shadow })
  await app.listen({ port: opts.port ?? 8080, host: opts.host ?? '127.0.0.1' })
  const port = (app.server.address() as AddressInfo).port
  const host = opts.host ?? '127.0.0.1'
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  let admin: FastifyInstance | null = null
  let adminUrl: string | null = null
  if (opts.adminPort !== undefined) {
    admin = await createAdminServer({ live, metrics, reloader, logger, parity: (route) => parity.parity(route), noise: (route) => noise.list(route) })
    const adminHost = opts.adminHost ?? '127.0.0.1'
    await admin.listen({ port: opts.adminPort, host: adminHost })
    const ap = (admin.server.address() as AddressInfo).port
    adminUrl = `http://${adminHost.includes(':') ? `[${adminHost}]` : adminHost}:${ap}`
  }
  if (opts.watch !== false) await reloader.watch()
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
      // mirrors still in flight finish within their own timeout; their records are kept
      const shadowDeadline = new Promise<void>((resolve) => setTimeout(resolve, live.table.rules.shadow.timeoutMs + 1000).unref())
      await Promise.race([settled(), shadowDeadline])
      shadow.flushSkips()
      await comparePool.close()
      await store.close()
      if (admin !== null) await admin.close()
      await pools.close()
      built?.close()
    })()
    return await closing
  }
  return { url, port, adminUrl, live, metrics, reloader, logger, store, shadow, parity, correlation, noise, settled, close }
}
