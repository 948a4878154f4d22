import type { ErrorCode } from '../errors.js'

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

/** Map an error from forwarding to the proxy's own answer. */
export function classifyUpstreamError (err: unknown, upstream: string): ClassifiedError {
  const code = codeOf(err)
  if (code === 'STRANGLER_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { code: 'UPSTREAM_TIMEOUT', status: 504, message: `upstream "${upstream}" did not answer in time` }
  }
  if (code === 'STRANGLER_BODY_TOO_LARGE') {
    return { code: 'BODY_TOO_LARGE', status: 413, message: 'request body is larger than limits.requestBody' }
  }
  if (code.startsWith('HPE_') || code === 'UND_ERR_INFO' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'FST_ERR_BAD_STATUS_CODE') {
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
