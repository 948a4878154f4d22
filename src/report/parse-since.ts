import { StranglerError } from '../errors.js'

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i

/**
 * `--since`: a duration back from `now` (`90s`, `15m`, `1h`, `7d`, `500ms`)
 * or an ISO 8601 time (`2026-11-21`, `2026-11-21T10:00:00Z`; without a zone,
 * local time). Throws a USAGE StranglerError naming the accepted forms.
 */
export function parseSince (value: string, now: Date = new Date()): Date {
  const v = value.trim()
  const d = DURATION.exec(v)
  if (d !== null) return new Date(now.getTime() - Number(d[1]) * UNIT_MS[d[2]!]!)
  if (ISO.test(v) && validDay(v)) {
    const t = Date.parse(v)
    if (Number.isFinite(t)) return new Date(t)
  }
  throw new StranglerError('USAGE', `--since ${JSON.stringify(value)} is neither a duration (e.g. 30m, 1h, 7d; units ms, s, m, h, d) nor an ISO time (e.g. 2026-11-21T10:00:00Z)`)
}

/** Date.parse rolls 2026-02-30 over to March 2; a day past the month's end is refused instead. */
function validDay (iso: string): boolean {
  const y = Number(iso.slice(0, 4))
  const m = Number(iso.slice(5, 7))
  const d = Number(iso.slice(8, 10))
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate()
}
