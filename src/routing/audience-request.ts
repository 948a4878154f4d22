import { parseQuery } from './parse-query.js'
import { requestHost } from './request-host.js'

/**
 * What audience conditions (`match.headers`, `match.query`, `match.host`) read
 * of one request. Made only when a route with conditions is a candidate, so a
 * request that meets none costs nothing; the host and the parsed query are
 * worked out at most once per request, on first use.
 */
export class AudienceRequest {
  /** the request's headers as received: [name, value, name, value, …], names as sent */
  readonly rawHeaders: readonly string[]
  /** the raw query string with its `?`, or '' */
  readonly rawQuery: string
  #host: string | null | undefined = undefined
  #query: ReadonlyMap<string, ReadonlyArray<string | null>> | undefined = undefined

  constructor (rawHeaders: readonly string[], rawQuery: string) {
    this.rawHeaders = rawHeaders
    this.rawQuery = rawQuery
  }

  /** lower case, no port (request-host.ts); null when the request has no Host header */
  host (): string | null {
    if (this.#host === undefined) this.#host = requestHost(this.rawHeaders)
    return this.#host
  }

  /** decoded query parameters (parse-query.ts), parsed on first use */
  query (): ReadonlyMap<string, ReadonlyArray<string | null>> {
    if (this.#query === undefined) this.#query = parseQuery(this.rawQuery)
    return this.#query
  }
}
