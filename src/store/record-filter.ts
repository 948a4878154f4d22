import type { DiffRecord } from './record.js'
import type { ReadOptions } from './store.js'

/**
 * The exact test behind `ReadOptions`, shared by every store: `route` equal,
 * `at` at or after `since`. Kept pairs are filtered the same way. A record whose `at` does not parse never passes
 * a `since` filter.
 */
export function recordFilter (opts: ReadOptions = {}): (record: Pick<DiffRecord, 'route' | 'at'>) => boolean {
  const { route } = opts
  const sinceMs = opts.since?.getTime()
  if (sinceMs !== undefined && Number.isNaN(sinceMs)) throw new RangeError('ReadOptions.since is an invalid Date')
  return (record) => {
    if (route !== undefined && record.route !== route) return false
    if (sinceMs !== undefined && !(Date.parse(record.at) >= sinceMs)) return false
    return true
  }
}
