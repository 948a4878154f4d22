import type { Difference } from './difference.js'

/** What comparing one primary/shadow pair gives. */
export interface CompareResult {
  readonly outcome: 'match' | 'mismatch'
  readonly differences: readonly Difference[]
  /** true when more differences existed than were recorded (see DEFAULT_MAX_DIFFERENCES) */
  readonly truncated: boolean
}
