import type { FastifyReply } from 'fastify'
import { ERROR_CODES, type ErrorCode, type ProxyErrorBody } from '../errors.js'

/** Answer with the proxy's error JSON ({ error, message, route: null }) and the code's status. */
export function sendAdminError (reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  const body: ProxyErrorBody = { error: code, message, route: null }
  reply.code(ERROR_CODES[code].status ?? 500).header('cache-control', 'no-store')
  if (code === 'ADMIN_UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="strangler admin"')
  return reply.send(body)
}
