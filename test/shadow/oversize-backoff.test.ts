import { describe, expect, it } from 'vitest'
import { OVERSIZE_STRIKES, OversizeBackoff } from '../../src/shadow/oversize-backoff.js'

function clock (): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000
  return { now: () => t, advance: (ms) => { t += ms } }
}

describe('the oversize backoff (a shadow that keeps answering over maxBodyBytes)', () => {
  it('mirrors as usual until the shadow answers over the cap 3 times in a row, then skips for 1 s', () => {
    const c = clock()
    const b = new OversizeBackoff(c.now)
    for (let i = 0; i < OVERSIZE_STRIKES - 1; i++) b.settled('export', 'orders', 'send', true)
    expect(b.check('export', 'orders')).toBe('send')
    b.settled('export', 'orders', 'send', true)
    expect(b.check('export', 'orders')).toBe('skip')
    expect(b.backingOff('export', 'orders')).toBe(true)
    // other routes, and the same route to another shadow, are not touched
    expect(b.check('items', 'orders')).toBe('send')
    expect(b.check('export', 'billing')).toBe('send')
    c.advance(999)
    expect(b.check('export', 'orders')).toBe('skip')
  })

  it('an answer within the cap between oversize ones resets the count', () => {
    const b = new OversizeBackoff(clock().now)
    b.settled('r', 's', 'send', true)
    b.settled('r', 's', 'send', true)
    b.settled('r', 's', 'send', false)
    b.settled('r', 's', 'send', true)
    b.settled('r', 's', 'send', true)
    expect(b.check('r', 's')).toBe('send')
  })

  it('after the pause one probe goes; over the cap again doubles the pause, up to 60 s', () => {
    const c = clock()
    const b = new OversizeBackoff(c.now)
    for (let i = 0; i < OVERSIZE_STRIKES; i++) b.settled('r', 's', 'send', true)
    const pauses: number[] = []
    for (let round = 0; round < 8; round++) {
      let waited = 0
      while (b.check('r', 's') === 'skip') { c.advance(100); waited += 100 }
      pauses.push(waited)
      // the probe is alone: the next request waits for its answer
      expect(b.check('r', 's')).toBe('skip')
      b.settled('r', 's', 'probe', true)
    }
    expect(pauses).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000])
  })

  it('a probe answered within the cap ends the backoff', () => {
    const c = clock()
    const b = new OversizeBackoff(c.now)
    for (let i = 0; i < OVERSIZE_STRIKES; i++) b.settled('r', 's', 'send', true)
    c.advance(1000)
    expect(b.check('r', 's')).toBe('probe')
    b.settled('r', 's', 'probe', false)
    expect(b.backingOff('r', 's')).toBe(false)
    expect(b.check('r', 's')).toBe('send')
  })

  it('a probe that was never sent (its request cancelled first) passes the turn to the next request', () => {
    const c = clock()
    const b = new OversizeBackoff(c.now)
    for (let i = 0; i < OVERSIZE_STRIKES; i++) b.settled('r', 's', 'send', true)
    c.advance(1000)
    expect(b.check('r', 's')).toBe('probe')
    b.dropped('r', 's', 'probe')
    expect(b.check('r', 's')).toBe('probe')
  })
})
