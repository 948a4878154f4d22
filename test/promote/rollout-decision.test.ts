import { describe, expect, it } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import type { RouteConfig, Rules } from '../../src/config/types.js'
import { evaluateGates, type GateResult } from '../../src/promote/evaluate-gates.js'
import { decideRollout, needsGates, type RolloutDecision } from '../../src/promote/rollout-decision.js'
import type { Routing } from '../../src/promote/rollout-routing.js'
import { LatencyBuckets } from '../../src/metrics/latency-buckets.js'
import type { AuditEntry } from '../../src/store/audit-entry.js'
import type { Rollup } from '../../src/store/rollup.js'

const NOW = new Date('2026-11-21T12:00:00.000Z')
const MIN = 60_000
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString()

const ROLLOUT = 'rollout: { to: orders, steps: [10, 50, 100], every: 30m, rollbackOn: { errorRate: 0.05, p99: 2 } }'

function rules (routes: string): Rules {
  const text = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
  billing: { url: http://127.0.0.1:5000 }
serve: legacy
gates: { minPairs: 10, window: 1h }
routes:
${routes}`
  const loaded = loadRulesText(text, 'rules.yaml')
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'))
  return loaded.rules
}

/** one route named `r`: its routing keys, then the rollout */
function route (routing: string, rollout = ROLLOUT): RouteConfig {
  return rules(`  - name: r
    match: { path: /r }
${routing.split('\n').map((l) => `    ${l}`).join('\n')}
    ${rollout}
`).routes[0]!
}

const gates = (r: RouteConfig, compared: number, matched = compared, errors = 0): GateResult =>
  evaluateGates(r.gates, { compared, matched, errors }, new Date(NOW.getTime() - r.gates.windowMs))

let ids = 0
function entry (action: AuditEntry['action'], at: string, from: Routing, to: Routing): AuditEntry {
  const routing = (x: Routing): AuditEntry['from'] => ({ stage: 'canary', serve: x.serve, shadow: x.shadow })
  return { v: 1, id: `e${++ids}`, at, by: 'test', action, route: 'r', from: routing(from), to: routing(to), evidence: null, forced: false, reason: null, file: '/rules.yaml', hashBefore: 'a', hashAfter: 'b', routeBefore: '' }
}

/** one rollup of route `r`: `requests` answers of `upstream`, `failed` of them 5xx, each taking `latencyMs` */
function rollup (upstream: string, at: string, requests: number, failed = 0, latencyMs = 20): Rollup {
  const h = new LatencyBuckets()
  for (let i = 0; i < requests; i++) h.add(latencyMs)
  const status: Record<string, number> = {}
  if (requests - failed > 0) status['2xx'] = requests - failed
  if (failed > 0) status['5xx'] = failed
  return { v: 1, at, ms: 10_000, proxy: 'p:1', route: 'r', upstream, requests, status, errors: 0, latency: h.toRecord() }
}

const SHADOWING: Routing = { serve: 'legacy', shadow: 'orders' }
const CANARY10: Routing = { serve: { orders: 10, legacy: 90 }, shadow: 'orders' }
const CANARY50: Routing = { serve: { orders: 50, legacy: 50 }, shadow: 'orders' }

function decide (r: RouteConfig, opts: { gates?: GateResult; audit?: AuditEntry[]; rollups?: Rollup[] } = {}): RolloutDecision {
  return decideRollout({ route: r, legacy: 'legacy', audit: opts.audit ?? [], gates: opts.gates ?? gates(r, 50), rollups: opts.rollups ?? [], now: NOW })
}

describe('rollout decisions', () => {
  it('does nothing while halted', () => {
    const r = route('serve: { orders: 10, legacy: 90 }', 'rollout: { to: orders, steps: [10, 50], rollbackOn: { errorRate: 0.01 }, halted: "2026-11-21T11:00:00.000Z rolled back: errorRate 9% > 1%" }')
    // a breach would roll it back; halted wins
    const d = decide(r, { rollups: [rollup('orders', ago(MIN), 100, 100)] })
    expect(d).toEqual({ kind: 'halted', route: 'r', why: 'halted: 2026-11-21T11:00:00.000Z rolled back: errorRate 9% > 1%' })
  })

  it('takes the first step at once when the gates hold, keeping the shadow', () => {
    const r = route('serve: legacy\nshadow: orders')
    const d = decide(r)
    expect(d).toMatchObject({ kind: 'step', weight: 10, from: SHADOWING, to: { serve: { orders: 10, legacy: 90 }, shadow: 'orders' } })
    if (d.kind !== 'step') throw new Error('step expected')
    expect(Object.keys(d.to.serve)).toEqual(['orders', 'legacy'])
    expect(d.evidence).toMatchObject({ pairs: 50, parity: 1, failed: [], served: { weight: 0, requests: 0 } })
  })

  it.each([
    ['too few pairs', 5, 5, 0, /^gates: minPairs: 5 pairs in the last 1h, 10 needed$/],
    ['parity under the gate', 50, 40, 0, /^gates: parity: 80% \(40 of 50 matched in the last 1h\), 99\.90% needed$/],
    ['too many shadow errors', 50, 50, 5, /^gates: maxShadowErrors: /]
  ])('waits on the gates: %s', (_name, compared, matched, errors, why) => {
    const r = route('serve: legacy\nshadow: orders')
    const d = decide(r, { gates: gates(r, compared, matched, errors) })
    expect(d).toMatchObject({ kind: 'wait', reason: 'gates', until: null })
    expect(d.kind === 'wait' && d.why).toMatch(why)
  })

  it('waits `every` after the last step of the run, then steps when the served traffic is healthy', () => {
    const r = route('serve: { orders: 10, legacy: 90 }\nshadow: orders')
    const early = decide(r, { audit: [entry('rollout-step', ago(10 * MIN), SHADOWING, CANARY10)], rollups: [rollup('orders', ago(2 * MIN), 100)] })
    expect(early).toMatchObject({ kind: 'wait', reason: 'every', until: new Date(NOW.getTime() + 20 * MIN) })
    expect(early.kind === 'wait' && early.why).toBe('next step (orders 50%) at 2026-11-21T12:20:00.000Z: every 30m since the step to 10% at 2026-11-21T11:50:00.000Z')

    const audit = [entry('rollout-step', ago(31 * MIN), SHADOWING, CANARY10)]
    const d = decide(r, { audit, rollups: [rollup('orders', ago(2 * MIN), 100, 1), rollup('legacy', ago(2 * MIN), 900)] })
    expect(d).toMatchObject({ kind: 'step', weight: 50, to: CANARY50 })
    expect(d.kind === 'step' && d.evidence.served).toEqual({ weight: 10, requests: 100, failed: 1, errorRate: 0.01, p99: expect.any(Number), otherRequests: 900, otherP99: expect.any(Number) })
  })

  it('needs 20 requests of the new side in the window before raising it', () => {
    const r = route('serve: { orders: 10, legacy: 90 }\nshadow: orders')
    const audit = [entry('rollout-step', ago(40 * MIN), SHADOWING, CANARY10)]
    // 19 in the window, plenty before it (the window is `every` capped at 5 minutes)
    const d = decide(r, { audit, rollups: [rollup('orders', ago(6 * MIN), 500), rollup('orders', ago(4 * MIN), 19, 19)] })
    expect(d).toMatchObject({ kind: 'wait', reason: 'served' })
    expect(d.kind === 'wait' && d.why).toBe('served: 19 requests of orders since 2026-11-21T11:55:00.000Z, 20 needed before a step above 10%')
    // 20: now judged, and 100% of them failed
    const e = decide(r, { audit, rollups: [rollup('orders', ago(4 * MIN), 20, 20)] })
    expect(e.kind).toBe('rollback')
  })

  it('rolls back at once on an error rate over rollbackOn, to the routing before the run, whatever else holds', () => {
    const r = route('serve: { orders: 50, legacy: 50 }\nshadow: orders')
    const audit = [
      entry('promote', ago(300 * MIN), { serve: 'legacy', shadow: null }, SHADOWING),
      entry('rollout-step', ago(62 * MIN), SHADOWING, CANARY10),
      entry('rollout-step', ago(1 * MIN), CANARY10, CANARY50)
    ]
    // `every` has not passed and the gates fail: the breach still wins
    const d = decide(r, { audit, gates: gates(r, 2), rollups: [rollup('orders', ago(30_000), 812, 68), rollup('legacy', ago(30_000), 800)] })
    expect(d).toMatchObject({ kind: 'rollback', from: CANARY50, to: SHADOWING, why: 'errorRate 8.37% > 5% over 812 requests of orders' })
  })

  it.each([
    ['5% exactly: no breach', 100, 5, 'wait'],
    ['6%: breach', 100, 6, 'rollback'],
    ['all failed but 19 requests: not judged', 19, 19, 'wait']
  ])('judges the error rate from 20 requests: %s', (_name, requests, failed, kind) => {
    const r = route('serve: { orders: 10, legacy: 90 }\nshadow: orders')
    const audit = [entry('rollout-step', ago(5 * MIN), SHADOWING, CANARY10)]
    expect(decide(r, { audit, rollups: [rollup('orders', ago(MIN), requests, failed)] }).kind).toBe(kind)
  })

  it('writes why into halted, with the time', () => {
    const r = route('serve: { orders: 10, legacy: 90 }\nshadow: orders')
    const audit = [entry('rollout-step', ago(5 * MIN), SHADOWING, CANARY10)]
    const d = decide(r, { audit, rollups: [rollup('orders', ago(MIN), 40, 10)] })
    expect(d).toMatchObject({
      kind: 'rollback',
      to: SHADOWING,
      why: 'errorRate 25% > 5% over 40 requests of orders',
      halted: '2026-11-21T12:00:00.000Z rolled back: errorRate 25% > 5% over 40 requests of orders'
    })
    expect(d.kind === 'rollback' && d.evidence).toMatchObject({ failed: ['errorRate'], served: { requests: 40, failed: 10, errorRate: 0.25 } })
  })

  it('rolls back on a p99 over rollbackOn.p99 × the other side\'s, judged from 50 latencies on each side', () => {
    const r = route('serve: { orders: 10, legacy: 90 }\nshadow: orders')
    const audit = [entry('rollout-step', ago(5 * MIN), SHADOWING, CANARY10)]
    const slow = decide(r, { audit, rollups: [rollup('orders', ago(MIN), 50, 0, 300), rollup('legacy', ago(MIN), 50, 0, 100)] })
    expect(slow).toMatchObject({ kind: 'rollback' })
    expect(slow.kind === 'rollback' && slow.why).toMatch(/^p99 (29\d|30\d) ms > 2 × legacy p99 (9\d|10\d) ms$/)
    expect(slow.kind === 'rollback' && slow.evidence.failed).toEqual(['p99'])
    // under twice as slow: no breach
    expect(decide(r, { audit, rollups: [rollup('orders', ago(MIN), 50, 0, 190), rollup('legacy', ago(MIN), 50, 0, 100)] }).kind).toBe('wait')
    // 49 latencies of the new side: not judged
    expect(decide(r, { audit, rollups: [rollup('orders', ago(MIN), 49, 0, 300), rollup('legacy', ago(MIN), 50, 0, 100)] }).kind).toBe('wait')
  })

  it('does not judge what `to` served before the route\'s last rollback, nor rollups older than the window', () => {
    const r = route('serve: { orders: 10, legacy: 90 }\nshadow: orders')
    const audit = [
      entry('rollout-rollback', ago(3 * MIN), CANARY50, SHADOWING),
      entry('promote', ago(2 * MIN), SHADOWING, CANARY10)
    ]
    const d = decide(r, { audit, rollups: [rollup('orders', ago(4 * MIN), 100, 100), rollup('orders', ago(MIN), 30)] })
    expect(d).toMatchObject({ kind: 'step', weight: 50 })
    expect(d.kind === 'step' && d.served.since).toBe(ago(3 * MIN))
    const old = decide(r, { rollups: [rollup('orders', ago(6 * MIN), 100, 100), rollup('orders', ago(MIN), 30)] })
    expect(old).toMatchObject({ kind: 'step', weight: 50 })
  })

  it('without a run in the audit log, rolls back by taking the new side out of serving', () => {
    // weights set by hand; the audit log's last step left the route elsewhere
    const r = route('serve: { orders: 10, legacy: 90 }')
    const audit = [entry('rollout-step', ago(90 * MIN), SHADOWING, CANARY50)]
    const d = decide(r, { audit, gates: gates(r, 0), rollups: [rollup('orders', ago(MIN), 30, 30)] })
    expect(d).toMatchObject({ kind: 'rollback', from: { serve: { orders: 10, legacy: 90 }, shadow: null }, to: { serve: 'legacy', shadow: null } })
    // serving the new side alone: back to the monolith, the shadow kept
    const m = route('serve: orders\nshadow: legacy')
    expect(decide(m, { rollups: [rollup('orders', ago(MIN), 30, 30)] })).toMatchObject({ kind: 'rollback', to: { serve: 'legacy', shadow: null } })
  })

  it('counts as one run only the steps that follow each other without a hand edit', () => {
    const r = route('serve: { orders: 50, legacy: 50 }\nshadow: orders')
    const audit = [
      entry('rollout-step', ago(200 * MIN), SHADOWING, CANARY10),
      // the route was edited by hand between these two (CANARY10 -> legacy only)
      entry('rollout-step', ago(100 * MIN), { serve: 'legacy', shadow: null }, CANARY10),
      entry('rollout-step', ago(2 * MIN), CANARY10, CANARY50)
    ]
    const d = decide(r, { audit, rollups: [rollup('orders', ago(MIN), 100, 50)] })
    expect(d).toMatchObject({ kind: 'rollback', to: { serve: 'legacy', shadow: null } })
  })

  it('is done when no step is above the current weight, and still rolls back on a breach', () => {
    const m = route('serve: orders')
    expect(decide(m)).toMatchObject({ kind: 'done', why: 'serving orders only' })
    const last = route('serve: { orders: 50, legacy: 50 }\nshadow: orders', 'rollout: { to: orders, steps: [10, 50], rollbackOn: { errorRate: 0.05 } }')
    expect(decide(last)).toMatchObject({ kind: 'done', why: 'at its last step: orders 50%' })
    const audit = [entry('rollout-step', ago(40 * MIN), CANARY50, { serve: 'orders', shadow: null })]
    expect(decide(m, { audit, rollups: [rollup('orders', ago(MIN), 100, 10)] })).toMatchObject({ kind: 'rollback', to: CANARY50 })
  })

  it('at 100 serves the new side alone and drops a shadow to it', () => {
    const r = route('serve: { orders: 50, legacy: 50 }\nshadow: orders')
    const audit = [entry('rollout-step', ago(31 * MIN), CANARY10, CANARY50)]
    expect(decide(r, { audit, rollups: [rollup('orders', ago(MIN), 100)] })).toMatchObject({ kind: 'step', weight: 100, to: { serve: 'orders', shadow: null } })
    const v = route('serve: { orders: 50, legacy: 50 }\nshadow: legacy')
    expect(decide(v, { rollups: [rollup('orders', ago(MIN), 100)] })).toMatchObject({ kind: 'step', weight: 100, to: { serve: 'orders', shadow: 'legacy' } })
  })

  it('shares the rest among the other upstreams by their weights', () => {
    const r = route('serve: { orders: 10, legacy: 60, billing: 30 }\nshadow: orders')
    expect(decide(r, { rollups: [rollup('orders', ago(MIN), 100)] })).toMatchObject({ kind: 'step', to: { serve: { orders: 50, legacy: 33.33, billing: 16.67 } } })
  })

  describe('a canary without a shadow (no new pairs can come)', () => {
    const r = route('serve: { orders: 10, legacy: 90 }')
    const healthy = [rollup('orders', ago(MIN), 30)]
    it('steps on served traffic alone when no pairs are in the window', () => {
      expect(decide(r, { gates: gates(r, 0), rollups: healthy })).toMatchObject({ kind: 'step', weight: 50, why: 'orders 10% → 50% (no shadow and no pairs in the window: served traffic is the evidence)' })
    })
    it('judges the pairs in the window on parity, not on minPairs', () => {
      expect(decide(r, { gates: gates(r, 3), rollups: healthy })).toMatchObject({ kind: 'step', weight: 50 })
      const d = decide(r, { gates: gates(r, 3, 2), rollups: healthy })
      expect(d).toMatchObject({ kind: 'wait', reason: 'gates' })
      expect(d.kind === 'wait' && d.why).toMatch(/^gates: parity: 66\.7% \(2 of 3 matched/)
    })
    it('needs every gate at weight 0, shadow or not', () => {
      const legacy = route('serve: legacy')
      expect(decide(legacy, { gates: gates(legacy, 0) })).toMatchObject({ kind: 'wait', reason: 'gates', why: 'gates: minPairs: 0 pairs in the last 1h, 10 needed' })
    })
  })

  it('tells when a decision may need the gates: not while halted, done or inside `every`', () => {
    const shadowing = route('serve: legacy\nshadow: orders')
    expect(needsGates(shadowing, [], NOW)).toBe(true)
    const canary = route('serve: { orders: 10, legacy: 90 }\nshadow: orders')
    expect(needsGates(canary, [entry('rollout-step', ago(10 * MIN), SHADOWING, CANARY10)], NOW)).toBe(false)
    expect(needsGates(canary, [entry('rollout-step', ago(30 * MIN), SHADOWING, CANARY10)], NOW)).toBe(true)
    expect(needsGates(route('serve: orders'), [], NOW)).toBe(false)
    expect(needsGates(route('serve: legacy', 'rollout: { to: orders, steps: [10], halted: why }'), [], NOW)).toBe(false)
  })
})
