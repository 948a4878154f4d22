import { describe, expect, it } from 'vitest'
import { diffJson } from '../../src/compare/diff-json.js'

describe('diffJson: kinds of differences', () => {
  it('equal documents give no differences', () => {
    const doc = { a: 1, b: [1, 2, { c: 'x' }], d: null, e: true }
    expect(diffJson(doc, structuredClone(doc))).toEqual({ differences: [], truncated: false, mismatch: false })
  })

  it('changed: same type, different value, with a record path', () => {
    const r = diffJson({ items: [{ price: 10 }, { price: 11 }] }, { items: [{ price: 10 }, { price: 10.5 }] })
    expect(r.differences).toEqual([{ kind: 'changed', path: '$.items[1].price', primary: 11, shadow: 10.5 }])
  })

  it('changed for strings and booleans', () => {
    const r = diffJson({ s: 'a', b: true }, { s: 'b', b: false })
    expect(r.differences).toEqual([
      { kind: 'changed', path: '$.s', primary: 'a', shadow: 'b' },
      { kind: 'changed', path: '$.b', primary: true, shadow: false }
    ])
  })

  it('added (only in shadow) and removed (only in primary) object members', () => {
    const r = diffJson({ keep: 1, gone: { x: 1 } }, { keep: 1, fresh: [1] })
    expect(r.differences).toEqual([
      { kind: 'removed', path: '$.gone', primary: { x: 1 } },
      { kind: 'added', path: '$.fresh', shadow: [1] }
    ])
  })

  it('type: different JSON types name both types (and keep both values when both are scalars)', () => {
    const r = diffJson({ a: 1, b: null, c: [], d: {} }, { a: '1', b: 0, c: {}, d: [] })
    expect(r.differences).toEqual([
      { kind: 'type', path: '$.a', primary: 'number', shadow: 'string', primaryValue: 1, shadowValue: '1' },
      { kind: 'type', path: '$.b', primary: 'null', shadow: 'number', primaryValue: null, shadowValue: 0 },
      { kind: 'type', path: '$.c', primary: 'array', shadow: 'object' },
      { kind: 'type', path: '$.d', primary: 'object', shadow: 'array' }
    ])
  })

  it('arrays are index-wise; a longer side gives added/removed for its tail', () => {
    expect(diffJson([1, 2, 3, 4], [1, 9]).differences).toEqual([
      { kind: 'changed', path: '$[1]', primary: 2, shadow: 9 },
      { kind: 'removed', path: '$[2]', primary: 3 },
      { kind: 'removed', path: '$[3]', primary: 4 }
    ])
    expect(diffJson({ a: [1] }, { a: [1, { z: 1 }] }).differences).toEqual([
      { kind: 'added', path: '$.a[1]', shadow: { z: 1 } }
    ])
  })

  it('odd keys are quoted in record paths', () => {
    const r = diffJson({ 'a b': { "it's": 1 } }, { 'a b': { "it's": 2 } })
    expect(r.differences[0]!.path).toBe("$['a b']['it\\'s']")
  })

  it('a different root scalar is a difference at $', () => {
    expect(diffJson(1, 2).differences).toEqual([{ kind: 'changed', path: '$', primary: 1, shadow: 2 }])
  })

  it('caps recorded differences and says so', () => {
    const a = Array.from({ length: 500 }, (_, i) => i)
    const b = a.map(x => x + 1)
    const r = diffJson(a, b)
    expect(r.differences).toHaveLength(100)
    expect(r.truncated).toBe(true)
    const small = diffJson(a, b, { maxDifferences: 5 })
    expect(small.differences.map(d => d.path)).toEqual(['$[0]', '$[1]', '$[2]', '$[3]', '$[4]'])
    const exact = diffJson([1, 2], [2, 3], { maxDifferences: 2 })
    expect(exact.truncated).toBe(false)
  })

  it('a "__proto__" key is compared like any other', () => {
    const a = JSON.parse('{"__proto__": {"x": 1}}')
    const b = JSON.parse('{"__proto__": {"x": 2}}')
    expect(diffJson(a, b).differences).toEqual([{ kind: 'changed', path: '$.__proto__.x', primary: 1, shadow: 2 }])
  })
})
