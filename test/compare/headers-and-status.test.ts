import { describe, expect, it } from 'vitest'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { cfg, json } from './helpers.js'

describe('compareExchange: status and listed headers', () => {
  it('identical responses match', () => {
    const r = compareExchange(json({ a: 1 }), json({ a: 1 }), cfg({ headers: ['content-type'] }))
    expect(r).toEqual({ outcome: 'match', differences: [], truncated: false })
  })

  it('a different status is a status difference at $status', () => {
    const r = compareExchange(json({ a: 1 }, 200), json({ a: 1 }, 404), cfg())
    expect(r.outcome).toBe('mismatch')
    expect(r.differences).toEqual([{ kind: 'status', path: '$status', primary: 200, shadow: 404 }])
  })

  it('listed headers are compared case-insensitively; others are ignored', () => {
    const p = { status: 200, headers: { 'Content-Type': 'application/json', 'X-Version': '1', etag: 'a' }, body: Buffer.from('{}') }
    const s = { status: 200, headers: { 'content-type': 'application/json', 'x-version': '2', etag: 'b' }, body: Buffer.from('{}') }
    const r = compareExchange(p, s, cfg({ headers: ['content-type', 'X-Version'] }))
    expect(r.differences).toEqual([
      { kind: 'header', path: "$headers['x-version']", header: 'x-version', primary: '1', shadow: '2' }
    ])
  })

  it('a header present on one side only has null on the other', () => {
    const r = compareExchange(json({}, 200, { 'cache-control': 'no-store' }), json({}), cfg({ headers: ['cache-control'] }))
    expect(r.differences).toEqual([
      { kind: 'header', path: "$headers['cache-control']", header: 'cache-control', primary: 'no-store', shadow: null }
    ])
  })

  it('repeated header values are joined before comparing', () => {
    const p = { status: 200, headers: { vary: ['accept', 'origin'] }, body: null }
    const s = { status: 200, headers: { vary: 'accept, origin' }, body: null }
    expect(compareExchange(p, s, cfg({ headers: ['vary'] })).outcome).toBe('match')
  })

  it('status, header and body differences come together, status first', () => {
    const r = compareExchange(json({ a: 1 }, 200, { 'x-a': '1' }), json({ a: 2 }, 500, { 'x-a': '2' }), cfg({ headers: ['x-a'] }))
    expect(r.differences.map(d => d.kind)).toEqual(['status', 'header', 'changed'])
  })

  it('a header named like an Object.prototype member is looked up as a header', () => {
    const r = compareExchange(json({}), json({}), cfg({ headers: ['constructor'] }))
    expect(r.outcome).toBe('match')
  })
})
