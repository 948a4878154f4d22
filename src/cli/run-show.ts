/**
 * `strangler show ID [--store S] [--rules FILE] [--format text|json]`: one
 * record with its kept pair: the request, both responses side by side, the
 * differences, and a `curl` line that replays the request against either
 * side. An id prefix of 8 or more characters is enough (reports print short
 * ids). Secrets stay `[redacted]` in everything it prints; the curl lines say
 * so. Exit codes: 0 shown; 1 no such record, an ambiguous prefix, or a store
 * that cannot be read; 2 bad usage.
 */
import { loadRulesFile } from '../config/load.js'
import type { Rules } from '../config/types.js'
import { rewritePath } from '../routing/rewrite-path.js'
import { requestPath, requestQuery, transformFor } from '../transforms/compiled-transform.js'
import { redactUrl } from '../store/redact-url.js'
import type { DiffRecord } from '../store/record.js'
import type { Store } from '../store/store.js'
import type { StoredBody, StoredHeaders, StoredPair, StoredResponse } from '../store/stored-pair.js'
import { openCommandStore } from './open-command-store.js'
import type { CliIo } from './io.js'

export interface ShowOptions {
  readonly id: string
  readonly store: string
  /** to name the upstreams' URLs in the curl lines */
  readonly rules?: string
  readonly format?: string
}

const MIN_PREFIX = 8
const COLUMN = 58

function bodyText (b: StoredBody | null): string {
  if (b === null) return ''
  if (b.encoding === 'base64') return `(binary, ${Buffer.from(b.data, 'base64').length} bytes, base64) ${b.data.slice(0, 200)}${b.data.length > 200 ? '…' : ''}`
  try {
    return JSON.stringify(JSON.parse(b.data), null, 2)
  } catch {
    return b.data
  }
}

function headerLines (h: StoredHeaders): string[] {
  return Object.entries(h).flatMap(([k, v]) => (typeof v === 'string' ? [v] : [...v]).map((x) => `${k}: ${x}`))
}

function responseLines (r: StoredResponse): string[] {
  const body = bodyText(r.body)
  return [`${r.upstream} → ${r.status}`, ...headerLines(r.headers), '', ...(body === '' ? ['(no body)'] : body.split('\n'))]
}

function sideBySide (a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = []
  const cut = (s: string): string => s.length <= COLUMN ? s.padEnd(COLUMN) : s.slice(0, COLUMN - 1) + '…'
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const l = a[i] ?? ''
    const r = b[i] ?? ''
    out.push(`  ${cut(l)} ${l === r ? '│' : '≠'} ${r}`)
  }
  return out
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`

/** A curl line replaying the request against `base` (the side's URL, or a shell variable); `url` is the path and query sent there (default: as the client sent them). */
export function curlLine (pair: StoredPair, base: string, url = pair.request.url): string {
  const parts = ['curl', '-X', pair.request.method, shellQuote(base + url)]
  for (const line of headerLines(pair.request.headers)) {
    const name = line.slice(0, line.indexOf(':')).toLowerCase()
    if (name === 'content-length' || name.startsWith('x-forwarded-') || name === 'host') continue
    parts.push('-H', shellQuote(line))
  }
  const b = pair.request.body
  if (b !== null) parts.push(b.encoding === 'utf8' ? '--data-binary' : '--data-binary', b.encoding === 'utf8' ? shellQuote(b.data) : `@<(echo ${shellQuote(b.data)} | base64 -d)`)
  return parts.join(' ')
}

async function findRecord (store: Store, id: string): Promise<DiffRecord[]> {
  const found: DiffRecord[] = []
  for await (const r of store.read()) {
    if (r.id === id) return [r]
    if (id.length < 36 && r.id.startsWith(id)) found.push(r)
  }
  return found
}

export async function runShow (opts: ShowOptions, io: CliIo): Promise<number> {
  const format = opts.format ?? 'text'
  if (format !== 'text' && format !== 'json') {
    io.stderr(`strangler show: unknown --format ${JSON.stringify(format)}; use text or json\n`)
    return 2
  }
  if (opts.id.length < MIN_PREFIX) {
    io.stderr(`strangler show: give a record id, or at least its first ${MIN_PREFIX} characters\n`)
    return 2
  }
  let rules: Rules | null = null
  if (opts.rules !== undefined) {
    const loaded = await loadRulesFile(opts.rules)
    if (!loaded.ok) {
      io.stderr(`strangler show: ${opts.rules} has errors; run strangler check --rules ${opts.rules}\n`)
      return 1
    }
    rules = loaded.rules
  }
  const store = openCommandStore('show', opts.store, io)
  if (store === null) return 2
  try {
    const found = await findRecord(store, opts.id)
    if (found.length === 0) {
      io.stderr(`strangler show: no record ${opts.id} in ${redactUrl(opts.store)}\n`)
      return 1
    }
    if (found.length > 1) {
      io.stderr(`strangler show: ${opts.id} is the start of ${found.length} record ids (${found.slice(0, 5).map((r) => r.id).join(', ')}${found.length > 5 ? ', …' : ''}); give more of it\n`)
      return 1
    }
    const record = found[0]!
    let pair: StoredPair | null = null
    for await (const p of store.readPairs({ route: record.route })) {
      if (p.id === record.id) { pair = p; break }
    }
    if (format === 'json') {
      io.stdout(JSON.stringify({ record, pair }, null, 2) + '\n')
      return 0
    }
    io.stdout(render(record, pair, rules))
    return 0
  } catch (err) {
    io.stderr(`strangler show: cannot read the store ${opts.store}: ${(err as Error).message}\n`)
    return 1
  } finally {
    await store.close()
  }
}

/**
 * The path and query the proxy sent to `upstream` for this request: the
 * route's stripPrefix, then that upstream's request transform (path template,
 * query edits), as the forwarder applies them. As the client sent them when
 * the rules are not given or no longer have the route.
 */
function forwardedUrl (pair: StoredPair, rules: Rules | null, upstream: string): string {
  const route = rules?.routes.find((r) => r.name === pair.route) ?? null
  if (route === null) return pair.request.url
  const q = pair.request.url.indexOf('?')
  const path = q === -1 ? pair.request.url : pair.request.url.slice(0, q)
  const query = q === -1 ? '' : pair.request.url.slice(q)
  const routed = rewritePath(route, path)
  const req = transformFor(route, upstream)?.request ?? null
  return req === null ? routed + query : requestPath(req, route, path, routed) + requestQuery(req, query)
}

function render (r: DiffRecord, pair: StoredPair | null, rules: Rules | null): string {
  const upstreams = rules?.upstreams ?? {}
  const out: string[] = []
  out.push(`record ${r.id} · ${r.at} · route ${r.route} · ${r.outcome}${r.skipped !== undefined ? ` (${r.skipped})` : ''}`)
  out.push(`${r.method} ${r.url}`)
  out.push(`primary ${r.primary.upstream} ${r.primary.status ?? '—'} in ${r.primary.ms} ms · shadow ${r.shadow.upstream} ${r.shadow.status ?? '—'} in ${r.shadow.ms} ms`)
  if (r.error !== undefined) out.push(`shadow error: ${r.error}`)
  if (r.correlated !== undefined) out.push(`correlated: ${r.correlated} difference${r.correlated === 1 ? '' : 's'} explained by learned pairs`)
  out.push('', `differences (${r.differences.length}):`)
  for (const d of r.differences) {
    const marks = d as { accepted?: true; noise?: true }
    const flag = marks.accepted === true ? ' (accepted)' : marks.noise === true ? ' (noise)' : ''
    const p = 'primary' in d ? JSON.stringify(d.primary) : '—'
    const s = 'shadow' in d ? JSON.stringify(d.shadow) : '—'
    out.push(`  ${d.kind.padEnd(8)} ${d.path}: ${p} → ${s}${flag}`)
  }
  if (pair === null) {
    out.push('', 'no kept pair for this record (shadow.keepPairs: mismatches keeps mismatched pairs, at most shadow.maxPairsPerMinute per route)')
    return out.join('\n') + '\n'
  }
  out.push('', 'request:', `  ${pair.request.method} ${pair.request.url}`, ...headerLines(pair.request.headers).map((l) => `  ${l}`))
  const reqBody = bodyText(pair.request.body)
  if (reqBody !== '') out.push('', ...reqBody.split('\n').map((l) => `  ${l}`))
  out.push('', `responses (primary │ shadow; ≠ marks lines that differ):`)
  out.push(...sideBySide(responseLines(pair.primary), responseLines(pair.shadow)))
  const base = (name: string): string => upstreams[name]?.url ?? `$${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`
  out.push('', 'replay (secrets are [redacted]: put the real values back before running):')
  out.push(`  primary: ${curlLine(pair, base(pair.primary.upstream), forwardedUrl(pair, rules, pair.primary.upstream))}`)
  out.push(`  shadow:  ${curlLine(pair, base(pair.shadow.upstream), forwardedUrl(pair, rules, pair.shadow.upstream))}`)
  return out.join('\n') + '\n'
}
