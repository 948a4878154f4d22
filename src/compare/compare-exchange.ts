/**
 * Compare one primary/shadow pair: status, the configured headers, then the
 * bodies (content-encoding decoded first) by kind: JSON and XML structurally,
 * text exactly, anything else by SHA-256. Never throws: a body that cannot be
 * decoded or parsed is itself a difference.
 *
 * Bodies are first compared byte for byte after decoding; equal bytes are a
 * match whatever the content type. When either side is labelled JSON, both
 * sides are parsed and, if both parse, diffed structurally (a monolith that
 * sends JSON as text/html is still compared by structure; list content-type in
 * `compare.headers` to flag the label). If only one parses: a `type`
 * difference at `$` naming each side `json`, `invalid-json` (labelled JSON,
 * does not parse), `text`, `binary`, `xml` or `empty`.
 *
 * XML the same way, when neither side is labelled JSON and one is labelled
 * XML: both sides are read with readXml (xml-document.ts) and the two JSON
 * mappings diffed, so paths are those of the mapping (`$.order.total`,
 * `$.order['@currency']`). One side only reads: a `type` difference at `$`
 * naming each side `xml`, `invalid-xml` (labelled XML, not well-formed),
 * `text`, `binary` or `empty`.
 *
 * `ignore`, `typeOnly` and `accept` take every path a record prints:
 * `$status`, `$headers['name']`, `$body` (every body difference: in `ignore`
 * the body is not compared at all; in `typeOnly` JSON bodies are compared by
 * the type at `$`, others by their kind: text, binary, empty) and JSON paths.
 * A difference an accept rule names is recorded with `accepted: true`; the
 * outcome is `mismatch` only when a difference that is not accepted exists.
 */
import { createHash } from 'node:crypto'
import { headerPath } from '../config/compare-path.js'
import type { CompareConfig } from '../config/types.js'
import { acceptsValues } from './accept-values.js'
import { bodyKind, type BodyKind } from './body-kind.js'
import type { CapturedResponse } from './captured-response.js'
import { NO_RULES, compileCompare, type CompiledCompare } from './compile-compare.js'
import type { CompareResult } from './compare-result.js'
import { decodeBody, type DecodeFailure } from './decode-body.js'
import type { JsonValue, PairDifference } from '../store/difference.js'
import { DEFAULT_MAX_DIFFERENCES, acceptedAt, diffJson, ignoresRoot } from './diff-json.js'
import { headerValue } from './header-value.js'
import { learnPairs, type LearnedPair } from './learn-pairs.js'
import { readXml } from './xml-document.js'

export interface CompareExchangeOptions {
  /** cap on recorded differences (default 100) */
  readonly maxDifferences?: number
  /** cap on a decoded body (default 64 MB); larger is reported as undecodable */
  readonly maxDecodedBytes?: number
}

interface Found {
  readonly differences: PairDifference[]
  readonly truncated: boolean
  /** a difference that is not accepted exists */
  readonly mismatch: boolean
  /** correlation pairs read at the learn paths */
  readonly learned?: LearnedPair[]
}

const NO_PATHS: readonly string[] = []

/**
 * `learn`: the `correlate` paths that apply to this pair's route; the pairs
 * found there come back as `learned` (read from the bodies this comparison
 * parses anyway).
 */
export function compareExchange (primary: CapturedResponse, shadow: CapturedResponse, cfg: CompareConfig, opts: CompareExchangeOptions = {}, learn: readonly string[] = NO_PATHS): CompareResult {
  const max = opts.maxDifferences ?? DEFAULT_MAX_DIFFERENCES
  const cc = compileCompare(cfg)
  const out: PairDifference[] = []
  let truncated = false
  let mismatch = false
  const push = (d: PairDifference, accepted: boolean): void => {
    if (!accepted) mismatch = true
    if (out.length >= max) truncated = true
    else out.push(accepted && d.accepted !== true ? { ...d, accepted: true } : d)
  }

  const st = cc.status
  if (primary.status !== shadow.status && !st.ignore && !st.typeOnly) {
    push({ kind: 'status', path: '$status', primary: primary.status, shadow: shadow.status }, acceptsValues(st.accept, primary.status, shadow.status))
  }
  for (const name of cfg.headers) {
    const header = name.toLowerCase()
    const rules = cc.headers.get(header) ?? NO_RULES
    if (rules.ignore) continue
    const p = headerValue(primary.headers, header)
    const s = headerValue(shadow.headers, header)
    if (p === s || (rules.typeOnly && (p === null) === (s === null))) continue
    push({ kind: 'header', path: headerPath(header), header, primary: p, shadow: s }, acceptsValues(rules.accept, p ?? undefined, s ?? undefined))
  }

  let learned: LearnedPair[] | undefined
  if (!cc.body.ignore) {
    // past the cap the body is still compared (its differences are not kept) so that the outcome is exact
    const body = compareBodies(primary, shadow, cc, Math.max(1, max - out.length), opts.maxDecodedBytes, learn)
    for (const d of body.differences) push(d, d.accepted === true)
    if (body.truncated) truncated = true
    if (body.mismatch) mismatch = true
    learned = body.learned
  }
  const result: CompareResult = { outcome: mismatch ? 'mismatch' : 'match', differences: out, truncated }
  return learned === undefined || learned.length === 0 ? result : { ...result, learned }
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

/** XML, labelled so or not: only text that starts with `<` (after a BOM and whitespace) is tried. */
function parseXml (b: Buffer): Parsed {
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++
  if (b[i] !== 0x3c) return { ok: false }
  try {
    return { ok: true, value: readXml(b.toString('utf8')) }
  } catch {
    return { ok: false }
  }
}

type Structured = 'json' | 'xml'

function typeName (s: Side, p: Parsed, format: Structured): string {
  if (p.ok) return format
  if (s.bytes.length === 0) return 'empty'
  return s.kind === format ? `invalid-${format}` : s.kind
}

function compareBodies (primary: CapturedResponse, shadow: CapturedResponse, cc: CompiledCompare, max: number, maxDecodedBytes: number | undefined, learn: readonly string[]): Found {
  const a = side(primary, maxDecodedBytes)
  const b = side(shadow, maxDecodedBytes)
  const none: Found = { differences: [], truncated: false, mismatch: false }
  if (a.bytes.equals(b.bytes) && (a.failure === null) === (b.failure === null)) return none

  const one = (d: PairDifference, accepted: boolean): Found =>
    ({ differences: [accepted ? { ...d, accepted: true } : d], truncated: false, mismatch: !accepted })
  const bodyDiff = (la?: string, lb?: string): Found => {
    const d = { kind: 'body', path: '$body', primary: describe(a, la), shadow: describe(b, lb) } as const
    return one(d, acceptsValues(cc.body.accept, d.primary, d.shadow))
  }
  /** `typeOnly: [$body]`: two bodies that are not JSON differ only when their kinds do */
  const sameKind = (la: string, lb: string): boolean => cc.body.typeOnly && la === lb

  if (a.failure !== null || b.failure !== null) return bodyDiff()
  const format: Structured | null = a.kind === 'json' || b.kind === 'json' ? 'json' : a.kind === 'xml' || b.kind === 'xml' ? 'xml' : null
  if (format === null) {
    const ka = a.bytes.length === 0 ? 'empty' : a.kind
    const kb = b.bytes.length === 0 ? 'empty' : b.kind
    return sameKind(ka, kb) ? none : bodyDiff()
  }

  const parse = format === 'json' ? parseJson : parseXml
  const pa = parse(a.bytes)
  const pb = parse(b.bytes)
  if (pa.ok && pb.ok) {
    try {
      const learned = learn.length === 0 ? undefined : learnPairs(pa.value, pb.value, learn)
      const r = diffJson(pa.value, pb.value, max === cc.json.maxDifferences ? cc.json : { ...cc.json, maxDifferences: max })
      return { differences: r.differences, truncated: r.truncated, mismatch: r.mismatch, learned }
    } catch (err) {
      // only a pathological document (nesting deeper than the stack) gets here
      const why = `${format}, ${err instanceof RangeError ? 'too deeply nested' : 'not comparable'}`
      return bodyDiff(why, why)
    }
  }
  const ta = typeName(a, pa, format)
  const tb = typeName(b, pb, format)
  if (!pa.ok && !pb.ok) return sameKind(ta, tb) ? none : bodyDiff(ta, tb)
  // JSON (XML) on one side only: a `type` difference at `$`, which JSON paths matching `$` ignore or accept
  if (ignoresRoot(cc.json)) return none
  return one({ kind: 'type', path: '$', primary: ta, shadow: tb }, acceptedAt(cc.json, [], ta, tb))
}
