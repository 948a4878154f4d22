import { describe, expect, it } from 'vitest'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { diffJson } from '../../src/compare/diff-json.js'
import { cfg, json, raw } from './helpers.js'

describe('compare.typeOnly: values compared by presence and JSON type only', () => {
  it('a string against another string is no difference; against a number it is a type difference', () => {
    const c = cfg({ typeOnly: ['$..createdAt'] })
    const same = compareExchange(json({ a: { createdAt: '2026-01-01' }, n: 1 }), json({ a: { createdAt: 'yesterday' }, n: 1 }), c)
    expect(same).toEqual({ outcome: 'match', differences: [], truncated: false })
    const other = compareExchange(json({ a: { createdAt: '2026-01-01' } }), json({ a: { createdAt: 1767225600 } }), c)
    expect(other.outcome).toBe('mismatch')
    expect(other.differences).toEqual([{ kind: 'type', path: '$.a.createdAt', primary: 'string', shadow: 'number' }])
  })

  it('present against missing stays added or removed', () => {
    const r = diffJson({ a: { createdAt: 'x' } }, { a: {}, createdAt: 'y' }, { typeOnly: ['$..createdAt'] })
    expect(r.differences).toEqual([
      { kind: 'removed', path: '$.a.createdAt', primary: 'x' },
      { kind: 'added', path: '$.createdAt', shadow: 'y' }
    ])
  })

  it('an object or array at a typeOnly path is not compared inside; null against an object is a type difference', () => {
    const c = { typeOnly: ['$.meta', '$.tags'] }
    expect(diffJson({ meta: { a: 1 }, tags: [1, 2] }, { meta: { b: [2] }, tags: [] }, c).differences).toEqual([])
    expect(diffJson({ meta: null }, { meta: {} }, c).differences).toEqual([{ kind: 'type', path: '$.meta', primary: 'null', shadow: 'object' }])
  })

  it('other paths are still compared by value', () => {
    const r = diffJson({ createdAt: 'a', price: 1 }, { createdAt: 'b', price: 2 }, { typeOnly: ['$.createdAt'] })
    expect(r.differences).toEqual([{ kind: 'changed', path: '$.price', primary: 1, shadow: 2 }])
  })

  it('in an unordered array, elements differing only at typeOnly paths are equal', () => {
    const a = { items: [{ id: 1, at: 't1' }, { id: 2, at: 't2' }] }
    const b = { items: [{ id: 2, at: 'u2' }, { id: 1, at: 'u1' }] }
    expect(diffJson(a, b, { unordered: ['$.items'], typeOnly: ['$.items[*].at'] }).differences).toEqual([])
    expect(diffJson(a, b, { unordered: ['$.items'] }).differences).not.toEqual([])
  })

  it("$headers['name'] compares a header by presence only", () => {
    const c = cfg({ headers: ['etag'], typeOnly: ["$headers['ETag']"] })
    expect(compareExchange(json({}, 200, { etag: '"a"' }), json({}, 200, { etag: '"b"' }), c).differences).toEqual([])
    expect(compareExchange(json({}, 200, { etag: '"a"' }), json({}), c).differences)
      .toEqual([{ kind: 'header', path: "$headers['etag']", header: 'etag', primary: '"a"', shadow: null }])
  })

  it('$body compares JSON bodies by the type at $, other bodies by their kind', () => {
    const c = cfg({ typeOnly: ['$body'] })
    expect(compareExchange(json({ a: 1 }), json({ b: [2] }), c).outcome).toBe('match')
    expect(compareExchange(json({ a: 1 }), json([1]), c).differences).toEqual([{ kind: 'type', path: '$', primary: 'object', shadow: 'array' }])
    const text = { 'content-type': 'text/plain' }
    expect(compareExchange(raw('hello', text), raw('world', text), c).outcome).toBe('match')
    expect(compareExchange(raw('hello', text), raw('', text), c).differences.map(d => d.kind)).toEqual(['body'])
  })

  it('$status is a number on both sides: typeOnly never finds a status difference', () => {
    const r = compareExchange(json({}, 200), json({}, 201), cfg({ typeOnly: ['$status'] }))
    expect(r).toEqual({ outcome: 'match', differences: [], truncated: false })
    expect(compareExchange(json({}, 200), json({}, 201), cfg()).outcome).toBe('mismatch')
  })
})
