import type { ServerResponse } from 'node:http'
import type { FastifyReply } from 'fastify'
import { ERROR_CODES, type ErrorCode, type ProxyErrorBody } from '../errors.js'

/**
 * Answer with the proxy's own JSON error: { error, message, route }. When
 * the response has already started (its headers went out), the connection
 * is closed instead, so the client sees a broken response, never a wrong one.
 */
export function writeError (res: ServerResponse, code: ErrorCode, message: string, route: string | null, status?: number): void {
  if (res.destroyed) return
  if (res.headersSent) {
    res.destroy()
    return
  }
  const body: ProxyErrorBody = { error: code, message, route }
  const text = JSON.stringify(body)
  res.writeHead(status ?? ERROR_CODES[code].status ?? 500, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** writeError for a fastify reply: fastify leaves the response to us. */
export function sendError (reply: FastifyReply, code: ErrorCode, message: string, route: string | null, status?: number): void {
  if (!reply.sent) reply.hijack()
  writeError(reply.raw, code, message, route, status)
}
