/**
 * Compare one primary/shadow pair: status, the configured headers, then the
 * bodies (content-encoding decoded first) by kind: JSON structurally, text
 * exactly, anything else by SHA-256. Never throws: a body that cannot be
 * decoded or parsed is itself a difference.
 *
 * Bodies are first compared byte for byte after decoding; equal bytes are a
 * match whatever the content type. When either side is labelled JSON, both
 * sides are parsed and, if both parse, diffed structurally (a monolith that
 * sends JSON as text/html is still compared by structure; list content-type in
 * `compare.headers` to flag the label). If only one parses: a `type`
 * difference at `$` naming each side `json`, `invalid-json` (labelled JSON,
 * does not parse), `text`, `binary` or `empty`.
 */
import { createHash } from 'node:crypto'
import type { CompareConfig } from '../config/types.js'
import { bodyKind, type BodyKind } from './body-kind.js'
import type { CapturedResponse } from './captured-response.js'
import type { CompareResult } from './compare-result.js'
import { decodeBody, type DecodeFailure } from './decode-body.js'
import type { Difference, JsonValue } from '../store/difference.js'
import { DEFAULT_MAX_DIFFERENCES, compileDiffOptions, diffJson, type CompiledDiffOptions } from './diff-json.js'
import { headerValue } from './header-value.js'
import { learnPairs, type LearnedPair } from './learn-pairs.js'

export interface CompareExchangeOptions {
  /** cap on recorded differences (default 100) */
  readonly maxDifferences?: number
  /** cap on a decoded body (default 64 MB); larger is reported as undecodable */
  readonly maxDecodedBytes?: number
}

const compiledCache = new WeakMap<CompareConfig, CompiledDiffOptions>()

/** The config's paths compiled once per (frozen) config object. */
function compiledFor (cfg: CompareConfig, maxDifferences: number): CompiledDiffOptions {
  let c = compiledCache.get(cfg)
  if (c === undefined) {
    c = compileDiffOptions({ ignore: cfg.ignore, unordered: cfg.unordered, tolerance: cfg.tolerance, maxDifferences: DEFAULT_MAX_DIFFERENCES })
    compiledCache.set(cfg, c)
  }
  return c.maxDifferences === maxDifferences ? c : { ...c, maxDifferences }
}

const NO_PATHS: readonly string[] = []

/**
 * `learn`: the `correlate` paths that apply to this pair's route; the pairs
 * found there come back as `learned` (read from the bodies this comparison
 * parses anyway).
 */
export function compareExchange (primary: CapturedResponse, shadow: CapturedResponse, cfg: CompareConfig, opts: CompareExchangeOptions = {}, learn: readonly string[] = NO_PATHS): CompareResult {
  const max = opts.maxDifferences ?? DEFAULT_MAX_DIFFERENCES
  const out: Difference[] = []
  let truncated = false
  const push = (d: Difference): void => {
    if (out.length >= max) truncated = true
    else out.push(d)
  }

  if (primary.status !== shadow.status) {
    push({ kind: 'status', path: '$status', primary: primary.status, shadow: shadow.status })
  }
  for (const name of cfg.headers) {
    const header = name.toLowerCase()
    const p = headerValue(primary.headers, header)
    const s = headerValue(shadow.headers, header)
    if (p !== s) push({ kind: 'header', path: `$headers['${header.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`, header, primary: p, shadow: s })
  }

  let learned: LearnedPair[] | undefined
  if (out.length < max || learn.length > 0) {
    const body = compareBodies(primary, shadow, cfg, Math.max(0, max - out.length), opts.maxDecodedBytes, learn)
    for (const d of body.differences) push(d)
    if (body.truncated) truncated = true
    learned = body.learned
  } else if (!bodiesTriviallyEqual(primary, shadow)) {
    truncated = true
  }
  const result: CompareResult = { outcome: out.length > 0 ? 'mismatch' : 'match', differences: out, truncated }
  return learned === undefined || learned.length === 0 ? result : { ...result, learned }
}

function bodiesTriviallyEqual (a: CapturedResponse, b: CapturedResponse): boolean {
  const x = a.body ?? Buffer.alloc(0)
  const y = b.body ?? Buffer.alloc(0)
  return x.equals(y)
}

interface Side {
  readonly kind: BodyKind
  /** decoded bytes, or the raw bytes when decoding failed */
  readonly bytes: Buffer
  readonly failure: DecodeFailure | null
}

function side (r: CapturedResponse, maxBytes: number | undefined): Side {
  const kind = bodyKind(headerValue(r.headers, 'content-type'))
  const raw = r.body ?? Buffer.alloc(0)
  const decoded = decodeBody(raw, headerValue(r.headers, 'content-encoding'), maxBytes === undefined ? {} : { maxBytes })
  return decoded.ok ? { kind, bytes: decoded.body, failure: null } : { kind, bytes: raw, failure: decoded.error }
}

function sha256 (b: Buffer): string {
  return createHash('sha256').update(b).digest('hex')
}

/** Short, secret-free description of a body: kind, size, hash prefix. Never an excerpt. */
function describe (s: Side, label?: string): string {
  if (s.failure !== null) {
    return `undecodable ${s.failure.encoding} (${s.failure.code}), ${s.bytes.length} bytes, sha256 ${sha256(s.bytes).slice(0, 16)}…`
  }
  if (s.bytes.length === 0) return 'empty'
  return `${label ?? s.kind}, ${s.bytes.length} bytes, sha256 ${sha256(s.bytes).slice(0, 16)}…`
}

type Parsed = { readonly ok: true; readonly value: JsonValue } | { readonly ok: false }

function parseJson (b: Buffer): Parsed {
  if (b.length === 0) return { ok: false }
  let text = b.toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue }
  } catch {
    return { ok: false }
  }
}

function typeName (s: Side, p: Parsed): string {
  if (p.ok) return 'json'
  if (s.bytes.length === 0) return 'empty'
  return s.kind === 'json' ? 'invalid-json' : s.kind
}

interface BodyComparison { differences: Difference[]; truncated: boolean; learned?: LearnedPair[] }

function compareBodies (primary: CapturedResponse, shadow: CapturedResponse, cfg: CompareConfig, max: number, maxDecodedBytes: number | undefined, learn: readonly string[]): BodyComparison {
  const a = side(primary, maxDecodedBytes)
  const b = side(shadow, maxDecodedBytes)
  const none = { differences: [], truncated: false }
  if (a.bytes.equals(b.bytes) && (a.failure === null) === (b.failure === null)) return none

  const bodyDiff = (la?: string, lb?: string): BodyComparison =>
    ({ differences: [{ kind: 'body', path: '$body', primary: describe(a, la), shadow: describe(b, lb) }], truncated: false })

  if (a.failure !== null || b.failure !== null) return bodyDiff()
  if (a.kind !== 'json' && b.kind !== 'json') return bodyDiff()

  const pa = parseJson(a.bytes)
  const pb = parseJson(b.bytes)
  if (pa.ok && pb.ok) {
    try {
      const learned = learn.length === 0 ? undefined : learnPairs(pa.value, pb.value, learn)
      if (max === 0) return { differences: [], truncated: true, learned }
      const r = diffJson(pa.value, pb.value, compiledFor(cfg, max))
      return { differences: r.differences, truncated: r.truncated, learned }
    } catch (err) {
      // only a pathological document (nesting deeper than the stack) gets here
      const why = err instanceof RangeError ? 'json, too deeply nested' : 'json, not comparable'
      return bodyDiff(why, why)
    }
  }
  if (!pa.ok && !pb.ok) return bodyDiff(typeName(a, pa), typeName(b, pb))
  return { differences: [{ kind: 'type', path: '$', primary: typeName(a, pa), shadow: typeName(b, pb) }], truncated: false }
}
