import { StranglerError, type ErrorCode } from '../errors.js'

export interface ClassifiedError {
  readonly code: ErrorCode
  readonly status: number
  /** a short human reason, safe to show a client */
  readonly message: string
}

function codeOf (err: unknown): string {
  let e: unknown = err
  for (let depth = 0; depth < 4 && e !== null && typeof e === 'object'; depth++) {
    const c = (e as { code?: unknown }).code
    if (typeof c === 'string' && !c.startsWith('FST_')) return c
    if ((e as { name?: unknown }).name === 'HTTPParserError') return 'HPE_INVALID'
    e = (e as { cause?: unknown }).cause
  }
  return ''
}

/** The StranglerError in an error's cause chain (undici may wrap the reason a request was aborted with). */
function ownError (err: unknown): StranglerError | null {
  let e: unknown = err
  for (let depth = 0; depth < 4 && e !== null && typeof e === 'object'; depth++) {
    if (e instanceof StranglerError) return e
    e = (e as { cause?: unknown }).cause
  }
  return null
}

/**
 * Codes of an answer that is not valid HTTP: undici's parser and checks
 * (a status line it cannot take trips an internal assertion), and Node's
 * writeHead refusing a status or header the upstream sent.
 */
const BAD_RESPONSE: ReadonlySet<string> = new Set([
  'UND_ERR_INFO', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ERR_ASSERTION',
  'ERR_HTTP_INVALID_STATUS_CODE', 'ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN', 'ERR_HTTP_INVALID_HEADER_VALUE'
])

/** Map an error from forwarding to the proxy's own answer. */
export function classifyUpstreamError (err: unknown, upstream: string): ClassifiedError {
  // our own deadline and body limit are StranglerErrors carrying the code the client is answered with
  const own = ownError(err)
  if (own?.code === 'UPSTREAM_TIMEOUT') return { code: own.code, status: 504, message: `upstream "${upstream}" did not answer in time` }
  if (own?.code === 'BODY_TOO_LARGE') return { code: own.code, status: 413, message: 'request body is larger than limits.requestBody' }
  const code = codeOf(err)
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { code: 'UPSTREAM_TIMEOUT', status: 504, message: `upstream "${upstream}" did not answer in time` }
  }
  if (code.startsWith('HPE_') || BAD_RESPONSE.has(code)) {
    return { code: 'UPSTREAM_BAD_RESPONSE', status: 502, message: `upstream "${upstream}" answered invalid HTTP` }
  }
  if (code === 'ECONNREFUSED') {
    return { code: 'UPSTREAM_UNREACHABLE', status: 502, message: `upstream "${upstream}" refused the connection` }
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return { code: 'UPSTREAM_UNREACHABLE', status: 502, message: `upstream "${upstream}" reset the connection` }
  }
  return { code: 'UPSTREAM_UNREACHABLE', status: 502, message: `upstream "${upstream}" could not be reached${code ? ` (${code})` : ''}` }
}
