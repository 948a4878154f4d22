import { describe, expect, it } from 'vitest'
import { JsonPathSyntaxError, coversJsonPath, foldIndexes, formatJsonPath, matchesJsonPath, parseJsonPath } from '../../src/config/json-path.js'

describe('JSON path parser and matcher edge cases', () => {
  it('parses every step of the subset', () => {
    expect(parseJsonPath('$').steps).toEqual([])
    expect(parseJsonPath("$.a['b c'][3][*].*..d").steps).toEqual([
      { t: 'key', name: 'a' }, { t: 'key', name: 'b c' }, { t: 'index', n: 3 }, { t: 'wild' }, { t: 'wild' }, { t: 'desc', name: 'd' }
    ])
    expect(parseJsonPath('$["x"]..[\'odd key\']').steps).toEqual([{ t: 'key', name: 'x' }, { t: 'desc', name: 'odd key' }])
    expect(parseJsonPath("$['it\\'s']").steps).toEqual([{ t: 'key', name: "it's" }])
    expect(parseJsonPath('$.a-b.$c._d').steps.map(s => (s as { name: string }).name)).toEqual(['a-b', '$c', '_d'])
  })

  it('rejects what is outside the subset with the position', () => {
    const bad = ['', 'a.b', '$.', '$..', '$[', '$[1', "$['x", '$[-1]', '$[?(@.a)]', '$.a b', '$..*', '$.1a', '$[1:2]']
    for (const src of bad) {
      expect(() => parseJsonPath(src), src).toThrow(JsonPathSyntaxError)
    }
    try { parseJsonPath('$.a[x]') } catch (e) { expect((e as JsonPathSyntaxError).position).toBe(4) }
  })

  it('matches whole paths; covers ancestors', () => {
    const p = parseJsonPath('$.items[*].price')
    expect(matchesJsonPath(p, ['items', 3, 'price'])).toBe(true)
    expect(matchesJsonPath(p, ['items', 'x', 'price'])).toBe(true)
    expect(matchesJsonPath(p, ['items', 3])).toBe(false)
    expect(matchesJsonPath(p, ['items', 3, 'price', 'cents'])).toBe(false)
    expect(coversJsonPath(p, ['items', 3, 'price', 'cents'])).toBe(true)
    expect(coversJsonPath(p, ['items', 3])).toBe(false)
  })

  it('..key matches at any depth including the top, and only keys', () => {
    const p = parseJsonPath('$..id')
    expect(matchesJsonPath(p, ['id'])).toBe(true)
    expect(matchesJsonPath(p, ['a', 0, 'b', 'id'])).toBe(true)
    expect(matchesJsonPath(p, ['a', 'idx'])).toBe(false)
    expect(matchesJsonPath(p, ['id', 'x'])).toBe(false)
    expect(matchesJsonPath(parseJsonPath('$..a.b'), ['x', 'a', 'a', 'b'])).toBe(true)
  })

  it('an index never matches a key of the same digits', () => {
    expect(matchesJsonPath(parseJsonPath('$[0]'), ['0'])).toBe(false)
    expect(matchesJsonPath(parseJsonPath("$['0']"), [0])).toBe(false)
  })

  it('formats record paths that parse back to the same segments', () => {
    const segs = ['items', 3, 'a b', "it's", '$ok', '9lives', 'back\\slash']
    const rec = formatJsonPath(segs)
    expect(rec).toBe("$.items[3]['a b']['it\\'s'].$ok['9lives']['back\\\\slash']")
    expect(parseJsonPath(rec).steps.map(s => s.t === 'key' ? s.name : s.t === 'index' ? s.n : null)).toEqual(segs)
    expect(foldIndexes('$.items[3].tags[10]')).toBe('$.items[*].tags[*]')
  })
})
