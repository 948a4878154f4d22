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
  expect(rules.limits.requestBodyBytes).toBe(100 * 1024 * 1024)
  expect(rules.compare.headers.length).toBeGreaterThan(0)
  expect(route('get-order').sticky).not.toBeNull()
  expect(route('users').rewrite.stripPrefix).toBe('/api')
  expect(route('users').fallback?.methods).toContain('PUT')
  expect(route('users').redact.paths).toContain('$.ssn')
  expect(route('users').redact.query).toEqual(expect.arrayContaining(['tenantpin', 'invite']))
  expect(rules.redact.keep).toEqual(['$..nextPageToken'])
  expect(route('list-orders').compare.tolerance).toBe(0.001)
})
