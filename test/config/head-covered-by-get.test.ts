import { expect, test } from 'vitest'
import { parsePathPattern, patternCovers } from '../../src/config/path-pattern.js'
import { HEAD, loadOk } from './helpers.js'

const match = (methods: string[] | null, path: string) => ({ methods, path: parsePathPattern(path), headers: [], query: [], host: null })

test('a GET route covers a later HEAD route (GET takes HEAD), not the other way round', () => {
  expect(patternCovers(match(['GET'], '/x/{id}'), match(['HEAD'], '/x/1'))).toBe(true)
  expect(patternCovers(match(['GET'], '/x/{id}'), match(['GET', 'HEAD'], '/x/1'))).toBe(true)
  expect(patternCovers(match(['HEAD'], '/x/{id}'), match(['GET'], '/x/1'))).toBe(false)
  expect(patternCovers(match(['POST'], '/x/{id}'), match(['HEAD'], '/x/1'))).toBe(false)
})

test('the unreachable-route warning agrees: HEAD after GET is unreachable, HEAD before GET is not', async () => {
  const { warnings } = await loadOk(HEAD + `routes:
  - { name: head-first, match: { method: HEAD, path: /a }, serve: orders }
  - { name: get-a, match: { method: GET, path: /a }, serve: legacy }
  - { name: get-b, match: { method: GET, path: "/b/{id}" }, serve: legacy }
  - { name: head-b, match: { method: head, path: /b/1 }, serve: orders }
`)
  expect(warnings.map(w => [w.code, w.route, w.line])).toEqual([['RULES_UNREACHABLE_ROUTE', 'head-b', 10]])
  expect(warnings[0]!.message).toMatch(/"get-b"/)
})
