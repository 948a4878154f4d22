/**
 * Undo a response's content-encoding before comparing: gzip (x-gzip), deflate
 * (zlib-wrapped or raw, told apart by the zlib header), br, identity, zstd where
 * the Node version has it, and chains such as "gzip, br" (decoded last-applied
 * first). A corrupt or unknown encoding is a typed failure, never a throw; the
 * decoded size is capped against decompression bombs.
 */
import * as zlib from 'node:zlib'

/** Decoded output limit unless told otherwise: 64 MB. */
export const DEFAULT_MAX_DECODED_BYTES = 64 * 1024 * 1024

export interface DecodeFailure {
  readonly code: 'unsupported-encoding' | 'corrupt' | 'too-large'
  /** the coding that failed, e.g. "gzip" */
  readonly encoding: string
  readonly message: string
}

export type DecodeResult =
  | { readonly ok: true; readonly body: Buffer; readonly encodings: readonly string[] }
  | { readonly ok: false; readonly error: DecodeFailure }

export interface DecodeOptions {
  /** fail with `too-large` when a decoded body would exceed this (default 64 MB) */
  readonly maxBytes?: number
}

type Coding = 'gzip' | 'deflate' | 'br' | 'zstd'

interface ZstdZlib {
  zstdDecompressSync?: (buf: Buffer, opts?: zlib.ZlibOptions) => Buffer
}
const zstd = zlib as unknown as ZstdZlib

/** Split and normalize a Content-Encoding value: "gzip, br" -> ['gzip', 'br'] (order applied). */
export function parseContentEncoding (value: string | readonly string[] | null | undefined): string[] {
  if (value === undefined || value === null) return []
  const joined = Array.isArray(value) ? value.join(',') : value as string
  return joined.split(',').map(s => s.trim().toLowerCase()).filter(s => s !== '' && s !== 'identity')
}

type Plan = { ok: true; codings: Coding[] } | { ok: false; error: DecodeFailure }

function plan (encodings: readonly string[]): Plan {
  const codings: Coding[] = []
  for (const e of encodings) {
    if (e === 'gzip' || e === 'x-gzip') codings.push('gzip')
    else if (e === 'deflate') codings.push('deflate')
    else if (e === 'br') codings.push('br')
    else if (e === 'zstd' && typeof zstd.zstdDecompressSync === 'function') codings.push('zstd')
    else return { ok: false, error: { code: 'unsupported-encoding', encoding: e, message: `content-encoding ${JSON.stringify(e)} is not supported` } }
  }
  return { ok: true, codings: codings.reverse() }
}

/** zlib header: CM = 8 and the 16-bit header a multiple of 31. Otherwise raw deflate. */
function isZlibWrapped (buf: Buffer): boolean {
  if (buf.length < 2) return false
  const cmf = buf[0]!
  const flg = buf[1]!
  return (cmf & 0x0f) === 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 === 0
}

function failure (coding: string, err: unknown, maxBytes: number): DecodeFailure {
  const e = err as { code?: string; message?: string }
  if (e?.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength|too large/i.test(String(e?.message))) {
    return { code: 'too-large', encoding: coding, message: `decoded ${coding} body exceeds ${maxBytes} bytes` }
  }
  return { code: 'corrupt', encoding: coding, message: `${coding} body cannot be decoded: ${e?.message ?? String(err)}` }
}

function decodeOneSync (coding: Coding, buf: Buffer, maxOutputLength: number): Buffer {
  const opts = { maxOutputLength }
  switch (coding) {
    case 'gzip': return zlib.gunzipSync(buf, opts)
    case 'deflate': return isZlibWrapped(buf) ? zlib.inflateSync(buf, opts) : zlib.inflateRawSync(buf, opts)
    case 'br': return zlib.brotliDecompressSync(buf, opts)
    case 'zstd': return zstd.zstdDecompressSync!(buf, opts)
  }
}

/**
 * Decode synchronously (fine for small bodies; compare-pool.ts runs large
 * ones in a worker). An empty body is empty whatever its encoding says.
 */
export function decodeBody (body: Buffer | null, contentEncoding: string | readonly string[] | null | undefined, opts: DecodeOptions = {}): DecodeResult {
  const buf = body ?? Buffer.alloc(0)
  const encodings = parseContentEncoding(contentEncoding)
  if (encodings.length === 0 || buf.length === 0) return { ok: true, body: buf, encodings }
  const p = plan(encodings)
  if (!p.ok) return p
  const max = opts.maxBytes ?? DEFAULT_MAX_DECODED_BYTES
  let cur = buf
  for (const coding of p.codings) {
    try {
      cur = decodeOneSync(coding, cur, max)
    } catch (err) {
      return { ok: false, error: failure(coding, err, max) }
    }
  }
  return { ok: true, body: cur, encodings }
}
