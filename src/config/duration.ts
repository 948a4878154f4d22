import { StranglerError } from '../errors.js'

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const DURATION = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)$/

/**
 * A duration of the rules file in milliseconds: `500ms`, `5s`, `1.5s`, `2m`, `1h`.
 * A bare number is refused: the unit is never guessed.
 */
export function parseDuration (s: string): number {
  const text = String(s).trim()
  if (/^-?\d+(?:\.\d+)?$/.test(text)) {
    throw new StranglerError('RULES_BAD_DURATION', `duration ${JSON.stringify(s)} has no unit: use a unit, e.g. 5s or 500ms`)
  }
  if (text.startsWith('-')) {
    throw new StranglerError('RULES_BAD_DURATION', `duration ${JSON.stringify(s)} is negative`)
  }
  const m = DURATION.exec(text.toLowerCase())
  if (m === null) {
    throw new StranglerError('RULES_BAD_DURATION', `bad duration ${JSON.stringify(s)}: write a number and one unit of ms, s, m or h, e.g. 5s, 1.5s or 500ms`)
  }
  return Number(m[1]) * UNIT_MS[m[2]!]!
}

/** A duration in milliseconds the way the rules file writes it: `24h`, `30m`, `90s`, `250ms` (the largest unit that divides it). */
export function formatDuration (ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}
