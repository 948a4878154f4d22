import { describe, expect, it } from 'vitest'
import { parseJsonPath } from '../../src/config/json-path.js'
import type { BodyOp, JsonValue } from '../../src/config/types.js'
import { applyBodyOps } from '../../src/transforms/json-body-ops.js'

const p = parseJsonPath
const rename = (from: string, to: string): BodyOp => ({ op: 'rename', from: p(from), to: p(to) })
const remove = (path: string): BodyOp => ({ op: 'remove', path: p(path) })
const set = (path: string, value: JsonValue): BodyOp => ({ op: 'set', path: p(path), value })
const dflt = (path: string, value: JsonValue): BodyOp => ({ op: 'default', path: p(path), value })
const copy = (from: string, to: string): BodyOp => ({ op: 'copy', from: p(from), to: p(to) })
const map = (path: string, ...ops: BodyOp[]): BodyOp => ({ op: 'map', path: p(path), ops })

/** a fresh document per test, parsed as a body would be */
const doc = (v: unknown): JsonValue => JSON.parse(JSON.stringify(v)) as JsonValue

describe('rename', () => {
  it('moves the value and keeps the same reference', () => {
    const d = doc({ customerName: 'Ada', id: 1 })
    const out = applyBodyOps(d, [rename('$.customerName', '$.name')])
    expect(out).toBe(d)
    expect(out).toEqual({ id: 1, name: 'Ada' })
    expect(Object.keys(out as object)).toEqual(['id', 'name'])
  })

  it('creates intermediate objects, and an array for an index step', () => {
    expect(applyBodyOps(doc({ street: 'Main' }), [rename('$.street', '$.address.lines[0]')]))
      .toEqual({ address: { lines: ['Main'] } })
  })

  it('absent from does nothing', () => {
    const d = doc({ a: 1 })
    expect(applyBodyOps(d, [rename('$.missing', '$.b'), rename('$.a.x', '$.b')])).toEqual({ a: 1 })
  })

  it('a scalar or null intermediate on the way to `to` leaves the value where it was (order kept)', () => {
    const d = doc({ x: 1, name: 'Ada', n: null, z: 2 })
    applyBodyOps(d, [rename('$.x', '$.name.first'), rename('$.x', '$.n.first'), rename('$.x', '$.z[0]')])
    expect(Object.keys(d as object)).toEqual(['x', 'name', 'n', 'z'])
    expect(d).toEqual({ x: 1, name: 'Ada', n: null, z: 2 })
  })

  it('an array element is spliced out', () => {
    expect(applyBodyOps(doc({ a: [1, 2, 3] }), [rename('$.a[0]', '$.first')])).toEqual({ a: [2, 3], first: 1 })
  })

  it('to `$` unwraps; from equal to to does nothing; into itself wraps', () => {
    expect(applyBodyOps(doc({ data: { id: 7 }, meta: {} }), [rename('$.data', '$')])).toEqual({ id: 7 })
    expect(applyBodyOps(doc({ a: [1, 2] }), [rename('$.a[0]', '$.a[0]')])).toEqual({ a: [1, 2] })
    expect(applyBodyOps(doc({ a: 5 }), [rename('$.a', '$.a.value')])).toEqual({ a: { value: 5 } })
    expect(applyBodyOps(doc({ a: { b: { c: 1 } } }), [rename('$.a.b', '$.a')])).toEqual({ a: { c: 1 } })
  })

  it('an index past the end is refused and nothing is created', () => {
    const d = doc({ x: 1, a: [] })
    applyBodyOps(d, [rename('$.x', '$.a[3]'), rename('$.x', '$.b[1]')])
    expect(d).toEqual({ x: 1, a: [] })
  })

  it('within one array, `to` is read after the element is taken out; a refusal puts it back', () => {
    expect(applyBodyOps(doc({ a: ['x', 'y', 'z'] }), [rename('$.a[0]', '$.a[2]')])).toEqual({ a: ['y', 'z', 'x'] })
    expect(applyBodyOps(doc({ a: ['x', 'y', 'z'] }), [rename('$.a[0]', '$.a[5]')])).toEqual({ a: ['x', 'y', 'z'] })
    expect(applyBodyOps(doc({ a: 1 }), [rename('$.a', '$.a[1]')])).toEqual({ a: 1 })
  })

  it('an object before an index step, or an array before a key step, is refused', () => {
    const d = doc({ x: 1, o: {}, a: [] })
    applyBodyOps(d, [rename('$.x', '$.o[0]'), rename('$.x', '$.a.k')])
    expect(d).toEqual({ x: 1, o: {}, a: [] })
  })
})

describe('remove', () => {
  it('removes a key, an element (spliced) and nothing when absent', () => {
    expect(applyBodyOps(doc({ a: 1, b: [1, 2, 3] }), [remove('$.a'), remove('$.b[1]'), remove('$.nope'), remove('$.b[9]')]))
      .toEqual({ b: [1, 3] })
  })

  it('`[*]` over objects in an array removes the key from each', () => {
    expect(applyBodyOps(doc({ items: [{ id: 1, secret: 'x' }, { id: 2 }, { id: 3, secret: 'y' }] }), [remove('$.items[*].secret')]))
      .toEqual({ items: [{ id: 1 }, { id: 2 }, { id: 3 }] })
  })

  it('`[*]` at the end empties the array; `.*` empties an object', () => {
    const d = doc({ a: [1, 2, 3], o: { x: 1, y: 2 } })
    const a = (d as { a: JsonValue[] }).a
    applyBodyOps(d, [remove('$.a[*]'), remove('$.o.*')])
    expect(d).toEqual({ a: [], o: {} })
    expect((d as { a: JsonValue[] }).a).toBe(a)
  })

  it('several indexes of one array are all removed, the rest keeping order', () => {
    expect(applyBodyOps(doc({ rows: [[1, 2], [3, 4], [5]] }), [remove('$.rows[*][0]')])).toEqual({ rows: [[2], [4], []] })
    expect(applyBodyOps(doc([{ k: 1 }, 2, { k: 3 }, 4]), [remove('$[*]')])).toEqual([])
  })

  it('`..key` removes the key at any depth, through arrays and nested matches', () => {
    const d = doc({ password: 'a', user: { password: 'b', profile: { password: { password: 'c' } } }, list: [{ password: 'd', ok: 1 }, [{ password: 'e' }]] })
    expect(applyBodyOps(d, [remove('$..password')])).toEqual({ user: { profile: {} }, list: [{ ok: 1 }, [{}]] })
  })

  it('`..key` followed by an index removes that element of each matched array', () => {
    expect(applyBodyOps(doc({ a: { tags: [1, 2] }, b: [{ tags: [3] }], tags: [] }), [remove('$..tags[0]')]))
      .toEqual({ a: { tags: [2] }, b: [{ tags: [] }], tags: [] })
  })

  it('matching one element twice removes it once', () => {
    // `$..a..b` reaches the inner b through both a's
    const d = doc({ a: { a: { b: [1, 2, 3] } } })
    expect(applyBodyOps(d, [remove('$..a..b[1]')])).toEqual({ a: { a: { b: [1, 3] } } })
  })

  it('`$` is kept', () => {
    expect(applyBodyOps(doc({ a: 1 }), [remove('$')])).toEqual({ a: 1 })
  })
})

describe('set', () => {
  it('replaces or adds a value, creating intermediates', () => {
    expect(applyBodyOps(doc({ a: { b: 1 } }), [set('$.a.b', 2), set('$.x.y[0].z', 'new'), set('$.a.list', [1])]))
      .toEqual({ a: { b: 2, list: [1] }, x: { y: [{ z: 'new' }] } })
  })

  it('an index replaces an element or appends at the end', () => {
    expect(applyBodyOps(doc({ a: [1, 2] }), [set('$.a[0]', 'x'), set('$.a[2]', 'y'), set('$.a[9]', 'z')])).toEqual({ a: ['x', 2, 'y'] })
  })

  it('at `$` replaces the whole document', () => {
    const out = applyBodyOps(doc({ a: 1 }), [set('$', { replaced: true })])
    expect(out).toEqual({ replaced: true })
  })

  it('writes a copy: later ops do not change the rule value', () => {
    const ops = [set('$.meta', { tags: ['a'] }), set('$.meta.tags[1]', 'b'), set('$', { n: [1] }), set('$.n[1]', 2)]
    expect(applyBodyOps(doc({}), ops)).toEqual({ n: [1, 2] })
    expect((ops[0] as { value: JsonValue }).value).toEqual({ tags: ['a'] })
    expect((ops[2] as { value: JsonValue }).value).toEqual({ n: [1] })
  })

  it('a scalar intermediate or a wildcard in the path does nothing', () => {
    const d = doc({ a: 'text', items: [{}] })
    applyBodyOps(d, [set('$.a.b', 1), set('$.items[*].x', 1), set('$..x', 1)])
    expect(d).toEqual({ a: 'text', items: [{}] })
  })

  it('works on a scalar document only at `$`', () => {
    expect(applyBodyOps(5, [set('$.a', 1)])).toBe(5)
    expect(applyBodyOps(null, [set('$', [1])])).toEqual([1])
  })
})

describe('default', () => {
  it('writes only where the path is absent; an explicit null counts as present', () => {
    const d = doc({ present: null, zero: 0, nested: {} })
    applyBodyOps(d, [dflt('$.present', 'x'), dflt('$.zero', 1), dflt('$.missing', 'm'), dflt('$.nested.deep.v', [1])])
    expect(d).toEqual({ present: null, zero: 0, missing: 'm', nested: { deep: { v: [1] } } })
  })

  it('at `$` never replaces a document', () => {
    expect(applyBodyOps(doc({ a: 1 }), [dflt('$', { b: 2 })])).toEqual({ a: 1 })
    expect(applyBodyOps(null, [dflt('$', { b: 2 })])).toBeNull()
  })

  it('writes a fresh copy each time', () => {
    const op = dflt('$.list', [])
    const a = applyBodyOps(doc({}), [op]) as { list: JsonValue[] }
    a.list.push(1)
    expect(applyBodyOps(doc({}), [op])).toEqual({ list: [] })
  })
})

describe('copy', () => {
  it('places a deep copy: changing the copy does not change the source', () => {
    const d = doc({ billing: { address: { city: 'Oslo', lines: ['a'] } } }) as { billing: { address: { lines: string[] } }, shipping: { address: { city: string, lines: string[] } } }
    applyBodyOps(d as unknown as JsonValue, [copy('$.billing.address', '$.shipping.address')])
    expect(d.shipping.address).toEqual({ city: 'Oslo', lines: ['a'] })
    expect(d.shipping.address).not.toBe(d.billing.address)
    d.shipping.address.city = 'Bergen'
    d.shipping.address.lines.push('b')
    expect(d.billing.address).toEqual({ city: 'Oslo', lines: ['a'] })
  })

  it('absent from does nothing; `$` as from or to', () => {
    expect(applyBodyOps(doc({ a: 1 }), [copy('$.nope', '$.b')])).toEqual({ a: 1 })
    expect(applyBodyOps(doc({ a: 1 }), [copy('$', '$.snapshot')])).toEqual({ a: 1, snapshot: { a: 1 } })
    expect(applyBodyOps(doc({ inner: { x: 1 } }), [copy('$.inner', '$')])).toEqual({ x: 1 })
  })
})

describe('map', () => {
  it('runs the ops on each element of the array, with the element as `$`', () => {
    const d = doc({ items: [{ sku: 'a', qty: 1 }, { sku: 'b' }, 'scalar'], total: 2 })
    applyBodyOps(d, [map('$.items[*]', rename('$.sku', '$.product.id'), dflt('$.qty', 0))])
    expect(d).toEqual({ items: [{ qty: 1, product: { id: 'a' } }, { product: { id: 'b' }, qty: 0 }, 'scalar'], total: 2 })
  })

  it('a set at `$` inside map replaces the element', () => {
    expect(applyBodyOps(doc({ ids: [1, 2] }), [map('$.ids[*]', set('$', { id: 0 }))])).toEqual({ ids: [{ id: 0 }, { id: 0 }] })
    expect(applyBodyOps(doc([{ v: 1 }, { v: 2 }]), [map('$[*]', rename('$.v', '$'))])).toEqual([1, 2])
  })

  it('over an object, the ops run on each property value', () => {
    expect(applyBodyOps(doc({ byId: { a: { n: 1 }, b: { n: 2 } } }), [map('$.byId.*', rename('$.n', '$.count'))]))
      .toEqual({ byId: { a: { count: 1 }, b: { count: 2 } } })
  })

  it('nested maps, and a wildcard before the last step', () => {
    const d = doc({ orders: [{ lines: [{ p: 1 }, { p: 2 }] }, { lines: [{ p: 3 }] }] })
    applyBodyOps(d, [map('$.orders[*]', map('$.lines[*]', rename('$.p', '$.price')))])
    expect(d).toEqual({ orders: [{ lines: [{ price: 1 }, { price: 2 }] }, { lines: [{ price: 3 }] }] })
    applyBodyOps(d, [map('$.orders[*].lines[*]', set('$.cur', 'EUR'))])
    expect(d).toEqual({ orders: [{ lines: [{ price: 1, cur: 'EUR' }, { price: 2, cur: 'EUR' }] }, { lines: [{ price: 3, cur: 'EUR' }] }] })
  })

  it('a scalar, null or absent path does nothing', () => {
    const d = doc({ items: 'none', n: null })
    applyBodyOps(d, [map('$.items[*]', set('$.x', 1)), map('$.n[*]', set('$.x', 1)), map('$.missing[*]', set('$.x', 1))])
    expect(d).toEqual({ items: 'none', n: null })
  })
})

describe('ordering', () => {
  it('a rename then a set reading the same place: the set sees the renamed document', () => {
    const d = doc({ customerName: 'Ada' })
    expect(applyBodyOps(d, [rename('$.customerName', '$.name'), set('$.customerName', 'legacy'), dflt('$.name', 'unused')]))
      .toEqual({ name: 'Ada', customerName: 'legacy' })
  })

  it('a set at `$` then later ops work on the new root', () => {
    expect(applyBodyOps(doc({ a: 1 }), [set('$', { b: {} }), set('$.b.c', 1), remove('$.a')])).toEqual({ b: { c: 1 } })
  })

  it('no ops returns the document untouched', () => {
    const d = doc({ a: 1 })
    expect(applyBodyOps(d, [])).toBe(d)
  })
})

describe('prototype pollution', () => {
  it('a `__proto__` key is written as an own property and Object.prototype stays clean', () => {
    const d = doc({ a: 1 })
    applyBodyOps(d, [
      set('$.__proto__', { polluted: true }),
      set("$['__proto__'].polluted2", true),
      set('$.x.__proto__.polluted3', true),
      set('$.constructor.prototype.polluted4', true),
      rename('$.a', '$.y.__proto__')
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted2).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted3).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted4).toBeUndefined()
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype)
    expect(Object.hasOwn(d as object, '__proto__')).toBe(true)
    expect(JSON.parse(JSON.stringify(d))).toEqual(JSON.parse('{"__proto__":{"polluted":true,"polluted2":true},"x":{"__proto__":{"polluted3":true}},"constructor":{"prototype":{"polluted4":true}},"y":{"__proto__":1}}'))
  })

  it('reads see only own properties: inherited names are absent', () => {
    const d = doc({})
    applyBodyOps(d, [copy('$.constructor', '$.c'), rename('$.toString', '$.t'), remove('$.hasOwnProperty')])
    expect(d).toEqual({})
    expect(typeof Object.prototype.hasOwnProperty).toBe('function')
  })

  it('a rule value holding a `__proto__` key is copied as an own property', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true}}') as JsonValue
    const d = applyBodyOps(doc({}), [set('$.v', value)]) as { v: object }
    expect(Object.getPrototypeOf(d.v)).toBe(Object.prototype)
    expect(Object.hasOwn(d.v, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('deep documents', () => {
  it('nesting deeper than the stack does not throw', () => {
    let v: JsonValue = { password: 'x' }
    for (let i = 0; i < 200_000; i++) v = [v]
    const d = { deep: v, password: 'y' } as JsonValue
    expect(() => applyBodyOps(d, [remove('$..password'), copy('$.deep', '$.copy'), map('$..deep[*]', set('$', 1))])).not.toThrow()
  })
})
