import { describe, expect, it } from 'vitest'
import { learnPairs } from '../../src/compare/learn-pairs.js'

describe('learnPairs: P -> S at the same concrete path of both answers', () => {
  it('a plain path learns the one pair it names', () => {
    const p = { user: { username: 'ada', token: 'p-tok' } }
    const s = { user: { username: 'ada', token: 's-tok' } }
    expect(learnPairs(p, s, ['$.user.token'])).toEqual([['p-tok', 's-tok']])
    // a path the pair does not use learns nothing; no paths at all learn nothing
    expect(learnPairs(p, s, ['$.user.id'])).toEqual([])
    expect(learnPairs(p, s, [])).toEqual([])
  })

  it('a wildcard pairs array elements by index, in document order', () => {
    const p = { articles: [{ slug: 'a' }, { slug: 'b' }, { slug: 'c' }] }
    const s = { articles: [{ slug: 'a-1' }, { slug: 'b-2' }, { slug: 'c-3' }] }
    expect(learnPairs(p, s, ['$.articles[*].slug'])).toEqual([['a', 'a-1'], ['b', 'b-2'], ['c', 'c-3']])
    // `*` over object keys too
    expect(learnPairs({ by: { x: 1, y: 2 } }, { by: { x: 10, y: 20 } }, ['$.by.*'])).toEqual([[1, 10], [2, 20]])
  })

  it('arrays of different length pair only the indexes both sides have', () => {
    const p = { articles: [{ id: 1 }, { id: 2 }, { id: 3 }] }
    const s = { articles: [{ id: 'u1' }] }
    expect(learnPairs(p, s, ['$.articles[*].id'])).toEqual([[1, 'u1']])
    expect(learnPairs(s, p, ['$.articles[*].id'])).toEqual([['u1', 1]])
  })

  it('`..` finds the path at any depth, each concrete place on its own', () => {
    const p = { article: { id: 7, author: { id: 3 } }, list: [{ id: 8 }] }
    const s = { article: { id: 'a7', author: { id: 'u3' } }, list: [{ id: 'a8' }] }
    expect(learnPairs(p, s, ['$..id'])).toEqual([[7, 'a7'], [3, 'u3'], [8, 'a8']])
  })

  it('numbers and strings are learned as they are, on either side', () => {
    const pairs = learnPairs({ article: { id: 42 } }, { article: { id: '9f3c-uuid' } }, ['$.article.id'])
    expect(pairs).toEqual([[42, '9f3c-uuid']])
    expect(typeof pairs[0]![0]).toBe('number')
    expect(learnPairs({ n: '42' }, { n: 43 }, ['$.n'])).toEqual([['42', 43]])
  })

  it('equal values learn nothing: not strings, not numbers, not a number and its digits alike', () => {
    expect(learnPairs({ a: 'same', b: 5 }, { a: 'same', b: 5 }, ['$.a', '$.b'])).toEqual([])
    // 5 and "5" are not equal values: the pair is kept, typed as each side gave it
    expect(learnPairs({ b: 5 }, { b: '5' }, ['$.b'])).toEqual([[5, '5']])
  })

  it('a value missing on one side, or one that is not a string or number, learns nothing', () => {
    const paths = ['$.user.token']
    expect(learnPairs({ user: { token: 'p' } }, { user: {} }, paths)).toEqual([])
    expect(learnPairs({ user: {} }, { user: { token: 's' } }, paths)).toEqual([])
    expect(learnPairs({ user: { token: 'p' } }, { user: null }, paths)).toEqual([])
    expect(learnPairs({ user: { token: 'p' } }, { user: { token: null } }, paths)).toEqual([])
    expect(learnPairs({ user: { token: 'p' } }, { user: { token: true } }, paths)).toEqual([])
    expect(learnPairs({ user: { token: 'p' } }, { user: { token: { v: 's' } } }, paths)).toEqual([])
    expect(learnPairs({ user: { token: '' } }, { user: { token: 's' } }, paths)).toEqual([])
    // an array on one side and an object on the other: no shared concrete path
    expect(learnPairs({ a: [{ id: 1 }] }, { a: { 0: { id: 2 } } }, ['$.a[*].id', '$.a.*.id'])).toEqual([])
  })

  it('several paths learn together, each pair once', () => {
    const p = { user: { token: 'tp' }, article: { slug: 'sp', id: 1 } }
    const s = { user: { token: 'ts' }, article: { slug: 'ss', id: 2 } }
    expect(learnPairs(p, s, ['$.user.token', '$.article.slug', '$..slug'])).toEqual([['tp', 'ts'], ['sp', 'ss']])
  })
})
