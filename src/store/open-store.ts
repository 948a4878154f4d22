import { StranglerError } from '../errors.js'
import { NdjsonStore } from './ndjson-store.js'
import type { StoreErrorSink } from './store.js'

export interface OpenStoreOptions {
  /** where write failures and drops go (serve logs and counts them); readers may leave it out */
  readonly onError?: StoreErrorSink
}

/** `scheme://` at the start of a --store value: a database, not a folder */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i

/**
 * Opens the store a `--store` value names. Every command that reads or
 * writes records goes through here and then only through the `Store`
 * interface. Today a value is a folder of NDJSON files (the embedded
 * default, created on first write); a `scheme://` value is refused with a
 * USAGE error naming the scheme.
 */
export function openStore (location: string, opts: OpenStoreOptions = {}): NdjsonStore {
  const scheme = URL_LIKE.exec(location)
  if (scheme !== null && !location.toLowerCase().startsWith('file://')) {
    const name = location.slice(0, location.indexOf(':'))
    throw new StranglerError('USAGE', `--store ${name}://… is not a store this version can open; give a folder (NDJSON files)`)
  }
  const dir = location.toLowerCase().startsWith('file://') ? new URL(location).pathname : location
  return new NdjsonStore({ dir, onError: opts.onError ?? (() => {}) })
}
