/**
 * `strangler suggest --rules FILE [--store S] [--route NAME] [--write]
 * [--accept] [--format text|json]`: proposes compare settings per route from
 * the stored records and kept pairs, each with its evidence. Without
 * `--write` it prints the YAML to add; with it, it writes them into FILE
 * (comments and layout kept; accept questions only with `--accept`), checks
 * the result with the loader before it replaces FILE (a temp file in the
 * same folder, renamed over it), and prints the diff.
 * Exit codes: 0 proposals printed or written, or none; 1 invalid rules, an
 * unreadable store, a result that would not load (FILE is left as it was);
 * 2 bad usage.
 */
import { loadCommandRules } from './load-command-rules.js'
import { randomBytes } from 'node:crypto'
import { chmod, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { formatProblem } from '../config/format-problem.js'
import { loadRulesFile } from '../config/load.js'
import type { Rules } from '../config/types.js'
import type { DiffRecord } from '../store/record.js'
import { DEFAULT_STORE_DIR, type Store } from '../store/store.js'
import type { StoredPair } from '../store/stored-pair.js'
import type { RouteSuggestions } from '../suggest/proposal.js'
import { renderProposals, renderYamlToAdd } from '../suggest/render-suggestions.js'
import { suggestRules } from '../suggest/suggest-rules.js'
import { unifiedDiff } from '../suggest/unified-diff.js'
import { additionsOf, writeSuggestions } from '../suggest/write-suggestions.js'
import { openCommandStore } from './open-command-store.js'
import type { CliIo } from './io.js'

export interface SuggestOptions {
  readonly rules: string
  /** default `.strangler/diffs` */
  readonly store?: string
  readonly route?: string
  /** edit the rules file in place */
  readonly write?: boolean
  /** with `write`: the accept questions too */
  readonly accept?: boolean
  /** text (default) or json */
  readonly format?: string
}

type Replaced = { readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] }

/**
 * Replace `file` by `text` only if the loader takes it: written to a temp
 * file beside it (same folder, so the rename is atomic), loaded, then renamed
 * over `file` with its mode; a text that does not load is never written.
 */
export async function replaceRulesFile (file: string, text: string): Promise<Replaced> {
  const tmp = join(dirname(file), `.${basename(file)}.suggest-${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, text, { flag: 'wx' })
    await chmod(tmp, (await stat(file)).mode & 0o7777)
    const loaded = await loadRulesFile(tmp)
    if (!loaded.ok) {
      await unlink(tmp)
      return { ok: false, errors: loaded.errors.map((p) => formatProblem(p).split(tmp).join(file)) }
    }
    await rename(tmp, file)
    return { ok: true }
  } catch (err) {
    await unlink(tmp).catch(() => {})
    return { ok: false, errors: [`cannot write ${file}: ${(err as Error).message}`] }
  }
}

async function readStore (store: Store, rules: Rules): Promise<{ records: DiffRecord[]; pairs: Map<string, StoredPair> }> {
  const names = new Set(rules.routes.map((r) => r.name))
  const records: DiffRecord[] = []
  for await (const r of store.read()) if (names.has(r.route)) records.push(r)
  const pairs = new Map<string, StoredPair>()
  for await (const p of store.readPairs()) if (names.has(p.route)) pairs.set(p.id, p)
  return { records, pairs }
}

const plural = (n: number, word: string, many = word + 's'): string => `${n} ${n === 1 ? word : many}`

export async function runSuggest (opts: SuggestOptions, io: CliIo): Promise<number> {
  const format = opts.format ?? 'text'
  if (format !== 'text' && format !== 'json') {
    io.stderr(`strangler suggest: unknown --format ${JSON.stringify(format)}; use text or json\n`)
    return 2
  }
  if (opts.route === '') {
    io.stderr('strangler suggest: --route needs a route name\n')
    return 2
  }
  const rules = await loadCommandRules('suggest', opts.rules, io)
  if (rules === null) return 1
  if (opts.route !== undefined && !rules.routes.some((r) => r.name === opts.route)) {
    io.stderr(`strangler suggest: no route ${JSON.stringify(opts.route)} in ${opts.rules}\n`)
    return 2
  }
  const dir = opts.store ?? DEFAULT_STORE_DIR
  const store = openCommandStore('suggest', dir, io)
  if (store === null) return 2
  let suggestions: RouteSuggestions[]
  try {
    const { records, pairs } = await readStore(store, rules)
    suggestions = await suggestRules({ records, pairs, rules, route: opts.route })
  } catch (err) {
    io.stderr(`strangler suggest: cannot read the store ${dir}: ${(err as Error).message}\n`)
    return 1
  } finally {
    await store.close()
  }
  const unreadable = store.stats().unreadable
  if (unreadable > 0) io.stderr(`strangler suggest: skipped ${plural(unreadable, 'unreadable line')} (torn or malformed) in ${dir}\n`)

  const questions = suggestions.reduce((n, s) => n + s.proposals.filter((p) => p.kind === 'accept').length, 0)
  const report = { version: 1, rules: opts.rules, store: dir, routes: suggestions }
  if (suggestions.length === 0) {
    if (format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n')
    else io.stdout(`no compared pairs in ${dir}${opts.route !== undefined ? ` for route ${opts.route}` : ` for the routes of ${opts.rules}`}: nothing to suggest\n`)
    return 0
  }
  if (format === 'text') io.stdout(renderProposals(suggestions))
  const total = suggestions.reduce((n, s) => n + s.proposals.length, 0)

  if (opts.write !== true) {
    if (format === 'json') io.stdout(JSON.stringify(report, null, 2) + '\n')
    else if (total > 0) io.stdout(`YAML to add (under each route's compare:; or run with --write):\n\n${renderYamlToAdd(suggestions, opts.accept === true)}`)
    return 0
  }

  let file: string
  let before: string
  try {
    file = await realpath(opts.rules)
    before = await readFile(file, 'utf8')
  } catch (err) {
    io.stderr(`strangler suggest: cannot read ${opts.rules}: ${(err as Error).message}\n`)
    return 1
  }
  let outcome
  try {
    outcome = writeSuggestions(before, suggestions.map((s) => additionsOf(s, opts.accept === true)))
  } catch (err) {
    io.stderr(`strangler suggest: ${opts.rules} was not changed: ${(err as Error).message}\n`)
    return 1
  }
  for (const s of outcome.skipped) io.stderr(`strangler suggest: route ${s.route} left as it was: ${s.why}\n`)
  const unwritten = opts.accept === true ? 0 : questions
  const note = unwritten > 0 ? `${plural(unwritten, 'accept question')} not written: add --accept to write ${unwritten === 1 ? 'it' : 'them'}\n` : ''
  if (outcome.added === 0) {
    if (format === 'json') io.stdout(JSON.stringify({ ...report, written: { file: opts.rules, added: 0, diff: '' } }, null, 2) + '\n')
    else io.stdout(`nothing to write: ${opts.rules} already has every proposal it may take\n${note}`)
    return 0
  }
  const replaced = await replaceRulesFile(file, outcome.text)
  if (!replaced.ok) {
    io.stderr(`strangler suggest: ${opts.rules} was not changed; the result would not load:\n${replaced.errors.join('\n')}\n`)
    return 1
  }
  const diff = unifiedDiff(before, outcome.text, opts.rules)
  if (format === 'json') {
    io.stdout(JSON.stringify({ ...report, written: { file: opts.rules, added: outcome.added, relaidOut: outcome.relaidOut, diff } }, null, 2) + '\n')
    return 0
  }
  io.stdout(diff)
  io.stdout(`wrote ${plural(outcome.added, 'entry', 'entries')} to ${opts.rules} (checked: it loads)${outcome.relaidOut ? '; its layout could not be kept as it was, comments and order were' : ''}\n${note}`)
  return 0
}
