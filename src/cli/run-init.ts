/**
 * `strangler init --spec S --legacy URL [--out F] [--force]`: a starter rules
 * file, one `serve: legacy` route per operation. Without --out the YAML goes
 * to stdout. An existing --out file is never overwritten unless `force`
 * (exit 1), and the file is created exclusively (no race with another writer).
 * Exit codes: 0 written; 1 the spec cannot be read, is invalid or has a refused
 * $ref, or --out exists or cannot be written; 2 bad usage (--legacy not an
 * http(s) url).
 */
import { writeFile } from 'node:fs/promises'
import { formatProblem } from '../config/format-problem.js'
import { loadRulesText } from '../config/load.js'
import { buildOperationsIndex } from '../openapi/operations-index.js'
import { loadSpec } from '../openapi/load-spec.js'
import { legacyUpstreamUrl, renderStarterRules } from '../openapi/init-rules.js'
import { SpecError } from '../openapi/spec-error.js'
import type { CliIo as CommandIo } from './io.js'

export interface InitOptions {
  readonly spec: string
  readonly legacy: string
  readonly out?: string
  /** overwrite an existing --out file */
  readonly force?: boolean
  /** the new service's spec and url: paired operations are shadowed to it, with transforms where it differs */
  readonly newSpec?: string
  readonly new?: string
  /** its upstream name (default `new`) */
  readonly newName?: string
}

export async function runInit (opts: InitOptions, io: CommandIo): Promise<number> {
  if (!isHttpUrl(opts.legacy)) {
    io.stderr(`strangler init: --legacy must be an http:// or https:// url, got ${JSON.stringify(opts.legacy)}\n`)
    return 2
  }
  if ((opts.newSpec === undefined) !== (opts.new === undefined)) {
    io.stderr('strangler init: --new-spec and --new go together: the new service\'s spec and its url\n')
    return 2
  }
  if (opts.new !== undefined && !isHttpUrl(opts.new)) {
    io.stderr(`strangler init: --new must be an http:// or https:// url, got ${JSON.stringify(opts.new)}\n`)
    return 2
  }
  const newName = opts.newName ?? 'new'
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(newName) || newName === 'legacy') {
    io.stderr(`strangler init: --new-name must be a simple name other than legacy (letters, digits, - and _), got ${JSON.stringify(newName)}\n`)
    return 2
  }
  let text: string
  let count: number
  let note = ''
  try {
    const spec = await loadSpec(opts.spec)
    const index = buildOperationsIndex(spec)
    const tags = (spec.document as { tags?: Array<{ name?: unknown }> }).tags
    const tagOrder = Array.isArray(tags) ? tags.map(t => t?.name).filter((n): n is string => typeof n === 'string') : []
    const newService = opts.newSpec === undefined ? undefined : { name: newName, url: opts.new!, index: buildOperationsIndex(await loadSpec(opts.newSpec)), specFile: opts.newSpec }
    text = renderStarterRules(index, { legacyUrl: opts.legacy, specFile: opts.spec, tagOrder, newService })
    count = index.operations.length
    const legacy = legacyUpstreamUrl(opts.legacy, index)
    if (legacy.dropped !== null) note = `strangler init: every operation's path starts with ${legacy.dropped}, so upstreams.legacy.url is ${legacy.url} (the proxy forwards the whole path; ${opts.legacy} would have doubled ${legacy.dropped})\n`
  } catch (err) {
    if (err instanceof SpecError) {
      io.stderr(`strangler init: ${err.code} ${err.message}\n`)
      return 1
    }
    throw err
  }
  // what we write must load: a bug here must not hand the user a broken file
  const check = loadRulesText(text, opts.out ?? '<init>')
  if (!check.ok) {
    io.stderr('strangler init: the generated rules do not load (a bug, please report it):\n')
    for (const p of check.errors) io.stderr(formatProblem(p) + '\n')
    return 1
  }
  io.stderr(note)
  if (opts.out === undefined) {
    io.stdout(text)
    return 0
  }
  try {
    await writeFile(opts.out, text, { flag: opts.force === true ? 'w' : 'wx' })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    io.stderr(code === 'EEXIST'
      ? `strangler init: ${opts.out} already exists; not overwritten (pass --force to replace it)\n`
      : `strangler init: cannot write ${opts.out}: ${(err as Error).message}\n`)
    return 1
  }
  io.stderr(`strangler init: wrote ${opts.out}: ${count} operation${count === 1 ? '' : 's'} from ${opts.spec}, all served by legacy\n`)
  return 0
}

function isHttpUrl (s: string): boolean {
  try {
    const u = new URL(s)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}
