/**
 * `strangler status --rules FILE [--store S] [--spec OPENAPI] [--format
 * text|json|md|html] [--out FILE]`: the status board (promote/status-board.ts)
 * of every route of FILE, from the store's records over each route's gates'
 * window and its audit log. Exit codes: 0 the board was made (status is a
 * view: no parity is ever an exit code; a store folder that does not exist
 * yet is said on stderr and shows no evidence); 1 the rules file is invalid
 * (every problem printed, as `check` does), the spec does not load, the
 * store is a file or cannot be read, or `--out` cannot be written; 2 bad
 * usage (an unknown --format, a --store form it cannot open).
 */
import { loadCommandRules } from './load-command-rules.js'
import { stat, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Rules, Stage } from '../config/types.js'
import { computeCoverage } from '../openapi/coverage.js'
import { loadSpec } from '../openapi/load-spec.js'
import { buildOperationsIndex } from '../openapi/operations-index.js'
import { SpecError } from '../openapi/spec-error.js'
import { readRouteEvidence } from '../promote/route-evidence.js'
import { statusBoard, type StatusBoard } from '../promote/status-board.js'
import { STATUS_FORMATS, type StatusFormat } from '../promote/status-formats.js'
import { renderStatusHtml } from '../promote/render-status-html.js'
import { renderStatusJson } from '../promote/render-status-json.js'
import { renderStatusMarkdown } from '../promote/render-status-md.js'
import { renderStatusText } from '../promote/render-status-text.js'
import { lastFlips } from '../report/last-flip.js'
import { DEFAULT_STORE_DIR } from '../store/store.js'
import type { CliIo } from './io.js'
import { openCommandStore } from './open-command-store.js'
import { outFolderProblem } from './out-folder.js'
import { storeFolderProblem } from './store-folder.js'
import { isDatabaseUrl } from '../store/open-store.js'

const RENDERERS: Record<StatusFormat, (b: StatusBoard) => string> = {
  text: renderStatusText,
  json: renderStatusJson,
  md: renderStatusMarkdown,
  html: renderStatusHtml
}

export interface StatusOptions {
  readonly rules: string
  /** the store; default `.strangler/diffs` (then left out of the commands the board proposes) */
  readonly store?: string
  /** an OpenAPI spec: the headline adds the migrated share of its operations */
  readonly spec?: string
  /** text (default), json, md, html */
  readonly format?: string
  /** write the board to this file instead of stdout (its folder must exist) */
  readonly out?: string
  /** "now" for the windows and `generatedAt` (tests) */
  readonly now?: Date
}

/** Whether the store folder does not exist (yet). */
async function absent (location: string): Promise<boolean> {
  if (isDatabaseUrl(location)) return false
  const dir = location.toLowerCase().startsWith('file://') ? fileURLToPath(location) : location
  try {
    await stat(dir)
    return false
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOENT' || code === 'ENOTDIR'
  }
}

function isFormat (f: string): f is StatusFormat {
  return (STATUS_FORMATS as readonly string[]).includes(f)
}

/** Operations by the stage of the route serving each (coverage.ts), or an error message. */
async function operationsByStage (rules: Rules, spec: string): Promise<Readonly<Record<Stage, number>> | string> {
  try {
    const coverage = await computeCoverage(rules, buildOperationsIndex(await loadSpec(spec)))
    return coverage.totals.byStage
  } catch (err) {
    if (err instanceof SpecError) return `${err.code} ${err.message}`
    throw err
  }
}

export async function runStatus (opts: StatusOptions, io: CliIo): Promise<number> {
  const format = opts.format ?? 'text'
  if (!isFormat(format)) {
    io.stderr(`strangler status: unknown --format ${JSON.stringify(format)}; use one of ${STATUS_FORMATS.join(', ')}\n`)
    return 2
  }
  const rules = await loadCommandRules('status', opts.rules, io)
  if (rules === null) return 1
  if (opts.out !== undefined) {
    const problem = await outFolderProblem(opts.out)
    if (problem !== null) { io.stderr(`strangler status: cannot write ${opts.out}: ${problem}\n`); return 1 }
  }
  let operations: Readonly<Record<Stage, number>> | null = null
  if (opts.spec !== undefined) {
    const ops = await operationsByStage(rules, opts.spec)
    if (typeof ops === 'string') { io.stderr(`strangler status: ${ops}\n`); return 1 }
    operations = ops
  }
  const dir = opts.store ?? DEFAULT_STORE_DIR
  const store = openCommandStore('status', dir, io)
  if (store === null) return 2
  if (await absent(dir)) {
    // a project before its first shadowed request: the board still shows every route
    io.stderr(`strangler status: no store at ${dir} yet (serve creates it on its first record): no parity evidence\n`)
  } else {
    const problem = await storeFolderProblem(dir)
    if (problem !== null) { await store.close(); io.stderr(`strangler status: ${problem}\n`); return 1 }
  }
  const now = opts.now ?? new Date()
  let board: StatusBoard
  try {
    const { routes: evidence } = await readRouteEvidence(store, rules, now)
    const flips = await lastFlips(store.readAudit(), new Set(rules.routes.map(r => r.name)))
    board = statusBoard({ rules, evidence, flips, operations, files: { rules: opts.rules, store: opts.store ?? null }, store: dir, now })
  } catch (err) {
    io.stderr(`strangler status: cannot read the store ${dir}: ${(err as Error).message}\n`)
    return 1
  } finally {
    await store.close()
  }
  const unreadable = store.stats().unreadable
  if (unreadable > 0) io.stderr(`strangler status: skipped ${unreadable} unreadable line${unreadable === 1 ? '' : 's'} (torn or malformed) in ${dir}\n`)

  const body = RENDERERS[format](board)
  if (opts.out === undefined) { io.stdout(body); return 0 }
  try {
    await writeFile(resolve(opts.out), body)
  } catch (err) {
    io.stderr(`strangler status: cannot write ${opts.out}: ${(err as Error).message}\n`)
    return 1
  }
  io.stdout(`wrote ${format} status to ${opts.out} (${board.routes.length} route${board.routes.length === 1 ? '' : 's'})\n`)
  return 0
}
