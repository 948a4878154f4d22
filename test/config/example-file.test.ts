import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { loadRulesFile } from '../../src/config/load.js'

const EXAMPLE = fileURLToPath(new URL('../../rules/example.yaml', import.meta.url))

test('rules/example.yaml loads with no errors and no warnings, every stage shown', async () => {
  const result = await loadRulesFile(EXAMPLE)
  if (!result.ok) throw new Error(result.errors.map(e => `${e.line}: ${e.message}`).join('\n'))
  expect(result.warnings).toEqual([])
  expect(new Set(result.rules.routes.map(r => r.stage))).toEqual(new Set(['legacy', 'shadowing', 'canary', 'migrated', 'verifying']))
  expect(result.rules.source).toBe(EXAMPLE)
})

test('the example uses every key of the rules file', async () => {
  const result = await loadRulesFile(EXAMPLE)
  if (!result.ok) throw new Error('example invalid')
  const { rules } = result
  const route = (name: string) => rules.routes.find(r => r.name === name)!
  expect(rules.limits).toEqual({ requestBodyBytes: 100 * 1024 * 1024, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 65_000, transformBodyBytes: 1024 * 1024 })
  expect(route('users').allowEncodedPaths).toBe(false)
  expect(rules.compare.headers.length).toBeGreaterThan(0)
  expect(route('get-order').sticky).not.toBeNull()
  expect(route('users').rewrite.stripPrefix).toBe('/api')
  expect(route('users').fallback?.methods).toContain('PUT')
  expect(route('users').redact.paths).toContain('$.ssn')
  expect(route('users').redact.query).toEqual(expect.arrayContaining(['tenantpin', 'invite']))
  expect(rules.redact.keep).toEqual(['$..nextPageToken'])
  expect(route('list-orders').compare.tolerance).toBe(0.001)
  expect(route('get-order-acme').match).toMatchObject({
    headers: [{ name: 'x-tenant', equals: 'acme' }, { name: 'x-debug', present: false }],
    query: [{ name: 'beta', equals: '1' }],
    host: { suffix: '.example.com' }
  })
  expect(rules.upstreams['orders']!.headers).not.toBeNull()
  expect(rules.correlate.map(c => c.name)).toEqual(['session-token', 'order-number'])
  expect(route('list-orders').learn).toEqual(['$.user.token', '$.order.number'])
  expect(rules.shadow.correlationEntries).toBe(100_000)
  expect(rules.shadow).toMatchObject({ keepPairs: 'mismatches', maxPairsPerMinute: 60, calibrate: 0.05 })
})
