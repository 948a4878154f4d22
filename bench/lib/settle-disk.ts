import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'

/**
 * Before the next candidate is measured: write back every dirty page
 * (`sync`) and, where allowed (root), drop the clean page cache. Candidates
 * that record (strangler's store and access log, the naive shadow's record
 * file) leave hundreds of megabytes behind them; the kernel writes them
 * back, and on this VM a reclaim thread (kdamond) then works through the
 * cache, both seconds later, landing in whoever runs next (measured: the
 * stalled candidate run right after the shadow one lost about 10% of its
 * throughput to it).
 */
export function settleDisk (): void {
  try {
    execFileSync('sync', [], { stdio: 'ignore', timeout: 30_000 })
  } catch {
    // no sync(1): measure anyway
  }
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '1')
  } catch {
    // not root, or no /proc: the written-back pages stay cached
  }
}
