import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { ParityTracker } from '../../src/record/parity-tracker.js'

let sp: ProxyFixture

const rulesBody = (route: string, extra = ''): string => `
serve: legacy
routes:
  - { name: orders, match: { path: "/api/orders" }, ${route} }
${extra}`

beforeAll(async () => {
  sp = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' }, rules: rulesBody('serve: legacy, shadow: orders'), options: { adminPort: 0 } })
})
afterAll(async () => { await sp.close() })

async function parityOf (name: string): Promise<{ compared: number } | null> {
  const body = await (await fetch(`${sp.proxy.adminUrl}/routes`)).json() as { routes: Array<{ name: string; stage: string; parity: { compared: number } | null }> }
  return body.routes.find((r) => r.name === name)!.parity
}

async function send (n: number): Promise<void> {
  for (let i = 0; i < n; i++) await (await fetch(`${sp.proxy.url}/api/orders`)).arrayBuffer()
  await sp.proxy.settled()
}

async function reload (body: string): Promise<void> {
  await writeFile(sp.proxy.rulesFile, sp.rules(body))
  const res = await fetch(`${sp.proxy.adminUrl}/reload`, { method: 'POST' })
  expect(await res.json()).toMatchObject({ ok: true })
}

describe('live parity in /routes', () => {
  it('restarts when a route changes stage, and carries on through a reload that keeps its stage', async () => {
    await send(2)
    expect(await parityOf('orders')).toMatchObject({ compared: 2 })

    // another route added: orders is still shadowing, its parity stays
    await reload(rulesBody('serve: legacy, shadow: orders', '  - { name: users, match: { path: /api/users }, serve: legacy }\n'))
    expect(await parityOf('orders')).toMatchObject({ compared: 2 })

    // shadowing -> verifying: parity measured while shadowing says nothing now
    await reload(rulesBody('serve: orders, shadow: legacy'))
    expect(await parityOf('orders')).toBeNull()
    await send(1)
    expect(await parityOf('orders')).toMatchObject({ compared: 1 })
  })

  it('does not count pairs that finish after the swap under their former stage', () => {
    const tracker = new ParityTracker()
    tracker.stages([{ name: 'orders', stage: 'shadowing' }])
    tracker.count('orders', 'match', 1, 'shadowing')
    tracker.stages([{ name: 'orders', stage: 'canary' }])
    tracker.count('orders', 'mismatch', 1, 'shadowing')
    expect(tracker.parity('orders')).toBeNull()
    tracker.count('orders', 'match', 1, 'canary')
    expect(tracker.parity('orders')).toMatchObject({ compared: 1, matched: 1, parity: 1 })
  })
})
