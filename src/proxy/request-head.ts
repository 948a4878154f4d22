import type { IncomingMessage } from 'node:http'
import type { ErrorCode } from '../errors.js'

/**
 * Header fields a request may have. Node's parser keeps at most its server's
 * maxHeadersCount and silently drops the rest (a dropped Transfer-Encoding
 * once sent an upstream an empty POST); the server is set to keep one more
 * than this, so a request over it is seen, and refused.
 */
export const MAX_HEADER_FIELDS = 1000

export interface HeadRefusal {
  readonly code: ErrorCode
  readonly message: string
}

const VERSION: HeadRefusal = { code: 'HTTP_VERSION_UNSUPPORTED', message: 'the request line must end with HTTP/1.1 or HTTP/1.0' }
const TOO_MANY: HeadRefusal = { code: 'HEADERS_TOO_LARGE', message: `the request has more than ${MAX_HEADER_FIELDS} header fields` }

/**
 * What makes a request unfit to forward before its path is even looked at:
 * an HTTP version other than 1.x (a version-less HTTP/0.9 line, HTTP/2.0),
 * or more header fields than MAX_HEADER_FIELDS. Null for a request that
 * passes: two comparisons, no allocation.
 */
export function refuseRequestHead (req: IncomingMessage): HeadRefusal | null {
  if (req.httpVersionMajor !== 1) return VERSION
  if (req.rawHeaders.length > MAX_HEADER_FIELDS * 2) return TOO_MANY
  return null
}
