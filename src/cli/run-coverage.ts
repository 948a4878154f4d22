/**
 * `strangler coverage --rules R --spec S [--store D] [--format text|json|md]`:
 * every operation of the spec with its stage, serving route and parity.
 * Records are read from --store, else from `.strangler/diffs` when that
 * exists (without either, no parity is shown). Exit codes: 0 the report was
 * printed; 1 the rules or the spec cannot be loaded; 2 an unknown --format.
 * How much is migrated is never an exit code: scripts read `--format json`.
 */
import { existsSync } from 'node:fs'
import { redactUrl } from '../store/redact-url.js'
import { formatProblem } from '../config/format-problem.js'
import { loadRulesFile } from '../config/load.js'
import { openStore } from '../store/open-store.js'
import type { CliIo as CommandIo } from './io.js'
import { computeCoverage } from '../openapi/coverage.js'
import { loadSpec } from '../openapi/load-spec.js'
import { buildOperationsIndex } from '../openapi/operations-index.js'
import { COVERAGE_FORMATS, renderCoverage, type CoverageFormat } from '../openapi/render-coverage.js'
import { SpecError } from '../openapi/spec-error.js'
import { StranglerError } from '../errors.js'
import { DEFAULT_STORE_DIR } from '../store/store.js'

export interface CoverageOptions {
  readonly rules: string
  readonly spec: string
  /** store directory; default `.strangler/diffs` when it exists */
  readonly store?: string
  /** text (default), json, md */
  readonly format?: string
}

export async function runCoverage (opts: CoverageOptions, io: CommandIo): Promise<number> {
  const format = opts.format ?? 'text'
  if (!(COVERAGE_FORMATS as readonly string[]).includes(format)) {
    io.stderr(`strangler coverage: unknown --format ${JSON.stringify(format)}; use one of ${COVERAGE_FORMATS.join(', ')}\n`)
    return 2
  }
  const loaded = await loadRulesFile(opts.rules)
  if (!loaded.ok) {
    io.stderr(`strangler coverage: ${opts.rules} has errors:\n`)
    for (const p of loaded.errors) io.stderr(formatProblem(p) + '\n')
    return 1
  }
  let index
  try {
    index = buildOperationsIndex(await loadSpec(opts.spec))
  } catch (err) {
    if (err instanceof SpecError) {
      io.stderr(`strangler coverage: ${err.code} ${err.message}\n`)
      return 1
    }
    throw err
  }
  const location = opts.store ?? (existsSync(DEFAULT_STORE_DIR) ? DEFAULT_STORE_DIR : undefined)
  let store
  try {
    store = location === undefined ? undefined : openStore(location)
  } catch (err) {
    if (err instanceof StranglerError) { io.stderr(`strangler coverage: ${err.message}\n`); return 2 }
    throw err
  }
  try {
    const report = await computeCoverage(loaded.rules, index, store?.read())
    io.stdout(renderCoverage(report, format as CoverageFormat))
  } finally {
    await store?.close()
  }
  const skippedLines = store?.stats().unreadable ?? 0
  if (skippedLines > 0) io.stderr(`strangler coverage: ${skippedLines} unreadable line${skippedLines === 1 ? '' : 's'} in ${redactUrl(location ?? '')} skipped\n`)
  return 0
}
