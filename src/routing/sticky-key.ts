import type { IncomingHttpHeaders } from 'node:http'
import type { StickyConfig } from '../config/types.js'

/** The value a sticky route hashes: a header, or one cookie of the Cookie header. */
export function stickyKey (sticky: StickyConfig, headers: IncomingHttpHeaders): string | null {
  if (sticky.from === 'header') {
    const v = headers[sticky.name]
    if (v === undefined) return null
    const s = Array.isArray(v) ? v[0] : v
    return s === undefined || s.length === 0 ? null : s
  }
  const cookie = headers.cookie
  if (!cookie) return null
  const want = sticky.name
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() === want) {
      const v = part.slice(eq + 1).trim()
      return v.length === 0 ? null : v
    }
  }
  return null
}
