import { describe, expect, it } from 'vitest'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { cfg, json, raw } from './helpers.js'

describe('ignore takes the paths records print: $status, $headers[...], $body', () => {
  it('$status: the status difference is not compared', () => {
    expect(compareExchange(json({ a: 1 }, 200), json({ a: 1 }, 201), cfg({ ignore: ['$status'] })))
      .toEqual({ outcome: 'match', differences: [], truncated: false })
  })

  it("$headers['name']: that compared header only, name case-insensitive", () => {
    const c = cfg({ headers: ['etag', 'content-language'], ignore: ["$headers['ETag']"] })
    const r = compareExchange(json({}, 200, { etag: 'a', 'content-language': 'en' }), json({}, 200, { etag: 'b', 'content-language': 'de' }), c)
    expect(r.differences.map(d => d.path)).toEqual(["$headers['content-language']"])
  })

  it('$body: every body difference (JSON paths, a JSON-against-text type, a text body)', () => {
    const c = cfg({ ignore: ['$body'] })
    expect(compareExchange(json({ a: 1 }), json({ a: 2, b: 3 }), c).outcome).toBe('match')
    expect(compareExchange(json({ a: 1 }), raw('<html>', { 'content-type': 'text/html' }), c).outcome).toBe('match')
    expect(compareExchange(raw('x', { 'content-type': 'text/plain' }), raw('y', { 'content-type': 'text/plain' }), c).outcome).toBe('match')
    // the status is still compared
    expect(compareExchange(json({ a: 1 }, 200), json({ a: 2 }, 404), c).differences.map(d => d.path)).toEqual(['$status'])
  })

  it('$ (the JSON root) ignores the whole JSON document and the type difference at $', () => {
    const c = cfg({ ignore: ['$'] })
    expect(compareExchange(json({ a: 1 }), json([2]), c).outcome).toBe('match')
    expect(compareExchange(json({ a: 1 }), raw('oops', { 'content-type': 'text/plain' }), c).outcome).toBe('match')
    expect(compareExchange(json({ a: 1 }), raw('oops', { 'content-type': 'text/plain' }), cfg()).differences)
      .toEqual([{ kind: 'type', path: '$', primary: 'json', shadow: 'text' }])
  })
})
