/**
 * The `--correlation` address: `redis://[user:password@]host[:port][/db]`
 * (or `rediss://` for TLS). Its password is never shown: every message
 * names the address by its redacted form.
 */
import { StranglerError } from '../errors.js'
import { redactUrl } from '../store/redact-url.js'

export interface RedisAddress {
  /** the address as given, to connect with */
  readonly url: string
  /** the address with any password replaced by `***`, for logs and errors */
  readonly shown: string
}

/** The address with its password masked (as a `--store` URL is); a string without a scheme comes back as `[unparsable address]`. */
export function redactRedisUrl (url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? redactUrl(url) : '[unparsable address]'
}

/** Check a `--correlation` address; USAGE naming the flag and the (redacted) value when it is not one. */
export function parseRedisUrl (url: string, flag = '--correlation'): RedisAddress {
  const shown = redactRedisUrl(url)
  let u: URL
  try { u = new URL(url) } catch {
    throw new StranglerError('USAGE', `${flag}: not a URL (${shown}); expected redis://host:port[/db]`)
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new StranglerError('USAGE', `${flag}: ${shown} is a ${u.protocol.replace(/:$/, '')} address; expected redis://host:port[/db] or rediss://`)
  }
  if (u.hostname === '') throw new StranglerError('USAGE', `${flag}: ${shown} names no host; expected redis://host:port[/db]`)
  const db = u.pathname.replace(/^\//, '')
  if (db !== '' && !/^\d{1,2}$/.test(db)) {
    throw new StranglerError('USAGE', `${flag}: ${shown}: the database "/${db}" is not a number (redis://host:port/0)`)
  }
  return { url, shown }
}
