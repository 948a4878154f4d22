import { StranglerError } from '../errors.js'
import { NdjsonStore } from './ndjson-store.js'
import { PostgresStore } from './postgres-store.js'
import type { StoreErrorSink } from './store.js'

export interface OpenStoreOptions {
  /** where write failures and drops go (serve logs and counts them); readers may leave it out */
  readonly onError?: StoreErrorSink
}

/** A store opened from a `--store` value: either engine, both able to say whether they can be written now. */
export type OpenedStore = NdjsonStore | PostgresStore

/** `scheme://` at the start of a --store value: a database, not a folder */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i
const POSTGRES = /^postgres(ql)?:\/\//i

/** Whether a `--store` value names a database (PostgreSQL), not a folder. */
export function isDatabaseUrl (location: string): boolean {
  return POSTGRES.test(location)
}

/**
 * Opens the store a `--store` value names. Every command that reads or
 * writes records goes through here and then only through the `Store`
 * interface. A folder (or `file://` URL) is NDJSON files (the embedded
 * default, created on first write); a `postgres://` or `postgresql://` URL
 * is a PostgreSQL database (tables made on first use); any other
 * `scheme://` value is refused with a USAGE error naming the scheme.
 */
export function openStore (location: string, opts: OpenStoreOptions = {}): OpenedStore {
  const onError = opts.onError ?? (() => {})
  if (isDatabaseUrl(location)) return new PostgresStore({ url: location, onError })
  const scheme = URL_LIKE.exec(location)
  if (scheme !== null && !location.toLowerCase().startsWith('file://')) {
    const name = location.slice(0, location.indexOf(':'))
    throw new StranglerError('USAGE', `--store ${name}://… is not a store this version can open; give a folder (NDJSON files) or a postgres:// URL`)
  }
  const dir = location.toLowerCase().startsWith('file://') ? new URL(location).pathname : location
  return new NdjsonStore({ dir, onError })
}
