/** One side of an exchange as captured for comparison: status, headers, raw body (as on the wire). */
export interface CapturedResponse {
  readonly status: number
  /** as Node gives them (lower-case names); looked up case-insensitively anyway */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** null when there was no body (HEAD, 204, 304) */
  readonly body: Buffer | null
}
