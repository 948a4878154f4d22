import { describe, expect, it } from 'vitest'
import { diffJson } from '../../src/compare/diff-json.js'

describe('unordered arrays: leftovers naming the same entity', () => {
  it('diffs a changed element field by field at its primary index, not as removed + added', () => {
    const a = { orders: [{ id: 1, total: 10 }, { id: 2, total: 20 }, { id: 3, total: 30 }] }
    const b = { orders: [{ id: 3, total: 30 }, { id: 2, total: 21 }, { id: 1, total: 10 }] }
    const r = diffJson(a, b, { unordered: ['$.orders'] })
    expect(r.differences).toEqual([{ kind: 'changed', path: '$.orders[1].total', primary: 20, shadow: 21 }])
  })

  it('still reports an element with no counterpart as removed or added', () => {
    const a = { xs: [{ id: 1 }, { id: 2 }] }
    const b = { xs: [{ id: 2 }, { id: 9 }] }
    const r = diffJson(a, b, { unordered: ['$.xs'] })
    expect(r.differences).toEqual([
      { kind: 'removed', path: '$.xs[0]', primary: { id: 1 } },
      { kind: 'added', path: '$.xs[1]', shadow: { id: 9 } }
    ])
  })

  it('leaves elements without an identity key as whole removed + added', () => {
    const r = diffJson({ xs: [{ v: 1 }] }, { xs: [{ v: 2 }] }, { unordered: ['$.xs'] })
    expect(r.differences.map((d) => d.kind)).toEqual(['removed', 'added'])
  })
})
