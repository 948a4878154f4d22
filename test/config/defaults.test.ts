import { expect, test } from 'vitest'
import { HEAD, loadOk } from './helpers.js'

test('optional keys take their documented defaults', async () => {
  const { rules, warnings } = await loadOk(HEAD + `routes:
  - { name: a, match: { path: /a }, serve: orders }
`)
  expect(warnings).toEqual([])
  expect(rules.upstreams['orders']!.timeoutMs).toBe(30_000)
  expect(rules.shadow).toEqual({ sample: 1, timeoutMs: 5000, maxConcurrent: 64, maxBodyBytes: 1024 * 1024, maxBufferedBytes: 8 * 1024 * 1024, correlationEntries: 100_000, calibrate: 0, keepPairs: 'mismatches', maxPairsPerMinute: 60 })
  expect(rules.limits).toEqual({ requestBodyBytes: 100 * 1024 * 1024, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 65_000, transformBodyBytes: 1024 * 1024 })
  expect(rules.compare).toEqual({ headers: [], ignore: [], unordered: [], tolerance: 0, typeOnly: [], accept: [] })
  const r = rules.routes[0]!
  expect(r).toMatchObject({ shadow: null, shadowWrites: false, sticky: null, fallback: null, rewrite: { stripPrefix: null }, allowEncodedPaths: false })
  expect(r.match.methods).toBeNull()
})

test('a file without routes sends everything to serve', async () => {
  const { rules } = await loadOk(HEAD)
  expect(rules.routes).toEqual([])
  expect(rules.serve).toBe('legacy')
})
