import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rename, writeFile } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' } })
})
afterAll(async () => { await fixture.close() })

const routesServing = (target: string): string => `
serve: legacy
routes:
  - name: orders
    match: { path: "/api/orders/**" }
    serve: ${target}
`
const rulesServing = (target: string): string => fixture.rules(routesServing(target))

async function servedBy (url: string): Promise<string | null> {
  const res = await fetch(url)
  await res.arrayBuffer()
  return res.headers.get('x-upstream')
}

async function until (check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Editors save by writing a temp file and renaming it over the original. */
async function saveByRename (file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.rules.yaml.${Math.random().toString(36).slice(2)}.tmp`)
  await writeFile(tmp, text)
  await rename(tmp, file)
}

describe('hot reload', () => {
  it('picks up a file saved by rename, and serves without a single failed request under concurrent load', async () => {
    const proxy = await fixture.start(routesServing('legacy'), { watch: true })
    await writeFile(proxy.rulesFile, rulesServing('legacy'))
    try {
      expect(await servedBy(`${proxy.url}/api/orders/1`)).toBe('legacy')
      let failures = 0
      let done = 0
      let stop = false
      const seenUpstreams = new Set<string>()
      const worker = async (): Promise<void> => {
        while (!stop) {
          try {
            const res = await fetch(`${proxy.url}/api/orders/${done}`)
            await res.arrayBuffer()
            if (res.status !== 200) failures++
            seenUpstreams.add(res.headers.get('x-upstream') ?? '?')
          } catch {
            failures++
          }
          done++
        }
      }
      const workers = Array.from({ length: 8 }, worker)
      // flip the route back and forth while traffic flows
      for (let i = 0; i < 10; i++) {
        const target = i % 2 === 0 ? 'orders' : 'legacy'
        await saveByRename(proxy.rulesFile, rulesServing(target))
        await until(async () => (await servedBy(`${proxy.url}/api/orders/x`)) === target, `the route to serve ${target}`)
      }
      stop = true
      await Promise.all(workers)
      expect(done).toBeGreaterThan(100)
      expect(failures).toBe(0)
      expect(seenUpstreams).toEqual(new Set(['legacy', 'orders']))
      const metrics = await proxy.metrics.text()
      expect(metrics).toMatch(/strangler_reloads_total\{result="ok"\} (\d+)/)
      expect(Number(/strangler_reloads_total\{result="ok"\} (\d+)/.exec(metrics)![1])).toBeGreaterThanOrEqual(10)
    } finally {
      await proxy.close()
    }
  })

  it('keeps the running rules when the new file is invalid, and reports every error', async () => {
    const proxy = await fixture.start(routesServing('orders'))
    await writeFile(proxy.rulesFile, rulesServing('orders'))
    try {
      expect(await servedBy(`${proxy.url}/api/orders/1`)).toBe('orders')
      await writeFile(proxy.rulesFile, rulesServing('ordrs').replace('version: 1', 'version: 1\nbogus: true'))
      const result = await proxy.reloader.reload('test')
      expect(result.ok).toBe(false)
      if (!result.ok) {
        expect(result.errors.length).toBe(2)
        expect(result.errors.join('\n')).toContain('ordrs')
        expect(result.errors.join('\n')).toContain('bogus')
        expect(result.errors.join('\n')).toMatch(/rules\.yaml:\d+:\d+/)
      }
      expect(await servedBy(`${proxy.url}/api/orders/1`)).toBe('orders')
      expect(await proxy.metrics.text()).toMatch(/strangler_reloads_total\{result="invalid"\} 1/)
    } finally {
      await proxy.close()
    }
  })

  it('reloads on SIGHUP', async () => {
    const proxy = await fixture.start(routesServing('legacy'))
    await writeFile(proxy.rulesFile, rulesServing('legacy'))
    const { installSignalHandlers } = await import('../../src/app/signals.js')
    const uninstall = installSignalHandlers(proxy, { exit: () => {} })
    try {
      await writeFile(proxy.rulesFile, rulesServing('orders'))
      process.kill(process.pid, 'SIGHUP')
      await until(async () => (await servedBy(`${proxy.url}/api/orders/1`)) === 'orders', 'SIGHUP reload')
    } finally {
      uninstall()
      await proxy.close()
    }
  })
})
