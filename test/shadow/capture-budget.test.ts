import { describe, expect, it } from 'vitest'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { CaptureBudget, type BudgetHolder } from '../../src/shadow/capture-budget.js'

/** A reader as the budget sees it: counts its wake-ups. */
function reader (): BudgetHolder & { woken: number } {
  const r = { woken: 0, wake () { r.woken++ } }
  return r
}

describe('the capture budget of mirror answers being read', () => {
  it('lets readers read while the total is within the limit', () => {
    const b = new CaptureBudget(100)
    const a = reader()
    const c = reader()
    expect(b.grow(a, 40)).toBe(true)
    expect(b.grow(c, 60)).toBe(true)
    expect(b.used).toBe(100)
    expect(b.paused).toBe(0)
  })

  it('past the limit, the first reader over it runs on to its end and the others pause', () => {
    const b = new CaptureBudget(100)
    const a = reader()
    const c = reader()
    const d = reader()
    expect(b.grow(a, 90)).toBe(true)
    expect(b.grow(c, 20)).toBe(true) // over: c becomes the runner
    expect(b.grow(a, 10)).toBe(false)
    expect(b.grow(d, 10)).toBe(false)
    expect(b.grow(c, 500)).toBe(true) // the runner reads on whatever the total
    expect(b.paused).toBe(2)
    expect(b.peak).toBe(630)
  })

  it('when the runner is done, the longest-paused reader becomes the runner on a later turn, never inside release()', async () => {
    const b = new CaptureBudget(100)
    const runner = reader()
    const first = reader()
    const second = reader()
    b.grow(runner, 150)
    expect(b.grow(first, 10)).toBe(false)
    expect(b.grow(second, 10)).toBe(false)
    b.release(runner, 150)
    expect(first.woken).toBe(0) // release() runs inside a reader's callbacks: nobody is resumed there
    await nextTurn()
    expect(first.woken).toBe(1)
    // with room (20 of 100 held), one more paused reader reads on per turn
    expect(second.woken).toBe(1)
    expect(b.grow(first, 500)).toBe(true) // first is the runner now
    expect(b.grow(second, 10)).toBe(false)
  })

  it('wakes one paused reader per turn while there is room, so a crowd cannot overshoot together', async () => {
    const b = new CaptureBudget(100)
    const runner = reader()
    const crowd = Array.from({ length: 5 }, reader)
    b.grow(runner, 101)
    for (const r of crowd) expect(b.grow(r, 0)).toBe(false)
    b.release(runner, 101)
    await nextTurn()
    // the first paused is the new runner, and one more was woken
    expect(crowd.map((r) => r.woken)).toEqual([1, 1, 0, 0, 0])
    await nextTurn()
    expect(crowd.map((r) => r.woken)).toEqual([1, 1, 1, 0, 0])
    // a woken reader that fills the room again stops the wake-ups
    expect(b.grow(crowd[2]!, 200)).toBe(false)
    await nextTurn()
    await nextTurn()
    expect(crowd.map((r) => r.woken)).toEqual([1, 1, 1, 0, 0])
  })

  it('a paused reader that ends (deadline, error) is no longer woken', async () => {
    const b = new CaptureBudget(10)
    const runner = reader()
    const gone = reader()
    b.grow(runner, 20)
    b.grow(gone, 5)
    b.release(gone, 5)
    b.release(runner, 20)
    await nextTurn()
    expect(gone.woken).toBe(0)
    expect(b.used).toBe(0)
    expect(b.paused).toBe(0)
  })
})
