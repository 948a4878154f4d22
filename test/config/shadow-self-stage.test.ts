import { expect, test } from 'vitest'
import { HEAD, loadOk } from './helpers.js'

// regression (issue 12): `serve: orders` + `shadow: orders` was counted as
// "verifying" (and legacy + legacy as "shadowing"), yet nothing is mirrored
test('a shadow that is the one upstream served leaves the stage of the route without a shadow, with a warning', async () => {
  const { rules, warnings } = await loadOk(HEAD + `routes:
  - { name: self-new, match: { path: /a }, serve: orders, shadow: orders }
  - { name: self-legacy, match: { path: /b }, serve: legacy, shadow: legacy }
  - { name: verifying, match: { path: /c }, serve: orders, shadow: legacy }
  - { name: shadowing, match: { path: /d }, serve: legacy, shadow: orders }
  - { name: canary, match: { path: /e }, serve: { orders: 1, legacy: 1 }, shadow: orders }
`)
  expect(Object.fromEntries(rules.routes.map(r => [r.name, r.stage]))).toEqual({
    'self-new': 'migrated',
    'self-legacy': 'legacy',
    verifying: 'verifying',
    shadowing: 'shadowing',
    canary: 'canary'
  })
  expect(warnings.map(w => [w.code, w.route])).toEqual([['RULES_SHADOW_SELF', 'self-new'], ['RULES_SHADOW_SELF', 'self-legacy']])
})
