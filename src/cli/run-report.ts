/**
 * `strangler report`: reads the store (streaming), aggregates, renders in the
 * asked format, prints or writes `--out`. Exit codes: 0 a report was made
 * (an empty store folder too: "no records in <dir>"; a known route with no
 * records since `--since`); 2 bad usage (unknown `--format`, a `--since`
 * that is neither a duration nor an ISO time); 1 no store there (no such
 * folder, or a file), a `--route` no record names (the known routes are
 * listed), a store that cannot be read, or an `--out` that cannot be written
 * (its folder is never created). Parity itself is never an exit code:
 * scripts gate on `--format json`.
 */
import { writeFile } from 'node:fs/promises'
import { redactUrl } from '../store/redact-url.js'
import { resolve } from 'node:path'
import type { Stage } from '../config/types.js'
import { StranglerError } from '../errors.js'
import { openStore } from '../store/open-store.js'
import { loadRulesFile } from '../config/load.js'
import { formatProblem } from '../config/format-problem.js'
import type { Rules } from '../config/types.js'
import type { DiffRecord } from '../store/record.js'
import type { StoredPair, StoredResponse } from '../store/stored-pair.js'
import { rescoreRecords, type RescoreCounts } from '../report/rescore.js'
import type { Store } from '../store/store.js'
import { aggregateRecords } from '../report/aggregate-records.js'
import type { ExampleDocuments, ParityReport, VerdictThresholds } from '../report/parity-report.js'
import { parseSince } from '../report/parse-since.js'
import { renderHtml } from '../report/render-html.js'
import { renderJson } from '../report/render-json.js'
import { renderMarkdown } from '../report/render-md.js'
import { renderText } from '../report/render-text.js'
import { REPORT_FORMATS, type ReportFormat } from '../report/report-formats.js'
import { DEFAULT_STORE_DIR } from '../store/store.js'
import { openCommandStore } from './open-command-store.js'
import type { CliIo } from './io.js'
import { storeFolderProblem } from './store-folder.js'
import { outFolderProblem } from './out-folder.js'
import { didYouMean } from '../config/suggest.js'
import { thresholdsOfGates } from '../report/gate-thresholds.js'
import { lastFlips } from '../report/last-flip.js'

export { REPORT_FORMATS, type ReportFormat, DEFAULT_STORE_DIR }

const RENDERERS: Record<ReportFormat, (r: ParityReport) => string> = {
  text: renderText,
  json: renderJson,
  md: renderMarkdown,
  html: renderHtml
}

export interface ReportOptions {
  /** store directory; default `.strangler/diffs` */
  readonly store?: string
  readonly route?: string
  /** a duration back from now (`1h`, `30m`, `7d`) or an ISO time */
  readonly since?: string
  /** text (default), json, md, html */
  readonly format?: string
  /** write the report to this file instead of stdout */
  readonly out?: string
  /** the stage of each route, when the caller loaded the rules */
  readonly stages?: ReadonlyMap<string, Stage>
  readonly thresholds?: Partial<VerdictThresholds>
  /** "now" for `--since` durations and `generatedAt` (tests) */
  readonly now?: Date
  /** re-score stored records and kept pairs under this rules file's compare settings */
  readonly rules?: string
}

/** Where the report writes: the CLI's io. */
export type ReportIo = CliIo

function isFormat (f: string): f is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(f)
}

export async function runReport (opts: ReportOptions, io: ReportIo): Promise<number> {
  const format = opts.format ?? 'text'
  if (!isFormat(format)) {
    io.stderr(`strangler report: unknown --format ${JSON.stringify(format)}; use one of ${REPORT_FORMATS.join(', ')}\n`)
    return 2
  }
  const now = opts.now ?? new Date()
  let since: Date | undefined
  if (opts.since !== undefined) {
    try {
      since = parseSince(opts.since, now)
    } catch (err) {
      if (err instanceof StranglerError) { io.stderr(`strangler report: ${err.message}\n`); return 2 }
      throw err
    }
  }
  if (opts.route !== undefined && opts.route === '') {
    io.stderr('strangler report: --route needs a route name\n')
    return 2
  }
  const dir = opts.store ?? DEFAULT_STORE_DIR

  const store = openCommandStore('report', dir, io)
  if (store === null) return 2
  const missing = await storeFolderProblem(dir)
  if (missing !== null) {
    await store.close()
    io.stderr(`strangler report: ${missing}\n`)
    return 1
  }
  if (opts.out !== undefined) {
    const problem = await outFolderProblem(opts.out)
    if (problem !== null) {
      await store.close()
      io.stderr(`strangler report: cannot write ${opts.out}: ${problem}\n`)
      return 1
    }
  }
  let rules: Rules | null = null
  if (opts.rules !== undefined) {
    const loaded = await loadRulesFile(opts.rules)
    if (!loaded.ok) {
      io.stderr(`strangler report: ${opts.rules} has errors:\n${loaded.errors.map(formatProblem).join('\n')}\n`)
      await store.close()
      return 1
    }
    rules = loaded.rules
  }
  let report: ParityReport
  try {
    let records: AsyncIterable<DiffRecord> = store.read({ route: opts.route, since })
    const tally = new Map<string, RescoreCounts>()
    if (rules !== null) {
      // kept pairs by record id: bounded by shadow.maxPairsPerMinute per route
      const pairs = new Map<string, StoredPair>()
      for await (const p of store.readPairs({ route: opts.route, since })) pairs.set(p.id, p)
      records = rescoreRecords(records, pairs, rules, tally)
    }
    const stages = opts.stages ?? (rules === null ? undefined : new Map(rules.routes.map((r) => [r.name, r.stage])))
    // with the rules, each route's verdict is judged by its gates, and the report's thresholds are the global gates
    const thresholds = rules === null ? opts.thresholds : { ...thresholdsOfGates(rules.gates), ...opts.thresholds }
    const gates = rules === null ? undefined : new Map(rules.routes.map((r) => [r.name, r.gates]))
    report = await aggregateRecords(records, { route: opts.route, since, store: dir, stages, thresholds, gates, now })
    if (rules !== null) report = { ...report, rescored: { rules: opts.rules!, routes: Object.fromEntries(tally) } }
    report = await withLastFlips(store, report, io)
    // the HTML report shows the whole answers of the examples whose pairs were kept
    if (format === 'html') report = { ...report, exampleDocuments: await exampleDocuments(store, report) }
  } catch (err) {
    io.stderr(`strangler report: cannot read the store ${redactUrl(dir)}: ${(err as Error).message}\n`)
    return 1
  } finally {
    await store.close()
  }
  const unreadable = store.stats().unreadable
  report = { ...report, totals: { ...report.totals, unreadableLines: unreadable } }
  if (unreadable > 0) io.stderr(`strangler report: skipped ${unreadable} unreadable line${unreadable === 1 ? '' : 's'} (torn or malformed) in ${redactUrl(dir)}\n`)

  if (report.totals.records === 0 && opts.route !== undefined) {
    const known = await knownRoutes(dir, opts.stages)
    if (!known.includes(opts.route)) {
      const shown = known.length > 20 ? `${known.slice(0, 20).join(', ')} and ${known.length - 20} more` : known.join(', ')
      const list = known.length === 0 ? 'the store has no records yet' : `known: ${shown}`
      io.stderr(`strangler report: no route ${JSON.stringify(opts.route)} in ${redactUrl(dir)} (${list})${didYouMean(opts.route, known)}\n`)
      return 1
    }
  }
  if (report.totals.records === 0) {
    const scope = [opts.route !== undefined ? ` for route ${opts.route}` : '', since !== undefined ? ` since ${since.toISOString()}` : ''].join('')
    const message = `no records in ${redactUrl(dir)}${scope}\n`
    if (format === 'text' && opts.out === undefined) { io.stdout(message); return 0 }
    io.stderr(message)
  }

  const body = RENDERERS[format](report)
  if (opts.out === undefined) {
    io.stdout(body)
    return 0
  }
  const out = resolve(opts.out)
  try {
    await writeFile(out, body)
  } catch (err) {
    io.stderr(`strangler report: cannot write ${opts.out}: ${(err as Error).message}\n`)
    return 1
  }
  io.stdout(`wrote ${format} report to ${opts.out} (${report.totals.routes} route${report.totals.routes === 1 ? '' : 's'}, ${report.totals.records} records)\n`)
  return 0
}

/** Each route's last entry of the store's audit log, when it has one; a log that cannot be read is told and left out. */
async function withLastFlips (store: Store, report: ParityReport, io: ReportIo): Promise<ParityReport> {
  let flips
  try {
    flips = await lastFlips(store.readAudit(), new Set(report.routes.map((r) => r.route)))
  } catch (err) {
    io.stderr(`strangler report: cannot read the audit log: ${(err as Error).message}\n`)
    return report
  }
  if (flips.size === 0) return report
  return { ...report, routes: report.routes.map((r) => ({ ...r, lastFlip: flips.get(r.route) ?? null })) }
}

/** The route names the store's records carry (any time), and those of the rules when given; sorted. */
async function knownRoutes (dir: string, stages: ReadonlyMap<string, Stage> | undefined): Promise<string[]> {
  const names = new Set<string>(stages?.keys() ?? [])
  const store = openStore(dir)
  try {
    for await (const r of store.read()) names.add(r.route)
  } finally {
    await store.close()
  }
  return [...names].sort()
}

/** The kept pairs of the report's examples, as the two answers' text, by record id. */
async function exampleDocuments (store: Store, report: ParityReport): Promise<Record<string, ExampleDocuments>> {
  const wanted = new Set<string>()
  for (const r of report.routes) for (const d of r.topDifferences) if (d.example !== null) wanted.add(d.example.id)
  const out: Record<string, ExampleDocuments> = {}
  if (wanted.size === 0) return out
  for await (const p of store.readPairs()) {
    if (!wanted.has(p.id)) continue
    out[p.id] = { primary: documentText(p.primary), shadow: documentText(p.shadow) }
    if (Object.keys(out).length === wanted.size) break
  }
  return out
}

function documentText (r: StoredResponse): string {
  const head = `${r.status}`
  if (r.body === null) return `${head}\n(no body)`
  if (r.body.encoding === 'base64') return `${head}\n(binary, base64) ${r.body.data.slice(0, 200)}`
  try {
    return `${head}\n${JSON.stringify(JSON.parse(r.body.data), null, 2)}`
  } catch {
    return `${head}\n${r.body.data}`
  }
}
