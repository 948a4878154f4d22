import { describe, expect, it } from 'vitest'
import { absorbCorrelated, correlatedValues } from '../../src/compare/absorb-correlated.js'
import type { LearnedPair } from '../../src/compare/learn-pairs.js'
import { Correlation } from '../../src/shadow/correlation.js'
import type { PairDifference } from '../../src/store/difference.js'

/** a correlation map that learned these pairs, as a proxy's would */
function learned (...pairs: LearnedPair[]): Correlation {
  const c = new Correlation()
  c.learn(pairs, 1000)
  return c
}

const corr = learned(['tok-p', 'tok-s'], ['dragon', 'dragon-xiu29c'], [7, '0b6e-uuid'], [12, 13])
const lookup = corr.lookup

describe('absorbCorrelated: differences learned pairs explain are counted, not kept', () => {
  it('a changed value, a header and a type difference whose shadow is the learned pair are absorbed', () => {
    const diffs: PairDifference[] = [
      { kind: 'changed', path: '$.user.token', primary: 'tok-p', shadow: 'tok-s' },
      { kind: 'header', path: "$headers['x-session']", header: 'x-session', primary: 'tok-p', shadow: 'tok-s' },
      { kind: 'type', path: '$.article.id', primary: 'number', shadow: 'string', primaryValue: 7, shadowValue: '0b6e-uuid' },
      { kind: 'changed', path: '$.article.authorId', primary: 12, shadow: 13 }
    ]
    const r = absorbCorrelated(diffs, lookup)
    expect(r.kept).toEqual([])
    expect(r.correlated).toBe(4)
  })

  it('a learned value standing as a whole token in a string is explained: `/articles/P`, `Token P`, a query value', () => {
    expect(correlatedValues('/api/articles/dragon', '/api/articles/dragon-xiu29c', lookup)).toBe(true)
    expect(correlatedValues('Token tok-p', 'Token tok-s', lookup)).toBe(true)
    expect(correlatedValues('/a?slug=dragon&id=7', '/a?slug=dragon-xiu29c&id=0b6e-uuid', lookup)).toBe(true)
    const r = absorbCorrelated([
      { kind: 'header', path: "$headers['location']", header: 'location', primary: '/api/articles/dragon', shadow: '/api/articles/dragon-xiu29c' },
      { kind: 'changed', path: '$.auth', primary: 'Token tok-p', shadow: 'Token tok-s' }
    ], lookup)
    expect(r).toEqual({ kept: [], correlated: 2 })
  })

  it('not absorbed when the pair does not fit', () => {
    // the shadow's value is not the learned pair
    expect(correlatedValues('tok-p', 'tok-other', lookup)).toBe(false)
    expect(correlatedValues(7, '1111-uuid', lookup)).toBe(false)
    // nothing learned for the primary
    expect(correlatedValues('unknown', 'tok-s', lookup)).toBe(false)
    // a learned value inside a word is not a token of it
    expect(correlatedValues('xdragonx', 'xdragon-xiu29cx', lookup)).toBe(false)
    expect(correlatedValues('Token tok-pp', 'Token tok-sp', lookup)).toBe(false)
    // the learned token is replaced, but the rest of the string differs as well
    expect(correlatedValues('/articles/dragon/comments', '/articles/dragon-xiu29c/likes', lookup)).toBe(false)
    // strings with no learned token in them
    expect(correlatedValues('/articles/a', '/articles/b', lookup)).toBe(false)
    // a value against nothing: a header only one side sent
    expect(correlatedValues('tok-p', null, lookup)).toBe(false)
    expect(correlatedValues(undefined, 'tok-s', lookup)).toBe(false)
  })

  it('kinds that carry no pair of values are kept even when their values look like a learned pair', () => {
    const status = learned([200, 201]).lookup
    const diffs: PairDifference[] = [
      { kind: 'status', path: '$status', primary: 200, shadow: 201 },
      { kind: 'added', path: '$.token', shadow: 'tok-s' },
      { kind: 'removed', path: '$.token', primary: 'tok-p' },
      { kind: 'body', path: '$body', primary: 'tok-p', shadow: 'tok-s' },
      { kind: 'type', path: '$.x', primary: 'string', shadow: 'object' }
    ]
    expect(absorbCorrelated(diffs, status)).toEqual({ kept: diffs, correlated: 0 })
    expect(absorbCorrelated(diffs, lookup)).toEqual({ kept: diffs, correlated: 0 })
  })

  it('counts what it absorbs and keeps the rest in order, as they were', () => {
    const keep1: PairDifference = { kind: 'type', path: '$.user.bio', primary: 'string', shadow: 'null', primaryValue: '', shadowValue: null }
    const keep2: PairDifference = { kind: 'changed', path: '$.title', primary: 'a', shadow: 'b', accepted: true }
    const keep3: PairDifference = { kind: 'status', path: '$status', primary: 200, shadow: 204 }
    const diffs: PairDifference[] = [
      { kind: 'changed', path: '$.user.token', primary: 'tok-p', shadow: 'tok-s' },
      keep1,
      { kind: 'changed', path: '$.article.slug', primary: 'dragon', shadow: 'dragon-xiu29c' },
      keep2,
      keep3
    ]
    const r = absorbCorrelated(diffs, lookup)
    expect(r.correlated).toBe(2)
    expect(r.kept).toEqual([keep1, keep2, keep3])
    expect(r.kept[1]).toBe(keep2)
    // the input list is left alone
    expect(diffs).toHaveLength(5)
    // nothing to absorb: a copy of the list, nothing counted
    const none = absorbCorrelated([keep1, keep3], lookup)
    expect(none).toEqual({ kept: [keep1, keep3], correlated: 0 })
    expect(absorbCorrelated([], lookup)).toEqual({ kept: [], correlated: 0 })
  })

  it('absorbing reads the map without touching it', () => {
    const before = corr.stats()
    absorbCorrelated([{ kind: 'changed', path: '$.t', primary: 'tok-p', shadow: 'tok-s' }], lookup)
    expect(corr.stats()).toEqual(before)
  })
})
