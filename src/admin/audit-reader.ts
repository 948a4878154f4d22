import type { Logger } from 'pino'
import { lastFlips, type LastFlip } from '../report/last-flip.js'
import type { AuditEntry } from '../store/audit-entry.js'

/**
 * The routes' last flips for GET /routes, read from the audit log through
 * the Store when /routes is asked (never watched, never held between
 * requests): requests that arrive while a read is under way share it, and a
 * read keeps one entry per route name. A log that cannot be read is logged
 * and answers no flips, never an error.
 */
export class AuditReader {
  readonly #read: () => AsyncIterable<AuditEntry>
  readonly #logger: Logger
  #inFlight: Promise<ReadonlyMap<string, LastFlip>> | null = null

  constructor (read: () => AsyncIterable<AuditEntry>, logger: Logger) {
    this.#read = read
    this.#logger = logger
  }

  async lastFlips (): Promise<ReadonlyMap<string, LastFlip>> {
    if (this.#inFlight === null) {
      this.#inFlight = lastFlips(this.#read())
        .catch((err: unknown) => {
          this.#logger.warn({ err }, 'audit log could not be read: /routes shows no last flips')
          return new Map<string, LastFlip>()
        })
        .finally(() => { this.#inFlight = null })
    }
    return await this.#inFlight
  }
}
