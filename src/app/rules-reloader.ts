import { watch, type FSWatcher } from 'chokidar'
import type { Logger } from 'pino'
import { loadRulesText } from '../config/load.js'
import { formatProblem } from '../config/format-problem.js'
import type { LoadResult, RulesProblem } from '../config/types.js'
import type { ProxyMetrics } from '../metrics/metrics.js'
import type { LiveRules } from '../routing/live-rules.js'
import type { LastReload, Reload, ReloadResult } from '../admin/reload.js'
import { readRulesSource } from './read-rules-source.js'

/** What the running rules were read from: the file's hash and the result a reload of it answers. */
export interface LoadedRules {
  readonly hash: string | null
  readonly result: ReloadResult
}

/**
 * Reloads the rules file on change (chokidar; editors that save by rename
 * included), on SIGHUP and on POST /reload. A reload validates first and
 * swaps the whole route table only when the file is valid; an invalid file
 * logs every error and leaves the running rules in place. Reloads run one at
 * a time; a change during a reload triggers one more.
 *
 * A reload reads the file and compares its hash (its bytes and the values
 * of the environment variables it names) with that of the last read (at
 * start or by a reload): the same input is not validated or swapped again; such a reload answers the last result, marked `unchanged`,
 * and counts as `strangler_reloads_total{result="unchanged"}`. So one edit
 * seen by the watcher and by `POST /reload` (or SIGHUP) counts once.
 */
export class RulesReloader implements Reload {
  private readonly file: string
  private readonly live: LiveRules
  private readonly metrics: ProxyMetrics
  private readonly log: Logger
  private watcher: FSWatcher | null = null
  private running: Promise<ReloadResult> | null = null
  private again = false
  private debounce: NodeJS.Timeout | null = null
  private lastHash: string | null
  private lastResult: ReloadResult
  #last: LastReload | null = null

  /** `loaded`: what the running rules were read from at start */
  constructor (file: string, live: LiveRules, metrics: ProxyMetrics, log: Logger, loaded: LoadedRules) {
    this.file = file
    this.live = live
    this.metrics = metrics
    this.log = log
    this.lastHash = loaded.hash
    this.lastResult = loaded.result
  }

  get last (): LastReload | null {
    return this.#last
  }

  async reload (reason: string): Promise<ReloadResult> {
    if (this.running !== null) {
      this.again = true
      return await this.running
    }
    this.running = this.doReload(reason)
    try {
      return await this.running
    } finally {
      this.running = null
      if (this.again) {
        this.again = false
        void this.reload('coalesced')
      }
    }
  }

  private async doReload (reason: string): Promise<ReloadResult> {
    const source = await readRulesSource(this.file)
    if (source.ok && source.hash === this.lastHash) {
      this.metrics.reload('unchanged')
      this.log.info({ reason, file: this.file }, 'rules file unchanged since it was last read: nothing to reload')
      return { ...this.lastResult, unchanged: true }
    }
    const loaded: LoadResult = source.ok ? loadRulesText(source.text, this.file) : source.result
    const result = this.apply(loaded, reason)
    this.lastHash = source.ok ? source.hash : null
    this.lastResult = result
    this.#last = result.ok
      ? { ok: true, at: new Date(), reason, routes: result.routes, warnings: result.warnings }
      : { ok: false, at: new Date(), reason, errors: result.errors }
    return result
  }

  private apply (result: LoadResult, reason: string): ReloadResult {
    if (!result.ok) {
      this.metrics.reload('invalid')
      const errors = result.errors.map((p: RulesProblem) => formatProblem(p))
      this.log.error({ reason, file: this.file, errors }, `rules reload rejected: ${errors.length} error(s); the running rules stay in place`)
      for (const e of errors) this.log.error(e)
      return { ok: false, errors }
    }
    this.live.swap(result.rules)
    this.metrics.reload('ok')
    const warnings = result.warnings.map((p: RulesProblem) => formatProblem(p))
    for (const w of warnings) this.log.warn(w)
    this.log.info({ reason, file: this.file, routes: result.rules.routes.length }, 'rules reloaded')
    return { ok: true, routes: result.rules.routes.length, warnings }
  }

  /** Watch the file; resolves once the watcher is ready. */
  async watch (): Promise<void> {
    const w = watch(this.file, { ignoreInitial: true, atomic: true, awaitWriteFinish: false })
    this.watcher = w
    const onChange = (): void => {
      if (this.debounce !== null) clearTimeout(this.debounce)
      this.debounce = setTimeout(() => {
        this.debounce = null
        void this.reload('file-change')
      }, 75)
    }
    w.on('change', onChange)
    w.on('add', onChange)
    w.on('error', (err) => this.log.error({ err }, 'rules file watcher failed'))
    await new Promise<void>((resolve) => w.once('ready', () => resolve()))
  }

  async close (): Promise<void> {
    if (this.debounce !== null) clearTimeout(this.debounce)
    if (this.watcher !== null) await this.watcher.close()
    if (this.running !== null) await this.running.catch(() => {})
  }
}
