import { expect, it } from 'vitest'
import { Correlation } from '../../src/shadow/correlation.js'
import { learnValues } from '../../src/compare/learn-pairs.js'

it('a mirror waits only for answers that hold one of its tokens at a learn path', () => {
  const corr = new Correlation()
  const body = { article: { id: 7, slug: 'how-to', count: 1000, title: 'items' } }
  const created = corr.track(learnValues(body, ['$.article.id', '$.article.slug']))
  expect(corr.pendingFor(['7'])).toEqual([created])            // a one-digit id, freshly created
  expect(corr.pendingFor(['how-to'])).toEqual([created])
  expect(corr.pendingFor(['1000'])).toEqual([])                // in the body, not at a learn path
  expect(corr.pendingFor(['items', 'article'])).toEqual([])    // words of the body are not values being learned
  corr.finish(created)
  expect(corr.pendingFor(['7'])).toEqual([])
  expect(corr.learning).toBe(0)
})
