import { expect, test } from 'vitest'
import { HEAD, loadErrors } from './helpers.js'

test('an unknown key anywhere is an error at the key, suggesting a close spelling', async () => {
  const errors = await loadErrors(`version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000, timout: 5s }
serve: legacy
shadw: { sample: 0.5 }
compare: { ignroe: ["$.a"] }
routes:
  - name: r
    match: { path: /a, methods: [GET] }
    serve: legacy
    rewrite: { strip: /a }
`)
  expect(errors.map(e => [e.code, e.at, e.line, e.column])).toEqual([
    ['RULES_UNKNOWN_KEY', 'upstreams.legacy.timout', 3, 41],
    ['RULES_UNKNOWN_KEY', 'shadw', 5, 1],
    ['RULES_UNKNOWN_KEY', 'compare.ignroe', 6, 12],
    ['RULES_UNKNOWN_KEY', 'routes[0].match.methods', 9, 24],
    ['RULES_MISSING_KEY', 'routes[0].rewrite.stripPrefix', 11, 14],
    ['RULES_UNKNOWN_KEY', 'routes[0].rewrite.strip', 11, 16]
  ])
  expect(errors[0]!.message).toBe('unknown key "timout" (known: url, timeout, headers); did you mean "timeout"?')
  expect(errors[1]!.message).toMatch(/did you mean "shadow"\?/)
  expect(errors[3]!.message).toMatch(/did you mean "method"\?/)
  expect(errors[5]!.message).not.toMatch(/did you mean/)
})

test('a missing required key is reported at the mapping that lacks it', async () => {
  const errors = await loadErrors(HEAD + `routes:
  - name: r
    serve: legacy
`)
  expect(errors.map(e => [e.code, e.message, e.line, e.route])).toEqual([
    ['RULES_MISSING_KEY', 'missing required key "match"', 7, 'r']
  ])
})

test('an empty file names what it needs', async () => {
  const errors = await loadErrors('# nothing yet\n')
  expect(errors.map(e => e.code)).toEqual(['RULES_MISSING_KEY'])
  expect(errors[0]!.message).toMatch(/version, upstreams and serve/)
})
