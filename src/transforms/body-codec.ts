/**
 * A body a transform changes, from bytes to JSON and back: decoded first
 * (content-encoding), read as JSON (or as XML, `format: json`), and after the
 * operations written as JSON (or XML, `format: xml`) and encoded again with
 * the codings the upstream used (which the client accepted: the upstream
 * chose them from the client's own Accept-Encoding).
 */
import * as zlib from 'node:zlib'
import { decodeBody, parseContentEncoding } from '../compare/decode-body.js'
import { readXml, writeXml } from '../compare/xml-document.js'
import type { JsonPath } from '../config/json-path.js'
import type { BodyOp, JsonValue } from '../config/types.js'
import { applyBodyOps } from './json-body-ops.js'
import { applyBodyOpsToBytes } from './lazy-json.js'

/** Why a body was answered as it came, the `reason` of strangler_transform_failures_total. */
export type TransformFailure =
  | 'not-json'              // ops or format: xml, and the body is not labelled JSON
  | 'not-xml'               // format: json, and the body is not labelled XML
  | 'invalid-json'          // labelled JSON, not parseable
  | 'invalid-xml'           // labelled XML, not well-formed
  | 'too-large'             // over limits.transformBody (a request body that large streams through unbuffered)
  | 'unsupported-encoding'  // a content-encoding the proxy cannot undo or redo
  | 'corrupt-encoding'      // the encoded body does not decode
  | 'error'                 // an operation threw (a bug; logged)

export interface BodyPlan {
  readonly ops: readonly BodyOp[]
  readonly format: 'xml' | 'json' | null
  readonly arrays: readonly JsonPath[]
}

export type BodyResult =
  | { readonly ok: true; readonly body: Buffer; readonly contentType: string | null }
  | { readonly ok: false; readonly reason: TransformFailure; readonly detail: string }

const JSON_TYPE = 'application/json; charset=utf-8'
const XML_TYPE = 'application/xml; charset=utf-8'

/** The media type of a content-type value, lower case. */
function media (contentType: string | undefined): string {
  if (contentType === undefined) return ''
  const semi = contentType.indexOf(';')
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
}

export function isJsonType (contentType: string | undefined): boolean {
  const t = media(contentType)
  return t === 'application/json' || t === 'text/json' || t.endsWith('+json')
}

export function isXmlType (contentType: string | undefined): boolean {
  const t = media(contentType)
  return t === 'application/xml' || t === 'text/xml' || t.endsWith('+xml')
}

/** null when the body can be transformed, else why not (checked on the headers, before buffering). */
export function refusal (plan: BodyPlan, contentType: string | undefined, contentEncoding: string | undefined): TransformFailure | null {
  if (plan.format === 'json' ? !isXmlType(contentType) : !isJsonType(contentType)) return plan.format === 'json' ? 'not-xml' : 'not-json'
  for (const c of parseContentEncoding(contentEncoding)) {
    if (!CODINGS.has(c)) return 'unsupported-encoding'
  }
  return null
}

const CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br'])

/** Transform a whole body; `contentType` of the result is set when the format changed. */
export function transformBody (plan: BodyPlan, body: Buffer, contentEncoding: string | undefined, maxBytes: number): BodyResult {
  const decoded = decodeBody(body, contentEncoding, { maxBytes })
  if (!decoded.ok) {
    const reason = decoded.error.code === 'too-large' ? 'too-large' : decoded.error.code === 'corrupt' ? 'corrupt-encoding' : 'unsupported-encoding'
    return { ok: false, reason, detail: decoded.error.message }
  }
  if (plan.format === null) {
    // JSON in, JSON out: only what the operations touch is parsed, the rest is copied byte for byte
    let out: Buffer
    try {
      out = applyBodyOpsToBytes(decoded.body, plan.ops)
    } catch (err) {
      return err instanceof SyntaxError ? { ok: false, reason: 'invalid-json', detail: err.message } : { ok: false, reason: 'error', detail: (err as Error).message }
    }
    return { ok: true, body: encodeAll(decoded.encodings, out), contentType: null }
  }
  const text = decoded.body.toString('utf8')
  let doc: JsonValue
  if (plan.format === 'json') {
    try {
      doc = readXml(text, { arrays: plan.arrays.map((p) => p.source) })
    } catch (err) {
      return { ok: false, reason: 'invalid-xml', detail: (err as Error).message }
    }
  } else {
    try {
      doc = JSON.parse(text) as JsonValue
    } catch (err) {
      // never the parser's own message: it quotes the body, which may hold secrets, into the log
      const at = /position (\d+)/.exec((err as Error).message)
      return { ok: false, reason: 'invalid-json', detail: `the body is not valid JSON${at !== null ? ` (at position ${at[1]})` : ''}` }
    }
  }
  let out: string
  try {
    if (plan.ops.length > 0) doc = applyBodyOps(doc, plan.ops)
    out = plan.format === 'xml' ? writeXml(doc) : JSON.stringify(doc)
  } catch (err) {
    return { ok: false, reason: 'error', detail: (err as Error).message }
  }
  return { ok: true, body: encodeAll(decoded.encodings, Buffer.from(out, 'utf8')), contentType: plan.format === 'xml' ? XML_TYPE : plan.format === 'json' ? JSON_TYPE : null }
}

function encodeAll (codings: readonly string[], body: Buffer): Buffer {
  let bytes = body
  for (const c of codings) bytes = encodeOne(c, bytes)
  return bytes
}

function encodeOne (coding: string, buf: Buffer): Buffer {
  switch (coding) {
    case 'gzip': case 'x-gzip': return zlib.gzipSync(buf)
    case 'deflate': return zlib.deflateSync(buf)
    case 'br': return zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })
    default: throw new Error(`content-encoding ${coding} cannot be written`)
  }
}
