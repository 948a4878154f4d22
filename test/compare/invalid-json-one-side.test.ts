import { describe, expect, it } from 'vitest'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { cfg, raw } from './helpers.js'

const jsonH = { 'content-type': 'application/json' }

describe('invalid JSON on one side', () => {
  it('is a type difference at $ naming json and invalid-json, never a throw', () => {
    const r = compareExchange(raw('{"a":1}', jsonH), raw('{"a":1', jsonH), cfg())
    expect(r).toEqual({ outcome: 'mismatch', differences: [{ kind: 'type', path: '$', primary: 'json', shadow: 'invalid-json' }], truncated: false })
    const r2 = compareExchange(raw('<html>oops</html>', jsonH), raw('{"a":1}', jsonH), cfg())
    expect(r2.differences).toEqual([{ kind: 'type', path: '$', primary: 'invalid-json', shadow: 'json' }])
  })

  it('an HTML error page against JSON names the page text', () => {
    const r = compareExchange(raw('{"a":1}', jsonH), raw('<h1>502</h1>', { 'content-type': 'text/html' }), cfg())
    expect(r.differences).toEqual([{ kind: 'type', path: '$', primary: 'json', shadow: 'text' }])
  })

  it('an empty body against JSON is named empty', () => {
    const r = compareExchange(raw('{"a":1}', jsonH), raw(null, jsonH), cfg())
    expect(r.differences).toEqual([{ kind: 'type', path: '$', primary: 'json', shadow: 'empty' }])
  })

  it('invalid on both sides: compared as bytes', () => {
    expect(compareExchange(raw('{oops', jsonH), raw('{oops', jsonH), cfg()).outcome).toBe('match')
    const r = compareExchange(raw('{oops', jsonH), raw('{oops!', jsonH), cfg())
    expect(r.differences).toEqual([{ kind: 'body', path: '$body', primary: expect.stringMatching(/^invalid-json, 5 bytes/), shadow: expect.stringMatching(/^invalid-json, 6 bytes/) }])
  })

  it('a UTF-8 byte order mark does not make JSON invalid', () => {
    const r = compareExchange(raw(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]), jsonH), raw('{"a":1}', jsonH), cfg())
    expect(r.outcome).toBe('match')
  })
})
