import { describe, expect, it } from 'vitest'
import { diffJson } from '../../src/compare/diff-json.js'

describe('unordered arrays', () => {
  it('the same elements in another order match', () => {
    const a = { items: [{ id: 1, n: 'a' }, { id: 2, n: 'b' }, { id: 3, n: 'c' }] }
    const b = { items: [{ n: 'c', id: 3 }, { id: 1, n: 'a' }, { id: 2, n: 'b' }] }
    expect(diffJson(a, b).differences.length).toBeGreaterThan(0)
    expect(diffJson(a, b, { unordered: ['$.items'] }).differences).toEqual([])
  })

  it('multiset: duplicates count', () => {
    const r = diffJson({ tags: ['x', 'x', 'y'] }, { tags: ['y', 'x', 'y'] }, { unordered: ['$.tags'] })
    expect(r.differences).toEqual([
      { kind: 'removed', path: '$.tags[1]', primary: 'x' },
      { kind: 'added', path: '$.tags[2]', shadow: 'y' }
    ])
  })

  it('unmatched elements are removed/added at their own index on each side', () => {
    const a = { items: [{ id: 1 }, { id: 2 }, { id: 3 }] }
    const b = { items: [{ id: 3 }, { id: 4 }, { id: 1 }] }
    expect(diffJson(a, b, { unordered: ['$.items'] }).differences).toEqual([
      { kind: 'removed', path: '$.items[1]', primary: { id: 2 } },
      { kind: 'added', path: '$.items[1]', shadow: { id: 4 } }
    ])
  })

  it('ignored fields inside elements do not prevent a match', () => {
    const a = { items: [{ id: 1, updatedAt: 'a' }, { id: 2, updatedAt: 'b' }] }
    const b = { items: [{ id: 2, updatedAt: 'c' }, { id: 1, updatedAt: 'd' }] }
    expect(diffJson(a, b, { unordered: ['$.items'], ignore: ['$.items[*].updatedAt'] }).differences).toEqual([])
  })

  it('nested unordered arrays and key order do not matter', () => {
    const a = { items: [{ id: 1, tags: ['a', 'b'] }, { id: 2, tags: [] }] }
    const b = { items: [{ tags: [], id: 2 }, { tags: ['b', 'a'], id: 1 }] }
    expect(diffJson(a, b, { unordered: ['$.items', '$.items[*].tags'] }).differences).toEqual([])
    expect(diffJson(a, b, { unordered: ['$.items'] }).differences).toHaveLength(2)
  })

  it('numbers within tolerance match across positions', () => {
    const a = { prices: [1.0, 2.0, 3.0] }
    const b = { prices: [3.0004, 1.0002, 2.0009] }
    expect(diffJson(a, b, { unordered: ['$.prices'], tolerance: 0.001 }).differences).toEqual([])
    expect(diffJson(a, b, { unordered: ['$.prices'] }).differences).toHaveLength(6)
  })

  it('an unordered path that is not an array is compared normally', () => {
    expect(diffJson({ items: { a: 1 } }, { items: { a: 2 } }, { unordered: ['$.items'] }).differences)
      .toEqual([{ kind: 'changed', path: '$.items.a', primary: 1, shadow: 2 }])
  })

  it('$..key unordered applies at any depth', () => {
    const r = diffJson({ x: { ids: [1, 2] }, y: [{ ids: [3, 4] }] }, { x: { ids: [2, 1] }, y: [{ ids: [4, 3] }] }, { unordered: ['$..ids'] })
    expect(r.differences).toEqual([])
  })
})
