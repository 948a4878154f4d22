import { isIP } from 'node:net'

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1'])
const WILDCARDS = new Set(['0.0.0.0', '::', ''])

/** `host[:port]` or `[v6][:port]` as a Host header gives it; null when it is neither. */
function splitHost (value: string): { name: string; port: string | null } | null {
  const v = value.trim().toLowerCase()
  if (v.startsWith('[')) {
    const end = v.indexOf(']')
    if (end < 0) return null
    const rest = v.slice(end + 1)
    if (rest !== '' && !rest.startsWith(':')) return null
    return { name: v.slice(1, end), port: rest === '' ? null : rest.slice(1) }
  }
  const colon = v.indexOf(':')
  if (colon < 0) return { name: v, port: null }
  if (v.indexOf(':', colon + 1) >= 0) return null // a bare IPv6 address: not a Host form
  return { name: v.slice(0, colon), port: v.slice(colon + 1) }
}

/**
 * Whether a Host header names the admin listener itself: localhost,
 * 127.0.0.1 or [::1], or the address it is bound to, with no port or its
 * own port. Bound to a wildcard (0.0.0.0, ::), any IP address of the machine
 * is its own. A name the listener does not know is refused: a page whose
 * DNS name was rebound to this machine sends its own name, never one of these.
 */
export function hostAllowed (host: string, boundHost: string, port: number): boolean {
  const h = splitHost(host)
  if (h === null || h.name === '') return false
  if (h.port !== null && (!/^\d{1,5}$/.test(h.port) || Number(h.port) !== port)) return false
  const bound = boundHost.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (LOOPBACK_NAMES.has(h.name) || h.name === bound) return true
  return WILDCARDS.has(bound) && isIP(h.name) !== 0
}
