import { describe, expect, it } from 'vitest'
import { isMap } from 'yaml'
import { loadRulesText } from '../../src/config/load.js'
import { editRouteNode } from '../../src/promote/edit-route-node.js'
import { replaceRouteText, routeText } from '../../src/promote/route-text.js'
import { setRouteRouting, type RouteRouting } from '../../src/promote/set-route-routing.js'
import type { StranglerError } from '../../src/errors.js'

const RULES = `# strangler rules for the shop: reviewed by the platform team
version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000, timeout: 30s }   # the monolith
  orders: { url: http://127.0.0.1:4000 }
  users:  { url: http://127.0.0.1:5000 }
serve: legacy

routes:
  # the hot path: flip it first
  - name: get-order        # one order by id
    match:
      method: GET
      path: "/api/orders/{id}"
    serve: legacy          # still the monolith
    compare: { ignore: ["$.requestId"] }

  - { name: list-orders, match: { path: /api/orders }, serve: legacy }   # one line

  - name: users
    match: { path: "/api/users/**" }
    serve:
      users: 50
      legacy: 50
    shadow: users
    # users keeps its own comment
  - name: tail
    match: { path: /tail }
    serve: legacy`

const set = (text: string, route: string, routing: RouteRouting, file = 'rules.yaml'): string =>
  editRouteNode(text, file, route, (node, doc) => { setRouteRouting(node, doc, routing) })

/** the text outside route `route`'s bytes: what an edit of that route must leave alone */
function outside (text: string, route: string): string {
  const own = routeText(text, route)
  const at = text.indexOf(own)
  return text.slice(0, at) + '\u0000' + text.slice(at + own.length)
}

function loads (text: string, file = 'rules.yaml') {
  const r = loadRulesText(text, file)
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  return r.rules
}

describe('editRouteNode with setRouteRouting', () => {
  it('flips a block route through every stage, keeping every other byte and its own comments', () => {
    const steps: RouteRouting[] = [
      { serve: 'legacy', shadow: 'orders' },
      { serve: { orders: 10, legacy: 90 }, shadow: 'orders' },
      { serve: { orders: 50, legacy: 50 }, shadow: 'orders' },
      { serve: 'orders', shadow: null },
      { serve: 'orders', shadow: 'legacy' }
    ]
    const stages = ['shadowing', 'canary', 'canary', 'migrated', 'verifying']
    let text = RULES
    steps.forEach((routing, i) => {
      const next = set(text, 'get-order', routing)
      expect(outside(next, 'get-order')).toBe(outside(text, 'get-order'))
      const route = loads(next).routes.find((r) => r.name === 'get-order')!
      expect(route.stage).toBe(stages[i])
      expect(route.shadow).toBe(routing.shadow)
      expect(routeText(next, 'get-order')).toContain('# one order by id')
      expect(routeText(next, 'get-order')).toContain('# still the monolith')
      text = next
    })
    expect(routeText(text, 'get-order')).toBe(`name: get-order        # one order by id
    match:
      method: GET
      path: "/api/orders/{id}"
    serve: orders          # still the monolith
    shadow: legacy
    compare: { ignore: ["$.requestId"] }
`)
  })

  it('writes weights as a flow mapping on the serve line and adds shadow right after serve', () => {
    const text = set(RULES, 'get-order', { serve: { orders: 10, legacy: 90 }, shadow: 'orders' })
    expect(text).toContain('    serve: { orders: 10, legacy: 90 }          # still the monolith\n    shadow: orders\n    compare:')
  })

  it('edits a one-line flow route inside its braces', () => {
    const a = set(RULES, 'list-orders', { serve: 'legacy', shadow: 'orders' })
    expect(a).toContain('  - { name: list-orders, match: { path: /api/orders }, serve: legacy, shadow: orders }   # one line\n')
    const b = set(a, 'list-orders', { serve: { orders: 25, legacy: 75 }, shadow: null })
    expect(b).toContain('  - { name: list-orders, match: { path: /api/orders }, serve: { orders: 25, legacy: 75 } }   # one line\n')
    expect(outside(b, 'list-orders')).toBe(outside(RULES, 'list-orders'))
  })

  it('replaces block weights by one upstream and keeps the comment after the route', () => {
    const text = set(RULES, 'users', { serve: 'users', shadow: null })
    expect(routeText(text, 'users')).toBe('name: users\n    match: { path: "/api/users/**" }\n    serve: users\n')
    expect(text).toContain('    serve: users\n    # users keeps its own comment\n  - name: tail')
    loads(text)
  })

  it('edits the last route of a file that has no final newline', () => {
    const text = set(RULES, 'tail', { serve: 'legacy', shadow: 'orders' })
    expect(text.endsWith('    serve: legacy\n    shadow: orders')).toBe(true)
    expect(loads(text).routes.at(-1)!.stage).toBe('shadowing')
  })

  it('restores the exact previous bytes of a route from routeText (every layout, every step)', () => {
    const plans: Array<[string, RouteRouting[]]> = [
      ['get-order', [{ serve: 'legacy', shadow: 'orders' }, { serve: { orders: 10, legacy: 90 }, shadow: 'orders' }, { serve: 'orders', shadow: null }, { serve: 'orders', shadow: 'legacy' }]],
      ['list-orders', [{ serve: 'legacy', shadow: 'orders' }, { serve: { orders: 25, legacy: 75 }, shadow: null }, { serve: 'orders', shadow: 'legacy' }]],
      ['users', [{ serve: { users: 75, legacy: 25 }, shadow: 'users' }, { serve: 'users', shadow: null }, { serve: 'users', shadow: 'legacy' }]],
      ['tail', [{ serve: 'legacy', shadow: 'orders' }, { serve: 'orders', shadow: null }]]
    ]
    for (const [route, steps] of plans) {
      let text = RULES
      const history: string[] = [text]
      for (const routing of steps) {
        const before = routeText(text, route)
        const next = set(text, route, routing)
        expect(replaceRouteText(next, route, before)).toBe(text)
        text = next
        history.push(text)
      }
      // and back through every step
      for (let i = history.length - 1; i > 0; i--) {
        expect(replaceRouteText(history[i]!, route, routeText(history[i - 1]!, route))).toBe(history[i - 1])
      }
    }
  })

  it('keeps the quoting of a scalar it changes', () => {
    const text = set(RULES.replace('    serve: legacy          # still', '    serve: "legacy"        # still'), 'get-order', { serve: 'orders', shadow: null })
    expect(text).toContain('    serve: "orders"        # still the monolith\n')
  })

  it('keeps a JSON rules file JSON: changed values in place, a new key on its own line at its indentation', () => {
    const json = JSON.stringify({
      version: 1,
      upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, orders: { url: 'http://127.0.0.1:4000' } },
      serve: 'legacy',
      routes: [{ name: 'get-order', match: { path: '/a' }, serve: 'legacy' }, { name: 'other', match: { path: '/b' }, serve: 'legacy' }]
    }, null, 2) + '\n'
    const a = set(json, 'get-order', { serve: 'legacy', shadow: 'orders' }, 'rules.json')
    expect(a).toContain('      "serve": "legacy",\n      "shadow": "orders"\n    },')
    const b = set(a, 'get-order', { serve: { orders: 10, legacy: 90 }, shadow: 'orders' }, 'rules.json')
    expect(b).toContain('      "serve": {"orders": 10, "legacy": 90},\n      "shadow": "orders"\n')
    const c = set(b, 'get-order', { serve: 'orders', shadow: null }, 'rules.json')
    expect(JSON.parse(c)).toEqual({ ...JSON.parse(json), routes: [{ name: 'get-order', match: { path: '/a' }, serve: 'orders' }, { name: 'other', match: { path: '/b' }, serve: 'legacy' }] })
    expect(c.slice(c.indexOf('"other"'))).toBe(json.slice(json.indexOf('"other"')))
    expect(replaceRouteText(c, 'get-order', routeText(b, 'get-order'))).toBe(b)
    loads(c, 'rules.json')
  })

  it('names a missing route with the close names, or the routes there are', () => {
    const err = (name: string): StranglerError => {
      try {
        set(RULES, name, { serve: 'orders', shadow: null })
      } catch (e) {
        return e as StranglerError
      }
      throw new Error('expected an error')
    }
    expect(err('get-ordr').code).toBe('PROMOTE_UNKNOWN_ROUTE')
    expect(err('get-ordr').message).toBe('no route "get-ordr" in rules.yaml; close names: get-order')
    expect(err('payments').message).toBe('no route "payments" in rules.yaml; its routes: get-order, list-orders, users, tail')
  })

  it('splices an in-place change of a nested mapping key by key (the rollout controller halting a rollout)', () => {
    const text = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
serve: legacy
routes:
  - name: get-order
    match: { path: /a }
    serve: { orders: 25, legacy: 75 }
    rollout:
      to: orders           # the new service
      steps: [10, 25, 50, 100]
`
    const out = editRouteNode(text, 'rules.yaml', 'get-order', (node, doc) => {
      setRouteRouting(node, doc, { serve: { orders: 10, legacy: 90 }, shadow: null })
      const rollout = node.get('rollout', true)
      if (isMap(rollout)) rollout.set('halted', 'orders: 5xx rate 4.2% over 10m, above 1%')
    })
    expect(out).toBe(text
      .replace('{ orders: 25, legacy: 75 }', '{ orders: 10, legacy: 90 }')
      .replace('      steps: [10, 25, 50, 100]\n', '      steps: [10, 25, 50, 100]\n      halted: "orders: 5xx rate 4.2% over 10m, above 1%"\n'))
    expect(loads(out).routes[0]!.rollout!.halted).toBe('orders: 5xx rate 4.2% over 10m, above 1%')
  })
})
