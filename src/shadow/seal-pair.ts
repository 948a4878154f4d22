/**
 * A learned pair as the fleet stores it (README "Learned correlation",
 * "Shared across a fleet"): found by the SHA-256 of the primary value, and
 * sealed with AES-256-GCM under a key derived from the primary value (HKDF),
 * so what Redis holds names no value and can be read only by a process that
 * holds the primary value itself (a mirror carrying it).
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import type { LearnedEntry } from './correlation.js'

const SALT = Buffer.from('strangler learned correlation')
const INFO = Buffer.from('pair v1')
const IV_BYTES = 12
const TAG_BYTES = 16

/** The fleet's name of a primary value (its string form): hex SHA-256. */
export function pairHash (primary: string): string {
  return createHash('sha256').update(primary, 'utf8').digest('hex')
}

function keyOf (primary: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(primary, 'utf8'), SALT, INFO, 32))
}

/** base64url(iv | tag | AES-256-GCM(JSON {s, n})), bound to `hash` (additional data). */
export function sealEntry (primary: string, hash: string, entry: LearnedEntry): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', keyOf(primary), iv)
  cipher.setAAD(Buffer.from(hash))
  const body = Buffer.concat([cipher.update(JSON.stringify({ s: entry.shadow, n: entry.primaryIsNumber }), 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
}

/** The entry sealed for `primary`, or null when it is not (another key, tampered, malformed). */
export function openEntry (primary: string, hash: string, sealed: string): LearnedEntry | null {
  const raw = Buffer.from(sealed, 'base64url')
  if (raw.length <= IV_BYTES + TAG_BYTES) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(primary), raw.subarray(0, IV_BYTES))
    decipher.setAAD(Buffer.from(hash))
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
    const v = JSON.parse(text) as { s?: unknown; n?: unknown }
    if ((typeof v.s !== 'string' && typeof v.s !== 'number') || typeof v.n !== 'boolean') return null
    return { shadow: v.s, primaryIsNumber: v.n }
  } catch {
    return null
  }
}
