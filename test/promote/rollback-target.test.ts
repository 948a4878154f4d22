import { describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../src/store/audit-entry.js'
import { rollbackTarget } from '../../src/promote/rollback-target.js'
import { routeDrift } from '../../src/promote/route-drift.js'
import { replaceRouteText } from '../../src/promote/route-text.js'

const FILE = '/srv/rules.yaml'

function entry (id: string, action: AuditEntry['action'], extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    v: 1, id, at: '2026-03-01T10:00:00.000Z', by: 'ana', action, route: 'get-order',
    from: { stage: 'shadowing', serve: 'legacy', shadow: 'orders' },
    to: { stage: 'canary', serve: { orders: 10, legacy: 90 }, shadow: 'orders' },
    evidence: null, forced: false, reason: null, file: FILE, hashBefore: '0', hashAfter: '1',
    routeBefore: 'name: get-order\n    match: { path: /a }\n    serve: legacy\n    shadow: orders\n',
    ...extra
  }
}

describe('rollbackTarget', () => {
  it('is the last flip not undone yet: rolling back twice goes back two flips', () => {
    const log = [entry('a1', 'promote'), entry('a2', 'promote'), entry('a3', 'rollout-step')]
    expect(rollbackTarget(log, 'get-order', FILE)?.id).toBe('a3')
    log.push(entry('b1', 'rollback', { undoes: 'a3' }))
    expect(rollbackTarget(log, 'get-order', FILE)?.id).toBe('a2')
    log.push(entry('b2', 'rollback', { undoes: 'a2' }))
    expect(rollbackTarget(log, 'get-order', FILE)?.id).toBe('a1')
    log.push(entry('a4', 'promote'))
    expect(rollbackTarget(log, 'get-order', FILE)?.id).toBe('a4')
    log.push(entry('b3', 'rollback', { undoes: 'a4' }), entry('b4', 'rollback', { undoes: 'a1' }))
    expect(rollbackTarget(log, 'get-order', FILE)).toBeNull()
  })

  it('looks only at the route and the rules file asked about', () => {
    const log = [entry('a1', 'promote'), entry('x1', 'promote', { route: 'list-orders' }), entry('y1', 'promote', { file: '/srv/other.yaml' })]
    expect(rollbackTarget(log, 'get-order', FILE)?.id).toBe('a1')
    expect(rollbackTarget(log, 'list-orders', FILE)?.id).toBe('x1')
    expect(rollbackTarget(log, 'get-order', '/srv/elsewhere.yaml')).toBeNull()
  })
})

describe('routeDrift', () => {
  const HEAD = 'version: 1\nupstreams:\n  legacy: { url: http://127.0.0.1:3000 }\n  orders: { url: http://127.0.0.1:4000 }\nserve: legacy\nroutes:\n  - '
  const flipped = HEAD + 'name: get-order\n    match: { path: /a }\n    serve: { orders: 10, legacy: 90 }\n    shadow: orders\n'
  const flip = entry('a1', 'promote')
  const drift = (current: string): string[] => routeDrift(current, replaceRouteText(current, 'get-order', flip.routeBefore), 'get-order', flip)

  it('is empty when the route is as the flip left it (other routes may have changed)', () => {
    expect(drift(flipped)).toEqual([])
    expect(drift(flipped + '  - { name: other, match: { path: /b }, serve: legacy }\n')).toEqual([])
  })

  it('lists the keys edited since, and a routing other than the flip\'s', () => {
    const edited = flipped
      .replace('match: { path: /a }', 'match: { path: /a2 }')
      .replace('    shadow: orders\n', '    compare: { ignore: ["$.at"] }\n')
      .replace('{ orders: 10, legacy: 90 }', '{ orders: 20, legacy: 80 }')
    expect(drift(edited)).toEqual([
      'match was changed',
      'compare was added',
      'it routes orders 20%, legacy 80% now; the promote left orders 10%, legacy 90%, shadow orders'
    ])
  })
})
