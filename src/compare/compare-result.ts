import type { PairDifference } from '../store/difference.js'
import type { LearnedPair } from './learn-pairs.js'

/** What comparing one primary/shadow pair gives. */
export interface CompareResult {
  readonly outcome: 'match' | 'mismatch'
  readonly differences: readonly PairDifference[]
  /** true when more differences existed than were recorded (see DEFAULT_MAX_DIFFERENCES) */
  readonly truncated: boolean
  /** correlation pairs read at the route's learn paths (primary value -> shadow value); absent when none */
  readonly learned?: readonly LearnedPair[]
}
