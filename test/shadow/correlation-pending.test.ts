import { expect, it } from 'vitest'
import { Correlation } from '../../src/shadow/correlation.js'

it('a mirror waits only for answers that carry one of its tokens as a whole value', () => {
  const corr = new Correlation()
  const created = corr.track(Buffer.from('{"article":{"id":7,"slug":"how-to","count":1000}}'))
  expect(corr.pendingFor(['7'])).toEqual([created])            // a one-digit id, freshly created
  expect(corr.pendingFor(['how-to'])).toEqual([created])
  expect(corr.pendingFor(['10'])).toEqual([])                  // inside 1000: not the value
  expect(corr.pendingFor(['how'])).toEqual([])                 // inside how-to
  expect(corr.pendingFor(['article'])).toEqual([created])      // a key is a whole word too: a bounded, spurious wait
  corr.finish(created)
  expect(corr.pendingFor(['7'])).toEqual([])
  expect(corr.learning).toBe(0)
})
