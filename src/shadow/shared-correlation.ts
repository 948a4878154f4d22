/**
 * Learned correlation shared across a fleet of proxies (`serve --correlation
 * redis://…`): what one process learns, the others can apply. The local
 * `Correlation` stays the map mirrors read; this layer only writes to it
 * (adopt) and never delays a client: a store that is down or slow means
 * local-only, counted.
 */
import type { LearnedPair, LearnedValue } from '../compare/learn-pairs.js'
import type { SharedCorrelationCounts } from '../metrics/metrics.js'
import type { Correlation } from './correlation.js'

export interface SharedCorrelation {
  /** this process's id in the fleet: in its announcements and its connections' names */
  readonly instance: string
  /** Pairs this process just learned: handed to the fleet (never throws, never waits). */
  learned (pairs: readonly LearnedPair[]): void
  /**
   * A primary answer here holds these values (string form) at learn paths:
   * their pairs are being learned, for at most `forMs`. The fleet is told, so
   * that another proxy's mirror carrying one of them waits for the pair
   * instead of going out uncorrelated (never throws, never waits). Optional:
   * a fleet that cannot announce leaves mirrors to the lookup alone.
   */
  learning? (values: readonly string[], forMs: number): void
  /**
   * Before a mirror is correlated: the fleet's pairs for the tokens it carries
   * that `corr` does not hold are adopted into `corr`, then `go` runs, once
   * (synchronously when there was nothing to ask, else within the lookup
   * timeout, whatever the store does). A token that another proxy announced
   * as being learned is waited for, at most `waitMs` (default: not waited).
   */
  resolve (tokens: readonly string[], corr: Correlation, maxEntries: number, go: () => void, waitMs?: number): void
  /** For comparisons: a pair another proxy announced, adopted into `corr` (synchronous, no store round trip). */
  lookup (primary: string, corr: Correlation, maxEntries: number): LearnedValue | undefined
  stats (): SharedCorrelationCounts
  /** Resolves true once the store is connected, false after `timeoutMs` without it (the proxy starts anyway). */
  ready (timeoutMs: number): Promise<boolean>
  /** Close the store's connections. */
  close (): Promise<void>
}
