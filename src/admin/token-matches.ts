import { createHash, timingSafeEqual } from 'node:crypto'

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/**
 * Whether an Authorization header carries `Bearer <token>`. The comparison
 * takes the same time whatever the guess (both sides are hashed to the same
 * length, then compared with timingSafeEqual).
 */
export function tokenMatches (authorization: string | undefined, token: string): boolean {
  const m = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '')
  const given = m === null ? '' : m[1]!
  const same = timingSafeEqual(digest(given), digest(token))
  return m !== null && same
}
