/**
 * Every stable error code strangler emits, in one place. Codes appear in the
 * JSON the proxy answers with, in `check` output and in logs; users script
 * against them, so a code never changes meaning. test/errors.test.ts keeps
 * README.md's table in step with this list.
 */

export interface ErrorCodeInfo {
  /** HTTP status when the proxy answers with this code, else null */
  readonly status: number | null
  readonly description: string
}

export const ERROR_CODES = {
  // answered to clients by the proxy
  PATH_REJECTED: { status: 400, description: 'The request path has a dot segment (also with a parameter, ..;), an encoded slash or backslash, a backslash, a NUL, a double encoding (%252e) or a Unicode lookalike of a dot or slash; it is never forwarded.' },
  BODY_TOO_LARGE: { status: 413, description: 'The request body is larger than limits.requestBody (with Expect: 100-continue, answered before the body is sent).' },
  HEADERS_TOO_LARGE: { status: 431, description: 'The request has more than 1000 header fields or more than 16 KB of headers; nothing is forwarded.' },
  HOST_INVALID: { status: 400, description: 'An HTTP/1.1 request without a Host header, or a request with more than one; nothing is forwarded.' },
  HTTP_VERSION_UNSUPPORTED: { status: 505, description: 'The request line names no HTTP version (HTTP/0.9) or one other than 1.0 and 1.1 (HTTP/2.0 over a plain connection, say).' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'TRACE, CONNECT or another method strangler does not forward, or an Upgrade request that is not a GET.' },
  REQUEST_MALFORMED: { status: 400, description: 'The request is not valid HTTP/1.1 (a bad request line, header or chunk); the connection is closed.' },
  CLIENT_TIMEOUT: { status: 408, description: 'The client did not send the headers of a request within limits.headersTimeout; the connection is closed and counted.' },
  UPSTREAM_UNREACHABLE: { status: 502, description: 'The upstream refused the connection, reset it, or could not be reached.' },
  UPSTREAM_BAD_RESPONSE: { status: 502, description: 'The upstream answered something that is not valid HTTP.' },
  UPSTREAM_TIMEOUT: { status: 504, description: "The upstream did not answer within its timeout." },
  PROXY_INTERNAL: { status: 500, description: 'An unexpected error inside strangler.' },
  CLIENT_GONE: { status: null, description: 'The client closed its connection before its answer was complete; the upstream request is aborted and nothing more is sent.' },

  // rules file problems (strangler check, hot reload)
  RULES_INVALID: { status: null, description: 'The rules file has errors: the proxy does not start with it, and a reload keeps the running rules.' },
  RULES_READ: { status: null, description: 'The rules file cannot be read.' },
  RULES_SYNTAX: { status: null, description: 'The rules file is not valid YAML or JSON.' },
  RULES_UNKNOWN_KEY: { status: null, description: 'A key that the rules file does not have (often a typo).' },
  RULES_INVALID_VALUE: { status: null, description: 'A value of the wrong type or out of range.' },
  RULES_MISSING_KEY: { status: null, description: 'A required key is missing.' },
  RULES_UNKNOWN_UPSTREAM: { status: null, description: 'A route names an upstream that is not under upstreams.' },
  RULES_BAD_PATH_PATTERN: { status: null, description: 'A match.path pattern that cannot be parsed.' },
  RULES_BAD_JSON_PATH: { status: null, description: 'A JSON path outside the supported subset.' },
  RULES_BAD_DURATION: { status: null, description: 'A duration without a unit of ms, s, m or h.' },
  RULES_BAD_SIZE: { status: null, description: 'A size that is not a number of bytes, kb, mb or gb.' },
  RULES_UNSET_ENV: { status: null, description: 'A ${NAME} in the rules file names an environment variable that is not set.' },
  RULES_BAD_WEIGHTS: { status: null, description: 'serve weights that are not positive numbers.' },
  RULES_UNKNOWN_ROUTE: { status: null, description: 'A key names a route that is not under routes (e.g. correlate.routes).' },
  RULES_DUPLICATE_ROUTE: { status: null, description: 'Two routes with the same name.' },
  RULES_UNREACHABLE_ROUTE: { status: null, description: 'Warning: an earlier route matches every request this one would.' },
  RULES_SHADOW_SELF: { status: null, description: 'Warning: a route shadows to the only upstream it serves, so nothing is ever mirrored.' },
  RULES_UNKNOWN_METHOD: { status: null, description: 'match.method names a method the proxy does not forward (a typo such as GTE, or TRACE, CONNECT, an extension method).' },
  RULES_STICKY_UNUSED: { status: null, description: 'Warning: sticky on a route whose serve names one upstream; stickiness only chooses among weights.' },
  RULES_SHADOW_WRITES_UNUSED: { status: null, description: 'Warning: shadowWrites: true on a route without shadow; nothing is mirrored.' },
  RULES_DOUBLED_PREFIX: { status: null, description: "Warning: an upstream's url ends with the segment its routes' paths start with, so requests are forwarded with it twice (/v1/v1/...)." },

  // OpenAPI
  SPEC_READ: { status: null, description: 'The OpenAPI file cannot be read or parsed.' },
  SPEC_INVALID: { status: null, description: 'The OpenAPI document fails validation.' },
  SPEC_REF_REFUSED: { status: null, description: 'A $ref points outside the spec folder or to the network; it is never read.' },
  SPEC_ROUTE_NO_OPERATION: { status: null, description: 'Warning: a route matches no operation of the spec.' },
  SPEC_OPERATION_DEFAULT_ONLY: { status: null, description: 'Warning: an operation matched by no route, served only by the default upstream.' },

  // shadow comparisons (logged and counted as skips; never sent to a client)
  COMPARE_QUEUE_FULL: { status: null, description: 'Too many comparisons pending; the pair is skipped (compare-busy).' },
  COMPARE_WORKER_CRASHED: { status: null, description: 'The compare worker died during a comparison; it is restarted and the pair skipped (compare-error).' },
  COMPARE_TIMEOUT: { status: null, description: 'A comparison ran past its time limit in the worker; the pair is skipped (compare-error).' },
  COMPARE_POOL_CLOSED: { status: null, description: 'The proxy was shutting down before the comparison ran.' },
  COMPARE_FAILED: { status: null, description: 'The comparison itself failed (a bug); the pair is skipped (compare-error).' },

  // admin listener (answered with the proxy's error JSON, route null)
  ADMIN_HOST_REFUSED: { status: 403, description: 'The Host header names none of the admin listener\'s own addresses (localhost, 127.0.0.1, [::1], the address it is bound to): a guard against DNS rebinding.' },
  ADMIN_ORIGIN_REFUSED: { status: 403, description: 'The request came from a web page of another origin (an Origin header other than the admin listener\'s own).' },
  ADMIN_UNAUTHORIZED: { status: 401, description: 'The admin token is set and the request did not carry it as Authorization: Bearer TOKEN.' },
  ADMIN_CONTENT_TYPE: { status: 415, description: 'A write to the admin listener with a body or a content-type other than application/json.' },
  ADMIN_NOT_FOUND: { status: 404, description: 'No admin endpoint has this method and path.' },
  ADMIN_BAD_REQUEST: { status: 400, description: 'A request the admin listener cannot read (malformed, or a body over 64 KB).' },

  // serve start
  LISTEN_FAILED: { status: null, description: 'The proxy or the admin listener cannot listen (port taken, not permitted, or --admin-port equal to --port); serve exits 1 and leaves nothing running.' },
  STORE_UNWRITABLE: { status: null, description: 'The diff store (a folder, or a PostgreSQL database) cannot be created or written; serve exits 1 without listening.' },

  // flips: promote, rollback, rollout (the rules file edited in place, the audit log)
  PROMOTE_UNKNOWN_ROUTE: { status: null, description: 'promote or rollback names a route the rules file does not have; close names are suggested.' },
  PROMOTE_GATE_FAILED: { status: null, description: 'A flip that sends more traffic to the new side, or ends verifying, is refused: a gate (minPairs, parity, maxShadowErrors) does not hold over its window. --force --reason goes past it.' },
  PROMOTE_NO_NEXT_STAGE: { status: null, description: 'The route is verifying, the last stage: promote has no next stage for it (--to migrated ends the reverse shadow).' },
  PROMOTE_SAME_STAGE: { status: null, description: 'promote would leave the route as it is (--to its own stage, --weight its own weight).' },
  PROMOTE_NO_NEW_SIDE: { status: null, description: "promote cannot tell which upstream is the new side: the route's weights name more than one upstream besides the legacy one, or --shadow names another than the route's." },
  RULES_EDIT_INVALID: { status: null, description: 'A flip would make the rules file invalid; the file is left as it was.' },
  RULES_CHANGED_MEANWHILE: { status: null, description: 'The rules file changed between reading it and writing the flip (someone edited it meanwhile); nothing was written.' },
  RULES_WRITE_FAILED: { status: null, description: 'The rules file could not be replaced (permissions, a full disk); it is left as it was and nothing was audited.' },
  AUDIT_UNWRITABLE: { status: null, description: 'The rules file was changed (the flip is in effect) but its audit line could not be written; the entry is printed to add by hand.' },
  ROLLBACK_NOTHING: { status: null, description: 'The audit log has no flip of the route, in this rules file, left to roll back.' },
  ROLLBACK_ROUTE_EDITED: { status: null, description: 'The route was edited since the flip being rolled back (it differs from what the flip left); rollback refuses unless --force --reason.' },

  // CLI
  USAGE: { status: null, description: 'Bad command-line usage: unknown command or flag, missing required flag, unknown --format.' }
} as const satisfies Record<string, ErrorCodeInfo>

export type ErrorCode = keyof typeof ERROR_CODES

/** An error carrying a stable code. */
export class StranglerError extends Error {
  readonly code: ErrorCode
  constructor (code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StranglerError'
    this.code = code
  }
}

/** The JSON body of a response the proxy answers itself. */
export interface ProxyErrorBody {
  readonly error: ErrorCode
  readonly message: string
  readonly route: string | null
}
