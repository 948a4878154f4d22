import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import type { AuditEntry } from '../../src/store/audit-entry.js'

let sp: ProxyFixture

const rulesBody = (serve: string): string => `
serve: legacy
routes:
  - { name: list-orders, match: { method: GET, path: /api/orders }, serve: ${serve}, shadow: ${serve === 'legacy' ? 'orders' : 'legacy'} }
  - { name: get-order, match: { path: "/api/orders/{id}" }, serve: { orders: 10, legacy: 90 }, gates: { minPairs: 5, window: 1h } }
  - { name: users, match: { path: "/api/users/**" }, serve: orders }
`

beforeAll(async () => {
  sp = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' }, rules: rulesBody('legacy'), options: { adminPort: 0 } })
})
afterAll(async () => { await sp.close() })

describe('admin listener', () => {
  it('binds 127.0.0.1 by default', () => {
    expect(new URL(sp.proxy.adminUrl!).hostname).toBe('127.0.0.1')
  })

  it('GET /healthz', async () => {
    const res = await fetch(`${sp.proxy.adminUrl}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok', routes: 3 })
  })

  it('GET /routes gives each route with its stage and live parity', async () => {
    await (await fetch(`${sp.proxy.url}/api/orders`)).arrayBuffer()
    await sp.records()
    const body = await (await fetch(`${sp.proxy.adminUrl}/routes`)).json() as { default: string; routes: Array<{ name: string; stage: string; parity: { compared: number; parity: number | null } | null }> }
    expect(body.default).toBe('legacy')
    expect(body.routes.map((r) => [r.name, r.stage])).toEqual([['list-orders', 'shadowing'], ['get-order', 'canary'], ['users', 'migrated']])
    // echo upstreams name themselves, so the pair differs: compared 1, parity 0
    expect(body.routes[0]!.parity).toMatchObject({ compared: 1, parity: 0 })
    expect(body.routes[1]!.parity).toBeNull()
  })

  it('GET /routes gives each route its gates and its last flip from the store\'s audit log', async () => {
    const flip = (at: string, by: string, forced: boolean): AuditEntry => ({
      v: 1, id: `flip-${by}`, at, by, action: 'promote', route: 'get-order',
      from: { stage: 'shadowing', serve: 'legacy', shadow: 'orders' },
      to: { stage: 'canary', serve: { orders: 10, legacy: 90 }, shadow: null },
      evidence: null, forced, reason: forced ? 'launch' : null, file: sp.proxy.rulesFile, hashBefore: 'a', hashAfter: 'b', routeBefore: '  - { name: get-order }\n'
    })
    await sp.proxy.store.appendAudit(flip('2026-11-21T10:00:00.000Z', 'alice', false))
    await sp.proxy.store.appendAudit(flip('2026-11-21T11:00:00.000Z', 'bob', true))
    const body = await (await fetch(`${sp.proxy.adminUrl}/routes`)).json() as { routes: Array<{ name: string; gates: unknown; lastFlip: unknown }> }
    const [list, get] = body.routes
    expect(list!.gates).toEqual({ minPairs: 100, parity: 0.999, maxShadowErrors: 0.001, window: '24h' })
    expect(list!.lastFlip).toBeNull()
    expect(get!.gates).toEqual({ minPairs: 5, parity: 0.999, maxShadowErrors: 0.001, window: '1h' })
    // the newest entry of the route wins
    expect(get!.lastFlip).toEqual({
      at: '2026-11-21T11:00:00.000Z', by: 'bob', action: 'promote',
      from: { stage: 'shadowing', serve: 'legacy', shadow: 'orders' },
      to: { stage: 'canary', serve: { orders: 10, legacy: 90 }, shadow: null },
      forced: true, reason: 'launch'
    })
  })

  it('GET /metrics serves Prometheus text with requests, latency, comparisons and reloads', async () => {
    const res = await fetch(`${sp.proxy.adminUrl}/metrics`)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toMatch(/strangler_requests_total\{route="list-orders",upstream="legacy",status="200"\} \d+/)
    expect(text).toContain('strangler_upstream_latency_seconds_bucket')
    expect(text).toMatch(/strangler_comparisons_total\{route="list-orders",outcome="mismatch"\} 1/)
    expect(text).toContain('strangler_reloads_total{result="ok"}')
  })

  it('POST /reload swaps valid rules and refuses invalid ones with every error', async () => {
    await writeFile(sp.proxy.rulesFile, sp.rules(rulesBody('orders')))
    const ok = await fetch(`${sp.proxy.adminUrl}/reload`, { method: 'POST' })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ ok: true, routes: 3 })
    const routes = await (await fetch(`${sp.proxy.adminUrl}/routes`)).json() as { routes: Array<{ stage: string }> }
    expect(routes.routes[0]!.stage).toBe('verifying')

    await writeFile(sp.proxy.rulesFile, sp.rules(rulesBody('nowhere')))
    const bad = await fetch(`${sp.proxy.adminUrl}/reload`, { method: 'POST' })
    expect(bad.status).toBe(422)
    const body = await bad.json() as { ok: boolean; errors: string[] }
    expect(body.ok).toBe(false)
    expect(body.errors.join('\n')).toMatch(/rules\.yaml:\d+:\d+ error RULES_UNKNOWN_UPSTREAM route "list-orders"/)
    const still = await (await fetch(`${sp.proxy.adminUrl}/routes`)).json() as { routes: Array<{ stage: string }> }
    expect(still.routes[0]!.stage).toBe('verifying')
  })
})
