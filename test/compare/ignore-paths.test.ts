import { describe, expect, it } from 'vitest'
import { diffJson } from '../../src/compare/diff-json.js'

const primary = {
  requestId: 'r-1',
  meta: { generatedAt: '2026-01-01T00:00:00Z', page: 1, trace: { requestId: 'r-2' } },
  items: [
    { id: 1, updatedAt: 't1', price: 10, nested: [{ requestId: 'a' }] },
    { id: 2, updatedAt: 't2', price: 20 }
  ]
}
const shadow = {
  requestId: 'r-9',
  meta: { generatedAt: '2026-02-02T00:00:00Z', page: 1, trace: { requestId: 'r-8' } },
  items: [
    { id: 1, updatedAt: 'u1', price: 10, nested: [{ requestId: 'b' }] },
    { id: 2, updatedAt: 'u2', price: 21 }
  ]
}

describe('ignore paths', () => {
  it('without ignore every volatile field differs', () => {
    expect(diffJson(primary, shadow).differences.map(d => d.path)).toEqual([
      '$.requestId', '$.meta.generatedAt', '$.meta.trace.requestId',
      '$.items[0].updatedAt', '$.items[0].nested[0].requestId', '$.items[1].updatedAt', '$.items[1].price'
    ])
  })

  it('$..requestId ignores the key at any depth, $.items[*].updatedAt and $.meta.generatedAt their fields', () => {
    const r = diffJson(primary, shadow, { ignore: ['$..requestId', '$.items[*].updatedAt', '$.meta.generatedAt'] })
    expect(r.differences).toEqual([{ kind: 'changed', path: '$.items[1].price', primary: 20, shadow: 21 }])
  })

  it('a value under an ignored path is ignored, including added and removed members', () => {
    const r = diffJson({ meta: { a: 1, b: 2 }, x: 1 }, { meta: { a: 2, c: 3 }, x: 1 }, { ignore: ['$.meta'] })
    expect(r.differences).toEqual([])
    const r2 = diffJson({ x: 1 }, { x: 1, debug: { y: 1 } }, { ignore: ["$['debug']"] })
    expect(r2.differences).toEqual([])
  })

  it('an index path ignores one element only', () => {
    const r = diffJson({ items: [1, 2, 3] }, { items: [9, 9, 9] }, { ignore: ['$.items[1]'] })
    expect(r.differences.map(d => d.path)).toEqual(['$.items[0]', '$.items[2]'])
  })

  it('.* ignores every member at that level, not the level above', () => {
    const r = diffJson({ a: { x: 1, y: 2 }, b: 1 }, { a: { x: 2, z: 3 }, b: 2 }, { ignore: ['$.a.*'] })
    expect(r.differences).toEqual([{ kind: 'changed', path: '$.b', primary: 1, shadow: 2 }])
  })

  it('a non-matching ignore path changes nothing', () => {
    const r = diffJson({ a: { b: 1 } }, { a: { b: 2 } }, { ignore: ['$.a.c', '$..d', '$.b'] })
    expect(r.differences).toHaveLength(1)
  })

  it('an ignored key name is not confused with an index', () => {
    const r = diffJson({ a: [1, 2] }, { a: [1, 3] }, { ignore: ["$.a['1']"] })
    expect(r.differences.map(d => d.path)).toEqual(['$.a[1]'])
  })
})
