import type { IncomingHttpHeaders } from 'node:http'
import type { UpstreamConfig } from '../config/types.js'
import type { UpstreamPools } from '../upstream/upstream-pools.js'

export type MirrorResult =
  | { readonly ok: true; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: Buffer | null; readonly bytes: number; readonly ms: number }
  | { readonly ok: false; readonly tooLarge: true; readonly status: number; readonly bytes: number; readonly ms: number }
  | { readonly ok: false; readonly tooLarge: false; readonly error: string; readonly status: number | null; readonly bytes: number; readonly ms: number }

export interface MirrorRequest {
  readonly upstream: UpstreamConfig
  readonly method: string
  /** path and query, as forwarded (base path and stripPrefix applied) */
  readonly path: string
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: Buffer | null
  /** the shadow's own deadline for the whole exchange, headers and body */
  readonly timeoutMs: number
  readonly maxBodyBytes: number
}

/**
 * Send the mirror and read its whole answer, up to maxBodyBytes, within the
 * shadow's own deadline. Never throws and never rejects: every failure is a
 * result. A body over the cap is abandoned at once (memory stays bounded).
 */
export function mirrorRequest (pools: UpstreamPools, req: MirrorRequest): Promise<MirrorResult> {
  return new Promise((resolve) => {
    const started = performance.now()
    const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10
    const signal = pools.deadline(req.timeoutMs)
    let done = false
    let status: number | null = null
    let bytes = 0
    const finish = (r: MirrorResult): void => {
      if (done) return
      done = true
      pools.settle(req.timeoutMs, signal)
      resolve(r)
    }
    const fail = (err: unknown): void => {
      const e = err as { code?: string; message?: string }
      const message = signal.timedOut
        ? `shadow timeout: no complete answer within ${req.timeoutMs} ms`
        : `${e.code ?? 'ERROR'}: ${e.message ?? String(err)}`
      finish({ ok: false, tooLarge: false, error: message, status, bytes, ms: elapsed() })
    }
    let pool
    try {
      pool = pools.pool(req.upstream.origin)
    } catch (err) {
      fail(err)
      return
    }
    pool.request({
      path: req.path,
      method: req.method as 'GET',
      headers: req.headers as Record<string, string>,
      body: req.body ?? undefined,
      signal,
      headersTimeout: 0,
      bodyTimeout: 0
    }, (err, data) => {
      if (err) { fail(err); return }
      status = data.statusCode
      const declared = Number(data.headers['content-length'])
      if (declared > req.maxBodyBytes) {
        data.body.destroy()
        finish({ ok: false, tooLarge: true, status, bytes: declared, ms: elapsed() })
        return
      }
      const chunks: Buffer[] = []
      data.body.on('data', (c: Buffer) => {
        bytes += c.length
        if (bytes > req.maxBodyBytes) {
          data.body.destroy()
          finish({ ok: false, tooLarge: true, status: status!, bytes, ms: elapsed() })
          return
        }
        chunks.push(c)
      })
      data.body.on('error', fail)
      data.body.on('end', () => {
        finish({
          ok: true,
          status: data.statusCode,
          headers: data.headers as IncomingHttpHeaders,
          body: bytes === 0 ? null : Buffer.concat(chunks, bytes),
          bytes,
          ms: elapsed()
        })
      })
    })
  })
}
