import { StranglerError } from '../errors.js'

const UNIT_BYTES: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }
const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*(b|kb|mb|gb)?$/

/**
 * A size of the rules file in bytes: an integer is bytes; `512b`, `64kb`, `1mb`, `1.5gb`
 * (1024-based, case-insensitive). Fractions round to the nearest byte.
 */
export function parseSize (s: string | number): number {
  if (typeof s === 'number') {
    if (Number.isSafeInteger(s) && s >= 0) return s
    throw new StranglerError('RULES_BAD_SIZE', `bad size ${s}: a number is a count of bytes, so a whole number of 0 or more; or write a unit, e.g. 512kb or 1mb`)
  }
  const m = SIZE.exec(String(s).trim().toLowerCase())
  if (m === null) {
    throw new StranglerError('RULES_BAD_SIZE', `bad size ${JSON.stringify(s)}: write a number of bytes or a number with a unit of b, kb, mb or gb, e.g. 512kb or 1mb`)
  }
  if (m[2] === undefined && m[1]!.includes('.')) {
    throw new StranglerError('RULES_BAD_SIZE', `bad size ${JSON.stringify(s)}: a number without a unit is bytes, so a whole number; or write a unit, e.g. 1.5mb`)
  }
  const bytes = Math.round(Number(m[1]) * UNIT_BYTES[m[2] ?? 'b']!)
  if (!Number.isSafeInteger(bytes)) {
    throw new StranglerError('RULES_BAD_SIZE', `size ${JSON.stringify(s)} is too large`)
  }
  return bytes
}
