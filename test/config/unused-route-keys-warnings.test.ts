import { expect, test } from 'vitest'
import { HEAD, loadOk } from './helpers.js'

// regression (issue 12): `sticky` without weights and `shadowWrites: true`
// without `shadow` loaded silently, though they do nothing
test('sticky on a single upstream and shadowWrites without shadow are warnings at their keys', async () => {
  const { warnings } = await loadOk(HEAD + `routes:
  - name: one-upstream
    match: { path: /a }
    serve: orders
    sticky: header:x-user-id
  - name: no-shadow
    match: { path: /b }
    serve: legacy
    shadowWrites: true
  - name: fine
    match: { path: /c }
    serve: { orders: 1, legacy: 9 }
    sticky: cookie:uid
    shadow: legacy
    shadowWrites: true
  - name: explicit-default
    match: { path: /d }
    serve: legacy
    shadowWrites: false
`)
  expect(warnings.map(w => [w.code, w.route, w.at, w.line])).toEqual([
    ['RULES_STICKY_UNUSED', 'one-upstream', 'routes[0].sticky', 10],
    ['RULES_SHADOW_WRITES_UNUSED', 'no-shadow', 'routes[1].shadowWrites', 14]
  ])
  expect(warnings[0]!.message).toBe('sticky does nothing here: serve names one upstream ("orders"); stickiness only chooses among weights, e.g. serve: { orders: 10, legacy: 90 }')
  expect(warnings[1]!.message).toMatch(/^shadowWrites: true does nothing here: the route has no shadow/)
})
