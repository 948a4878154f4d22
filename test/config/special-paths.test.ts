import { expect, test } from 'vitest'
import { formatProblem } from '../../src/config/format-problem.js'
import { HEAD, loadErrors, loadOk } from './helpers.js'

test('$status, $headers[...], $body and JSON paths load in ignore, typeOnly and accept; route lists are added to the global ones', async () => {
  const { rules } = await loadOk(HEAD + `compare:
  ignore: ["$status", "$headers['X-Trace']"]
  typeOnly: ["$..createdAt", "$body"]
  accept:
    - { path: "$status", primary: 200, shadow: 201 }
routes:
  - name: users
    match: { path: /api/users/** }
    serve: legacy
    shadow: orders
    compare:
      ignore: ["$body", "$..requestId"]
      typeOnly: ["$headers[\\"ETag\\"]"]
      accept:
        - { path: "$..bio", primary: "", shadow: null }
        - { path: "$.debug", shadow: true }
        - { path: "$headers['x-version']", primary: null, shadow: "2" }
`)
  expect(rules.compare.ignore).toEqual(['$status', "$headers['X-Trace']"])
  const c = rules.routes[0]!.compare
  expect(c.ignore).toEqual(['$status', "$headers['X-Trace']", '$body', '$..requestId'])
  expect(c.typeOnly).toEqual(['$..createdAt', '$body', '$headers["ETag"]'])
  expect(c.accept).toEqual([
    { path: '$status', primary: 200, shadow: 201 },
    { path: '$..bio', primary: '', shadow: null },
    { path: '$.debug', shadow: true },
    { path: "$headers['x-version']", primary: null, shadow: '2' }
  ])
  // a side left out is absent, not a key set to undefined
  expect(Object.keys(c.accept[2]!)).toEqual(['path', 'shadow'])
})

test('a bad path or accept rule is an error with its line, column and route, all at once', async () => {
  const errors = await loadErrors(HEAD + `compare:
  ignore: ["$stat"]
routes:
  - name: users
    match: { path: /api/users/** }
    serve: legacy
    compare:
      typeOnly: ["$headers[etag]"]
      accept:
        - { path: "$status", primary: 200, shadow: "201" }
        - { path: "$..bio" }
        - { path: "$body", primary: 1, shadow: "x" }
        - { path: "$.a", primary: 1, shadow: 2, note: why }
`)
  expect(errors.map(e => [e.code, e.route, e.line, e.at])).toEqual([
    ['RULES_BAD_JSON_PATH', null, 7, 'compare.ignore[0]'],
    ['RULES_BAD_JSON_PATH', 'users', 13, 'routes[0].compare.typeOnly[0]'],
    ['RULES_INVALID_VALUE', 'users', 15, 'routes[0].compare.accept[0].shadow'],
    ['RULES_INVALID_VALUE', 'users', 16, 'routes[0].compare.accept[1]'],
    ['RULES_INVALID_VALUE', 'users', 17, 'routes[0].compare.accept[2].primary'],
    ['RULES_UNKNOWN_KEY', 'users', 18, 'routes[0].compare.accept[3].note']
  ])
  expect(errors[0]!.message).toMatch(/\$status, \$body and \$headers\['name'\]/)
  expect(errors[2]!.message).toMatch(/status code/)
  expect(errors[3]!.message).toMatch(/primary value, the shadow value or both/)
  expect(formatProblem(errors[1]!)).toMatch(/:13:\d+ error RULES_BAD_JSON_PATH route "users": /)
})

test('redact paths stay JSON paths only', async () => {
  const errors = await loadErrors(HEAD + `redact:
  paths: ["$status"]
`)
  expect(errors.map(e => [e.code, e.at])).toEqual([['RULES_BAD_JSON_PATH', 'redact.paths[0]']])
})
