import { expect, test } from 'vitest'
import { HEAD, loadErrors, loadOk } from './helpers.js'

// limits.headersTimeout, limits.keepAliveTimeout and a route's allowEncodedPaths
// (issue 12) load like every other key: converted, and refused at line:col.
test('client limits and allowEncodedPaths are read and converted', async () => {
  const { rules } = await loadOk(HEAD + `limits: { headersTimeout: 300ms, keepAliveTimeout: 5s }
routes:
  - { name: files, match: { path: "/files/**" }, serve: orders, allowEncodedPaths: true }
`)
  expect(rules.limits.headersTimeoutMs).toBe(300)
  expect(rules.limits.keepAliveTimeoutMs).toBe(5000)
  expect(rules.routes[0]!.allowEncodedPaths).toBe(true)
})

test('a zero or unitless client timeout and a non-boolean allowEncodedPaths are coded errors at their line and column', async () => {
  const errors = await loadErrors(HEAD + `limits:
  headersTimeout: 0s
  keepAliveTimeout: 5
routes:
  - name: files
    match: { path: "/files/**" }
    serve: orders
    allowEncodedPaths: "yes"
`)
  expect(errors.map(e => [e.code, e.at, e.line, e.column])).toEqual([
    ['RULES_INVALID_VALUE', 'limits.headersTimeout', 7, 19],
    ['RULES_BAD_DURATION', 'limits.keepAliveTimeout', 8, 21],
    ['RULES_INVALID_VALUE', 'routes[0].allowEncodedPaths', 13, 24]
  ])
  expect(errors[0]!.message).toMatch(/more than 0/)
  expect(errors[2]!.route).toBe('files')
})
