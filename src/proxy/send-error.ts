import { STATUS_CODES, type OutgoingHttpHeaders, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyReply } from 'fastify'
import { ERROR_CODES, type ErrorCode, type ProxyErrorBody } from '../errors.js'
import { closeIfDraining } from './draining.js'

function errorText (code: ErrorCode, message: string, route: string | null): string {
  const body: ProxyErrorBody = { error: code, message, route }
  return JSON.stringify(body)
}

/**
 * Answer with the proxy's own JSON error: { error, message, route }. When
 * the response has already started (its headers went out), the connection
 * is closed instead, so the client sees a broken response, never a wrong one.
 */
export function writeError (res: ServerResponse, code: ErrorCode, message: string, route: string | null, status?: number, extra?: OutgoingHttpHeaders): void {
  if (res.destroyed) return
  if (res.headersSent) {
    res.destroy()
    return
  }
  const text = errorText(code, message, route)
  closeIfDraining(res)
  res.writeHead(status ?? ERROR_CODES[code].status ?? 500, {
    ...extra,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** writeError for a fastify reply: fastify leaves the response to us. */
export function sendError (reply: FastifyReply, code: ErrorCode, message: string, route: string | null, status?: number, extra?: OutgoingHttpHeaders): void {
  if (!reply.sent) reply.hijack()
  writeError(reply.raw, code, message, route, status, extra)
}

/**
 * writeError on a bare socket, for answers given outside any request (a
 * parse error, a header timeout, CONNECT, an Upgrade): the JSON error with
 * `Connection: close`, then the connection ends. `destroy` closes it at once
 * (what Node does for a client error); otherwise what the client still
 * sends is read and dropped while the answer goes out (closing a socket with
 * unread bytes resets it, and the reset can discard the answer at the
 * client), and the socket is destroyed after `lingerMs` at the latest.
 */
export function writeRawError (socket: Duplex, code: ErrorCode, message: string, route: string | null, how: 'destroy' | { lingerMs: number }, extraHead = ''): void {
  if (socket.destroyed) return
  const status = ERROR_CODES[code].status ?? 500
  const text = errorText(code, message, route)
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n` +
    `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n${extraHead}\r\n`
  if (how === 'destroy') {
    if (socket.writable) socket.write(head + text)
    socket.destroy()
    return
  }
  socket.on('error', () => socket.destroy())
  socket.resume()
  socket.end(head + text)
  setTimeout(() => socket.destroy(), how.lingerMs).unref()
}
