import { describe, expect, it } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import type { RouteConfig } from '../../src/config/types.js'
import { nextStage, type NextStageOptions, type StageStep } from '../../src/promote/next-stage.js'

const HEAD = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
  users: { url: http://127.0.0.1:5000 }
serve: legacy
routes:
`

function route (keys: string): RouteConfig {
  const r = loadRulesText(`${HEAD}  - { name: r, match: { path: /r }, ${keys} }\n`, 'rules.yaml')
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  return r.rules.routes[0]!
}

const UPSTREAMS = ['legacy', 'orders', 'users']
const next = (keys: string, opts: Partial<NextStageOptions> = {}) => nextStage(route(keys), 'legacy', { upstreams: UPSTREAMS, ...opts })

function step (keys: string, opts: Partial<NextStageOptions> = {}): StageStep {
  const s = next(keys, opts)
  if (!s.ok) throw new Error(`${s.code}: ${s.message}`)
  return s
}

describe('nextStage', () => {
  it('goes legacy → shadowing → canary 10 → 25 → 50 → migrated → verifying, gated only where the new side gets more traffic', () => {
    const plan: Array<[string, Partial<NextStageOptions>, object, boolean]> = [
      ['serve: legacy', { shadow: 'orders' }, { stage: 'shadowing', serve: 'legacy', shadow: 'orders' }, false],
      ['serve: legacy, shadow: orders', {}, { stage: 'canary', serve: { orders: 10, legacy: 90 }, shadow: 'orders' }, true],
      ['serve: { orders: 10, legacy: 90 }, shadow: orders', {}, { stage: 'canary', serve: { orders: 25, legacy: 75 }, shadow: 'orders' }, true],
      ['serve: { orders: 25, legacy: 75 }, shadow: orders', {}, { stage: 'canary', serve: { orders: 50, legacy: 50 }, shadow: 'orders' }, true],
      ['serve: { orders: 50, legacy: 50 }, shadow: orders', {}, { stage: 'migrated', serve: 'orders', shadow: null }, true],
      ['serve: orders', {}, { stage: 'verifying', serve: 'orders', shadow: 'legacy' }, false]
    ]
    for (const [keys, opts, to, gated] of plan) {
      const s = step(keys, opts)
      expect(s.to).toEqual(to)
      expect(s.gated).toBe(gated)
      expect(s.newSide).toBe(keys.includes('users') ? 'users' : 'orders')
    }
  })

  it('takes --weight and --to, keeps the order the file wrote the weights in, and the shadow as it is', () => {
    expect(step('serve: legacy, shadow: orders', { weight: 5 }).to).toEqual({ stage: 'canary', serve: { orders: 5, legacy: 95 }, shadow: 'orders' })
    expect(step('serve: { legacy: 90, orders: 10 }', { weight: 33.3 }).to).toEqual({ stage: 'canary', serve: { legacy: 66.7, orders: 33.3 }, shadow: null })
    expect(step('serve: { orders: 10, legacy: 90 }, shadow: orders', { weight: 100 }).to).toEqual({ stage: 'migrated', serve: 'orders', shadow: null })
    expect(step('serve: legacy, shadow: orders', { to: 'migrated' }).to).toEqual({ stage: 'migrated', serve: 'orders', shadow: null })
    expect(step('serve: legacy', { to: 'canary', shadow: 'users' }).to).toEqual({ stage: 'canary', serve: { users: 10, legacy: 90 }, shadow: 'users' })
    // a canary at a weight that is no step goes to the next one above it
    expect(step('serve: { orders: 30, legacy: 70 }').to.serve).toEqual({ orders: 50, legacy: 50 })
    // weights that do not add up to 100 are read as shares
    expect(step('serve: { orders: 1, legacy: 3 }').to.serve).toEqual({ orders: 50, legacy: 50 })
  })

  it('moves back without gates: --to legacy, a lower weight, and ends verifying only with gates', () => {
    const back = step('serve: orders, shadow: legacy', { to: 'legacy' })
    expect(back.to).toEqual({ stage: 'legacy', serve: 'legacy', shadow: null })
    expect(back.gated).toBe(false)
    expect(step('serve: { orders: 50, legacy: 50 }', { weight: 10 }).gated).toBe(false)
    const done = step('serve: orders, shadow: legacy', { to: 'migrated' })
    expect(done.to).toEqual({ stage: 'migrated', serve: 'orders', shadow: null })
    expect(done.gated).toBe(true)
  })

  it('refuses what the route\'s state does not allow, exit 1', () => {
    const refusal = (keys: string, opts: Partial<NextStageOptions> = {}) => {
      const s = next(keys, opts)
      if (s.ok) throw new Error('expected a refusal')
      expect(s.usage).toBe(false)
      return `${s.code}: ${s.message}`
    }
    expect(refusal('serve: orders, shadow: legacy')).toMatch(/^PROMOTE_NO_NEXT_STAGE: r is verifying \(serve orders, shadow legacy\), the last stage: nothing comes after it\. .*--to migrated/)
    expect(refusal('serve: legacy, shadow: orders', { to: 'shadowing' })).toBe('PROMOTE_SAME_STAGE: r is shadowing already (serve legacy, shadow orders)')
    expect(refusal('serve: { orders: 25, legacy: 75 }', { weight: 25 })).toBe('PROMOTE_SAME_STAGE: r is orders 25%, legacy 75% already')
    expect(refusal('serve: { orders: 10, users: 10, legacy: 80 }')).toMatch(/^PROMOTE_NO_NEW_SIDE: r serves orders 10%, users 10%, legacy 80%: promote cannot tell/)
    expect(refusal('serve: legacy, shadow: orders', { shadow: 'users' })).toBe('PROMOTE_NO_NEW_SIDE: r already moves to orders (serve legacy, shadow orders); --shadow users names another upstream')
  })

  it('answers nonsense flags as bad usage, exit 2, naming the flag', () => {
    const usage = (keys: string, opts: Partial<NextStageOptions>) => {
      const s = next(keys, opts)
      if (s.ok) throw new Error('expected a refusal')
      expect(s.code).toBe('USAGE')
      expect(s.usage).toBe(true)
      return s.message
    }
    expect(usage('serve: legacy', {})).toBe('r serves legacy and mirrors to no new service: name it with --shadow UPSTREAM (e.g. --shadow orders)')
    expect(usage('serve: legacy', { shadow: 'ordres' })).toBe('--shadow ordres: the rules file has no upstream of that name (upstreams: legacy, orders, users); did you mean "orders"?')
    expect(usage('serve: legacy', { shadow: 'legacy' })).toMatch(/^--shadow legacy: that is the legacy side/)
    expect(usage('serve: legacy, shadow: orders', { weight: 0 })).toMatch(/^--weight 0: a weight is the new side's percentage, above 0 and at most 100/)
    expect(usage('serve: legacy, shadow: orders', { weight: 101 })).toMatch(/^--weight 101/)
    expect(usage('serve: legacy, shadow: orders', { to: 'migrated', weight: 50 })).toBe('--weight sets a canary\'s weight: it does not go with --to migrated')
  })
})
