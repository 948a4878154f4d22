import { execFileSync } from 'node:child_process'

/**
 * Write back every dirty page now (`sync`), before the next candidate is
 * measured. Candidates that record (strangler's store and access log, the
 * naive shadow's record file) leave megabytes of dirty pages; the kernel
 * writes them back seconds later, which would otherwise land in whoever
 * runs next and slow it down (measured: the stalled candidate, run right
 * after the shadow one, lost 10-20% of its throughput to it).
 */
export function settleDisk (): void {
  try {
    execFileSync('sync', [], { stdio: 'ignore', timeout: 30_000 })
  } catch {
    // no sync(1): measure anyway
  }
}
