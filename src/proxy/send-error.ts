import type { FastifyReply } from 'fastify'
import { ERROR_CODES, type ErrorCode, type ProxyErrorBody } from '../errors.js'

/** Answer with the proxy's own JSON error: { error, message, route }. */
export function sendError (reply: FastifyReply, code: ErrorCode, message: string, route: string | null, status?: number): void {
  const body: ProxyErrorBody = { error: code, message, route }
  reply
    .code(status ?? ERROR_CODES[code].status ?? 500)
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(JSON.stringify(body))
}
