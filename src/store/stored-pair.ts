/**
 * A kept pair (`shadow.keepPairs`): the request and both responses of one
 * compared exchange, redacted like its record, each body capped at
 * `shadow.maxBodyBytes`, stored beside the record under the record's id, so
 * pairs can be re-scored under new compare rules and shown later.
 */

/** A body as stored: decoded (content-encoding removed), UTF-8 text when it is, else base64. */
export interface StoredBody {
  readonly encoding: 'utf8' | 'base64'
  readonly data: string
  /** the body was longer than the cap: `data` holds its start only */
  readonly truncated?: true
}

export type StoredHeaders = Readonly<Record<string, string | readonly string[]>>

export interface StoredResponse {
  readonly upstream: string
  readonly status: number
  readonly headers: StoredHeaders
  readonly body: StoredBody | null
}

export interface StoredPair {
  readonly v: 1
  /** the id of the record this pair belongs to */
  readonly id: string
  /** as in the record */
  readonly at: string
  readonly route: string
  readonly request: {
    readonly method: string
    /** path and query as the client sent them, secrets redacted */
    readonly url: string
    readonly headers: StoredHeaders
    readonly body: StoredBody | null
  }
  readonly primary: StoredResponse
  readonly shadow: StoredResponse
}
