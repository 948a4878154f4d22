import { expect, test } from 'vitest'
import { runCheck } from '../../src/cli/run-check.js'
import { HEAD, loadErrors, loadOk, writeRules } from './helpers.js'

// regression (issue 12): `method: GTE` passed `check`, whose summary then
// counted the route as "migrated"
test('a misspelt method is RULES_UNKNOWN_METHOD with a suggestion, alone or in a list', async () => {
  const errors = await loadErrors(HEAD + `routes:
  - { name: a, match: { method: GTE, path: /a }, serve: orders }
  - { name: b, match: { method: [GET, PSOT], path: /b }, serve: orders }
  - { name: c, match: { method: delet, path: /c }, serve: orders }
`)
  expect(errors.map(e => [e.code, e.route, e.at])).toEqual([
    ['RULES_UNKNOWN_METHOD', 'a', 'routes[0].match.method'],
    ['RULES_UNKNOWN_METHOD', 'b', 'routes[1].match.method[1]'],
    ['RULES_UNKNOWN_METHOD', 'c', 'routes[2].match.method']
  ])
  expect(errors[0]!.message).toBe('match.method: unknown method "GTE"; did you mean "GET"? (a route can match GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH; the proxy forwards no other method)')
  expect(errors[1]!.message).toContain('did you mean "POST"?')
  expect(errors[2]!.message).toContain('did you mean "DELETE"?')
})

test('TRACE, CONNECT and extension methods are refused with the reason; the seven forwarded ones load in any case', async () => {
  const errors = await loadErrors(HEAD + `routes:
  - { name: t, match: { method: TRACE, path: /t }, serve: legacy }
  - { name: c, match: { method: connect, path: /c }, serve: legacy }
  - { name: p, match: { method: PROPFIND, path: /p }, serve: legacy }
`)
  expect(errors.map(e => e.code)).toEqual(['RULES_UNKNOWN_METHOD', 'RULES_UNKNOWN_METHOD', 'RULES_UNKNOWN_METHOD'])
  expect(errors[0]!.message).toMatch(/TRACE is answered by the proxy itself/)
  expect(errors[1]!.message).toMatch(/CONNECT is answered by the proxy itself/)
  expect(errors[2]!.message).toBe('match.method: unknown method "PROPFIND" (a route can match GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH; the proxy forwards no other method)')
  const { rules } = await loadOk(HEAD + `routes:
  - { name: all, match: { method: [get, Head, POST, put, DELETE, options, patch], path: /x }, serve: legacy }
`)
  expect(rules.routes[0]!.match.methods).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])
})

test('check exits 1 on it and does not print a summary by stage', async () => {
  const file = await writeRules(HEAD + `routes:
  - { name: a, match: { method: GTE, path: /a }, serve: orders }
`)
  let out = ''
  const code = await runCheck({ rules: file }, { stdout: (s) => { out += s }, stderr: (s) => { out += s } })
  expect(code).toBe(1)
  expect(out).toContain('error RULES_UNKNOWN_METHOD route "a"')
  expect(out).not.toContain('migrated')
})
