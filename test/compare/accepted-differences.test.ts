import { describe, expect, it } from 'vitest'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { cfg, json, raw } from './helpers.js'

describe('compare.accept: known differences are recorded as accepted and do not count', () => {
  it('a status pair named by a rule is accepted: the pair is a match', () => {
    const c = cfg({ accept: [{ path: '$status', primary: 200, shadow: 201 }] })
    expect(compareExchange(json({ id: 1 }, 200), json({ id: 1 }, 201), c)).toEqual({
      outcome: 'match',
      differences: [{ kind: 'status', path: '$status', primary: 200, shadow: 201, accepted: true }],
      truncated: false
    })
    // another pair of statuses is not accepted
    const other = compareExchange(json({ id: 1 }, 200), json({ id: 1 }, 500), c)
    expect(other.outcome).toBe('mismatch')
    expect(other.differences[0]).not.toHaveProperty('accepted')
  })

  it('$..bio with "" against null: matched by the values, at any depth (the record prints the type names)', () => {
    const c = cfg({ accept: [{ path: '$..bio', primary: '', shadow: null }] })
    const r = compareExchange(json({ user: { bio: '' } }), json({ user: { bio: null } }), c)
    expect(r.outcome).toBe('match')
    expect(r.differences).toEqual([{ kind: 'type', path: '$.user.bio', primary: 'string', shadow: 'null', primaryValue: '', shadowValue: null, accepted: true }])
    expect(compareExchange(json({ user: { bio: 'x' } }), json({ user: { bio: null } }), c).outcome).toBe('mismatch')
  })

  it('a type difference may also be named by the type names the record prints', () => {
    const c = cfg({ accept: [{ path: '$.user.bio', primary: 'string', shadow: 'null' }] })
    expect(compareExchange(json({ user: { bio: 'anything' } }), json({ user: { bio: null } }), c).outcome).toBe('match')
  })

  it('values are compared deeply; object key order does not matter', () => {
    const c = cfg({ accept: [{ path: '$.meta', primary: { a: 1, b: [1, 2] }, shadow: { b: [1, 2], a: 2 } }] })
    // $.meta is an object on both sides: its differences are inside it, so the rule does not apply...
    expect(compareExchange(json({ meta: { a: 1, b: [1, 2] } }), json({ meta: { a: 2, b: [1, 2] } }), c).outcome).toBe('mismatch')
    // ...but an array against an object is a difference at $.meta itself
    const d = cfg({ accept: [{ path: '$.meta', primary: [{ k: 'v', n: 1 }], shadow: { n: 1, k: 'v' } }] })
    expect(compareExchange(json({ meta: [{ n: 1, k: 'v' }] }), json({ meta: { k: 'v', n: 1 } }), d).outcome).toBe('match')
  })

  it('a side left out stands for a value absent on that side (added, removed)', () => {
    const c = cfg({ accept: [{ path: '$.debug', shadow: true }, { path: '$.legacyCode', primary: 'X1' }] })
    const r = compareExchange(json({ legacyCode: 'X1' }), json({ debug: true }), c)
    expect(r.outcome).toBe('match')
    expect(r.differences).toEqual([
      { kind: 'removed', path: '$.legacyCode', primary: 'X1', accepted: true },
      { kind: 'added', path: '$.debug', shadow: true, accepted: true }
    ])
    // the same values present on both sides are a changed difference, not named by these rules
    expect(compareExchange(json({ debug: false }), json({ debug: true }), c).outcome).toBe('mismatch')
  })

  it('one difference that is not accepted makes the pair a mismatch; the accepted ones stay flagged', () => {
    const c = cfg({ accept: [{ path: '$status', primary: 200, shadow: 201 }] })
    const r = compareExchange(json({ id: 1 }, 200), json({ id: 2 }, 201), c)
    expect(r.outcome).toBe('mismatch')
    expect(r.differences).toEqual([
      { kind: 'status', path: '$status', primary: 200, shadow: 201, accepted: true },
      { kind: 'changed', path: '$.id', primary: 1, shadow: 2 }
    ])
  })

  it("headers: $headers['name'] is case-insensitive, null (or a side left out) is an absent header", () => {
    const c = cfg({ headers: ['x-version'], accept: [{ path: "$headers['X-Version']", primary: null, shadow: '2' }] })
    const r = compareExchange(json({}), json({}, 200, { 'x-version': '2' }), c)
    expect(r.outcome).toBe('match')
    expect(r.differences).toEqual([{ kind: 'header', path: "$headers['x-version']", header: 'x-version', primary: null, shadow: '2', accepted: true }])
    const left = cfg({ headers: ['x-version'], accept: [{ path: "$headers['x-version']", shadow: '2' }] })
    expect(compareExchange(json({}), json({}, 200, { 'x-version': '2' }), left).outcome).toBe('match')
  })

  it('$body names the body difference of non-JSON bodies by the descriptions a record prints', () => {
    const text = { 'content-type': 'text/plain' }
    const first = compareExchange(raw('old', text), raw('new', text), cfg())
    const d = first.differences[0] as { primary: string; shadow: string }
    const c = cfg({ accept: [{ path: '$body', primary: d.primary, shadow: d.shadow }] })
    expect(compareExchange(raw('old', text), raw('new', text), c).outcome).toBe('match')
    expect(compareExchange(raw('old', text), raw('newer', text), c).outcome).toBe('mismatch')
  })

  it('the outcome stays exact past the cap on recorded differences', () => {
    const accept = [{ path: '$.a[*]', primary: 0, shadow: 1 }]
    const many = (extra: boolean) => compareExchange(
      json({ a: [0, 0, 0, 0, 0], z: 1 }),
      json({ a: [1, 1, 1, 1, 1], z: extra ? 2 : 1 }),
      cfg({ accept }), { maxDifferences: 2 })
    const allAccepted = many(false)
    expect(allAccepted).toMatchObject({ outcome: 'match', truncated: true })
    expect(allAccepted.differences).toHaveLength(2)
    // the one that counts comes after the cap was reached: still a mismatch
    expect(many(true)).toMatchObject({ outcome: 'mismatch', truncated: true })
  })
})
