/**
 * What a value looks like, for `strangler suggest`: made up by the side that
 * answered (a UUID, a random hex or base64 token, a request id), or a point
 * in time (ISO 8601, an HTTP date, epoch seconds or milliseconds). Only the
 * shape of one value is judged here; how often a path differs is the
 * analysis's business (suggest-rules.ts).
 */
import type { JsonValue } from '../config/types.js'

export type GeneratedKind = 'uuid' | 'ulid' | 'hex token' | 'base64 token' | 'request id'
export type TimestampKind = 'ISO 8601' | 'HTTP date' | 'epoch seconds' | 'epoch milliseconds'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/
const HEX = /^[0-9a-f]+$/i
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/
/** `req_…`, `req-…`, `trace:…`, `01.…`: a short name, a separator, then a token */
const PREFIXED = /^[A-Za-z][A-Za-z0-9]{0,15}[-_:.](.+)$/

/** 2000-01-01 to 2100-01-01: epoch numbers outside are counts or ids, not times */
const EPOCH_S_MIN = 946_684_800
const EPOCH_S_MAX = 4_102_444_800
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/

/** A random token of hex digits: 16 or more, letters and digits both (a run of digits is a number). */
function isHexToken (s: string): boolean {
  return s.length >= 16 && HEX.test(s) && /[0-9]/.test(s) && /[a-f]/i.test(s)
}

/** A random base64 (or base64url) token: 16 or more characters, lower case, upper case and digits mixed. */
function isBase64Token (s: string): boolean {
  return s.length >= 16 && BASE64.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s)
}

function tokenKind (s: string): GeneratedKind | null {
  if (UUID.test(s)) return 'uuid'
  if (ULID.test(s)) return 'ulid'
  if (isHexToken(s)) return 'hex token'
  if (isBase64Token(s)) return 'base64 token'
  return null
}

/** What a generated value is, or null when it does not look generated. */
export function generatedKind (v: JsonValue | undefined): GeneratedKind | null {
  if (typeof v !== 'string') return null
  const direct = tokenKind(v)
  if (direct !== null) return direct
  const m = PREFIXED.exec(v)
  if (m === null) return null
  // after a prefix a shorter token is enough: req_8f3a9c2e1b7d, req-Xk3p9QaZ2mWv
  const tail = m[1]!
  if (tokenKind(tail) !== null) return 'request id'
  if (tail.length >= 8 && HEX.test(tail) && /[0-9]/.test(tail) && /[a-f]/i.test(tail)) return 'request id'
  if (tail.length >= 10 && BASE64.test(tail) && /[A-Za-z]/.test(tail) && /[0-9]/.test(tail)) return 'request id'
  return null
}

function epochKind (n: number): TimestampKind | null {
  if (!Number.isFinite(n)) return null
  if (n >= EPOCH_S_MIN && n <= EPOCH_S_MAX) return 'epoch seconds'
  if (Number.isInteger(n) && n >= EPOCH_S_MIN * 1000 && n <= EPOCH_S_MAX * 1000) return 'epoch milliseconds'
  return null
}

/** What kind of timestamp a value is, or null when it is none. */
export function timestampKind (v: JsonValue | undefined): TimestampKind | null {
  if (typeof v === 'number') return epochKind(v)
  if (typeof v !== 'string') return null
  if (ISO.test(v)) return Number.isNaN(Date.parse(v.replace(' ', 'T').replace(',', '.'))) ? null : 'ISO 8601'
  if (HTTP_DATE.test(v)) return Number.isNaN(Date.parse(v)) ? null : 'HTTP date'
  if (/^\d{10,13}(?:\.\d+)?$/.test(v)) return epochKind(Number(v))
  return null
}
