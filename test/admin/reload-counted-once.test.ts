import { afterAll, beforeAll, expect, it } from 'vitest'
import { rename, writeFile } from 'node:fs/promises'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let sp: ProxyFixture

const rulesBody = (serve: string): string => `
serve: legacy
routes:
  - { name: orders, match: { path: "/api/orders/**" }, serve: ${serve} }
`

beforeAll(async () => {
  sp = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' }, rules: rulesBody('legacy'), options: { adminPort: 0, watch: true } })
})
afterAll(async () => { await sp.close() })

async function reloads (): Promise<Record<string, number>> {
  const text = await sp.proxy.metrics.text()
  const out: Record<string, number> = {}
  for (const m of text.matchAll(/strangler_reloads_total\{result="(\w+)"\} (\d+)/g)) out[m[1]!] = Number(m[2])
  return out
}

/** save as editors do (a temp file renamed over the rules), so the watcher never reads a half-written file */
async function save (body: string): Promise<void> {
  const tmp = `${sp.proxy.rulesFile}.${Math.random().toString(36).slice(2)}.tmp`
  await writeFile(tmp, sp.rules(body))
  await rename(tmp, sp.proxy.rulesFile)
}

async function until (check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

it('one change seen by the watcher and by POST /reload counts once; the second is `unchanged`', async () => {
  expect(await reloads()).toEqual({ ok: 0, invalid: 0, unchanged: 0 })
  await save(rulesBody('orders'))
  await until(async () => (await reloads()).ok === 1, 'the watcher to reload')

  const res = await fetch(`${sp.proxy.adminUrl}/reload`, { method: 'POST' })
  expect(res.status).toBe(200)
  expect(await res.json()).toEqual({ ok: true, routes: 1, warnings: [], unchanged: true })
  // (the watcher may see one save as several events: those are `unchanged` too)
  expect(await reloads()).toMatchObject({ ok: 1, invalid: 0 })
  const unchanged = (await reloads()).unchanged!
  expect(unchanged).toBeGreaterThanOrEqual(1)

  // a rejected file seen twice is one rejection too, and answers its errors both times
  await save(rulesBody('nowhere'))
  await until(async () => (await reloads()).invalid === 1, 'the watcher to reject the file')
  const again = await fetch(`${sp.proxy.adminUrl}/reload`, { method: 'POST' })
  expect(again.status).toBe(422)
  const body = await again.json() as { ok: boolean; unchanged: boolean; errors: string[] }
  expect(body).toMatchObject({ ok: false, unchanged: true })
  expect(body.errors.join('\n')).toContain('RULES_UNKNOWN_UPSTREAM')
  expect(await reloads()).toMatchObject({ ok: 1, invalid: 1 })
  expect((await reloads()).unchanged).toBeGreaterThan(unchanged)
  expect(sp.proxy.live.table.rules.routes[0]!.serve).toMatchObject({ upstream: 'orders' })
})

it('a file written back to the rules running is read again (it differs from the rejected one)', async () => {
  const before = await reloads()
  await save(rulesBody('orders'))
  await sp.proxy.reloader.reload('SIGHUP')
  await until(async () => (await reloads()).ok === before.ok! + 1, 'the reload')
  const res = await fetch(`${sp.proxy.adminUrl}/healthz`)
  expect(await res.json()).toMatchObject({ status: 'ok', lastReload: { ok: true } })
})
