import { describe, expect, test } from 'vitest'
import { parsePathPattern, patternCovers } from '../../src/config/path-pattern.js'
import type { RouteMatch } from '../../src/config/types.js'

const m = (path: string, methods: string[] | null = null): RouteMatch => ({ methods, path: parsePathPattern(path), headers: [], query: [], host: null })

describe('patternCovers(a, b): a matches everything b does', () => {
  test.each([
    ['/**', '/anything/at/all'],
    ['/**', '/'],
    ['/**', '/x/**'],
    ['/api/**', '/api'],
    ['/api/**', '/api/users/{id}'],
    ['/api/**', '/api/users/**'],
    ['/api/{x}/**', '/api/users/**'],
    ['/api/orders', '/api/orders'],
    ['/api/{id}', '/api/orders'],
    ['/api/{id}', '/api/{other}'],
    ['/api/{id}', '/api/{f}.{e}'],
    ['/files/{f}.{e}', '/files/a.txt'],
    ['/files/{f}.{e}', '/files/{x}.{y}'],
    ['/', '/']
  ])('%s covers %s', (a, b) => {
    expect(patternCovers(m(a), m(b))).toBe(true)
  })

  test.each([
    ['/api/orders', '/api/{id}'],
    ['/api/orders', '/api/orders/**'],
    ['/api/orders', '/api/orders/x'],
    ['/api/{id}', '/api/{id}/x'],
    ['/api/users/**', '/api/**'],
    ['/api/users/**', '/api'],
    ['/files/{f}.{e}', '/files/{id}'],
    ['/files/{f}.{e}', '/files/noext'],
    ['/files/{f}.json', '/files/{f}.{e}'],
    ['/a', '/b'],
    ['/', '/**']
  ])('%s does not cover %s', (a, b) => {
    expect(patternCovers(m(a), m(b))).toBe(false)
  })

  test('methods: any covers a list; a list covers its subsets only', () => {
    expect(patternCovers(m('/x', null), m('/x', ['GET']))).toBe(true)
    expect(patternCovers(m('/x', ['GET', 'HEAD']), m('/x', ['HEAD']))).toBe(true)
    expect(patternCovers(m('/x', ['GET']), m('/x', ['GET', 'POST']))).toBe(false)
    expect(patternCovers(m('/x', ['GET']), m('/x', null))).toBe(false)
  })
})
