import { afterAll, beforeAll, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let sp: ProxyFixture

const rulesBody = (serve: string): string => `
serve: legacy
routes:
  - { name: orders, match: { path: "/api/orders/**" }, serve: ${serve} }
`

beforeAll(async () => {
  sp = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' }, rules: rulesBody('legacy'), options: { adminPort: 0 } })
})
afterAll(async () => { await sp.close() })

interface Health { status: string; loadedAt: string; lastReload: null | { ok: boolean; at: string; reason: string; errors?: string[]; routes?: number } }

async function health (): Promise<{ code: number; body: Health }> {
  const res = await fetch(`${sp.proxy.adminUrl}/healthz`)
  return { code: res.status, body: await res.json() as Health }
}

it('/healthz shows the last reload: degraded with its errors after a rejected one, ok again after a good one', async () => {
  expect((await health()).body).toMatchObject({ status: 'ok', lastReload: null })
  const startedAt = (await health()).body.loadedAt

  await writeFile(sp.proxy.rulesFile, sp.rules(rulesBody('nowhere')))
  const before = Date.now()
  expect((await fetch(`${sp.proxy.adminUrl}/reload`, { method: 'POST' })).status).toBe(422)
  const bad = await health()
  // still 200: the running rules keep serving
  expect(bad.code).toBe(200)
  expect(bad.body.status).toBe('degraded')
  expect(bad.body.loadedAt).toBe(startedAt)
  expect(bad.body.lastReload).toMatchObject({ ok: false, reason: 'admin' })
  expect(bad.body.lastReload!.errors!.join('\n')).toMatch(/rules\.yaml:\d+:\d+ error RULES_UNKNOWN_UPSTREAM route "orders"/)
  expect(Date.parse(bad.body.lastReload!.at)).toBeGreaterThanOrEqual(before - 5)

  await writeFile(sp.proxy.rulesFile, sp.rules(rulesBody('orders')))
  await sp.proxy.reloader.reload('SIGHUP')
  const good = await health()
  expect(good.body.status).toBe('ok')
  expect(good.body.lastReload).toMatchObject({ ok: true, reason: 'SIGHUP', routes: 1 })
  expect(good.body.lastReload).not.toHaveProperty('errors')
  expect(good.body.loadedAt).not.toBe(startedAt)
})
