import { expect, test } from 'vitest'
import { loadErrors } from './helpers.js'

// regression (issue 12): a file without `version` or `serve` got
// RULES_INVALID_VALUE ("expected 1, got nothing"), not RULES_MISSING_KEY
test('missing version and serve are RULES_MISSING_KEY, each saying what to add', async () => {
  const errors = await loadErrors(`upstreams:
  legacy: { url: http://127.0.0.1:3000 }
routes: []
`)
  expect(errors.map(e => [e.code, e.at, e.line])).toEqual([
    ['RULES_MISSING_KEY', 'version', 1],
    ['RULES_MISSING_KEY', 'serve', 1]
  ])
  expect(errors[0]!.message).toBe('missing required key "version": add `version: 1`')
  expect(errors[1]!.message).toMatch(/^missing required key "serve": the upstream a request that matches no route goes to/)
})

test('a wrong version is still an invalid value, and a missing upstreams a missing key', async () => {
  const errors = await loadErrors(`version: 2
serve: legacy
`)
  expect(errors.map(e => [e.code, e.at])).toEqual([
    ['RULES_MISSING_KEY', 'upstreams'],
    ['RULES_INVALID_VALUE', 'version']
  ])
})
