/** How many shadow answers over maxBodyBytes in a row start a backoff. */
export const OVERSIZE_STRIKES = 3
const FIRST_DELAY_MS = 1_000
const MAX_DELAY_MS = 60_000

interface Circuit {
  /** shadow answers over the cap in a row */
  strikes: number
  /** the current backoff (doubles each time a probe is over the cap again) */
  delay: number
  /** no mirror before this time (0: not backing off) */
  until: number
  /** after `until`, one mirror at a time goes as a probe */
  probing: boolean
}

/** What begin() allows: mirror (a probe or not), or skip. */
export type OversizeVerdict = 'send' | 'probe' | 'skip'

/**
 * Stops mirroring a route whose shadow keeps answering over
 * `shadow.maxBodyBytes`: such answers are never compared, yet each costs
 * reading up to the cap (a never-ending body costs that on every request).
 * After OVERSIZE_STRIKES in a row, the route's mirrors to that shadow are
 * skipped for 1 s; then one probe goes; a probe over the cap again doubles
 * the pause (up to 60 s), any other answer ends it. Keyed by route and shadow
 * upstream; the clock is injected for tests.
 */
export class OversizeBackoff {
  private readonly circuits = new Map<string, Circuit>()
  private readonly now: () => number

  constructor (now: () => number = Date.now) {
    this.now = now
  }

  /** may a mirror of `route` go to `shadow` now? */
  check (route: string, shadow: string): OversizeVerdict {
    const c = this.circuits.get(key(route, shadow))
    if (c === undefined || c.until === 0) return 'send'
    if (this.now() < c.until || c.probing) return 'skip'
    c.probing = true
    return 'probe'
  }

  /** a mirror sent with `verdict` settled; `oversize`: its answer was over maxBodyBytes */
  settled (route: string, shadow: string, verdict: OversizeVerdict, oversize: boolean): void {
    const k = key(route, shadow)
    if (!oversize) {
      // a probe, or any mirror, answered within the cap: the route is mirrored as usual
      if (verdict === 'probe' || this.circuits.get(k)?.until === 0) this.circuits.delete(k)
      return
    }
    let c = this.circuits.get(k)
    if (c === undefined) {
      c = { strikes: 0, delay: FIRST_DELAY_MS, until: 0, probing: false }
      this.circuits.set(k, c)
    }
    c.strikes++
    if (verdict === 'probe') {
      c.delay = Math.min(c.delay * 2, MAX_DELAY_MS)
      c.until = this.now() + c.delay
      c.probing = false
    } else if (c.until === 0 && c.strikes >= OVERSIZE_STRIKES) {
      c.until = this.now() + c.delay
    }
  }

  /** is `route` backing off from `shadow` now (a mirror still reading from it may stop)? */
  backingOff (route: string, shadow: string): boolean {
    const c = this.circuits.get(key(route, shadow))
    return c !== undefined && c.until !== 0
  }

  /** a mirror begun with `verdict` was never sent (its request was cancelled first): a probe's turn passes on */
  dropped (route: string, shadow: string, verdict: OversizeVerdict): void {
    if (verdict !== 'probe') return
    const c = this.circuits.get(key(route, shadow))
    if (c !== undefined) c.probing = false
  }

}

function key (route: string, shadow: string): string {
  return `${route}\u0000${shadow}`
}
