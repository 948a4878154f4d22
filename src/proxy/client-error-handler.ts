import type { Duplex } from 'node:stream'
import type { Logger } from 'pino'
import type { ErrorCode } from '../errors.js'
import type { ClientTimeouts } from './client-timeouts.js'
import { writeRawError } from './send-error.js'

interface ClientSocket extends Duplex {
  /** the response in progress on this connection (Node's own field) */
  readonly _httpMessage?: { readonly headersSent: boolean } | null
}

/**
 * The http server's `clientError` listener: a request Node could not parse,
 * or whose headers did not arrive within limits.headersTimeout, is answered
 * with the proxy's JSON error (not fastify's nor Node's bare one) and its
 * connection closed. Header timeouts are counted and logged (ClientTimeouts).
 */
export function createClientErrorHandler (timeouts: ClientTimeouts, log: Logger) {
  return function clientErrorHandler (err: NodeJS.ErrnoException, socket: Duplex): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) {
      socket.destroy()
      return
    }
    const c = classify(err)
    if (c.code === 'CLIENT_TIMEOUT') timeouts.closed()
    else log.debug({ err }, 'client error')
    // a response already under way on this connection cannot be followed by another
    if ((socket as ClientSocket)._httpMessage?.headersSent === true) {
      socket.destroy()
      return
    }
    writeRawError(socket, c.code, c.message, null, 'destroy')
  }
}

function classify (err: NodeJS.ErrnoException): { code: ErrorCode; message: string } {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'CLIENT_TIMEOUT', message: 'the request headers were not complete within limits.headersTimeout' }
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'HEADERS_TOO_LARGE', message: 'the request headers are larger than 16 KB' }
    case 'HPE_INVALID_VERSION':
    case 'HPE_PAUSED_H2_UPGRADE':
      return { code: 'HTTP_VERSION_UNSUPPORTED', message: 'strangler speaks HTTP/1.0 and HTTP/1.1 on this port' }
    default:
      return { code: 'REQUEST_MALFORMED', message: `the request is not valid HTTP/1.1: ${(err as { reason?: string }).reason ?? err.message}` }
  }
}
