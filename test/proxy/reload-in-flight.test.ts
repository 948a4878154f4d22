import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEchoUpstream, startUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { startTestProxy } from '../helpers/proxy.js'
import { gate } from '../helpers/shadow.js'
import { writeFile } from 'node:fs/promises'

let slowLegacy: FakeUpstream
let orders: FakeUpstream
const hold = gate()
let arrived: () => void = () => {}

beforeAll(async () => {
  slowLegacy = await startUpstream((_req, res) => {
    arrived()
    void hold.promise.then(() => { res.setHeader('x-upstream', 'legacy'); res.end('old table') })
  })
  orders = await startEchoUpstream('orders')
})
afterAll(async () => {
  hold.open()
  await Promise.all([slowLegacy.close(), orders.close()])
})

const rules = (serve: string): string => `
version: 1
upstreams:
  legacy: { url: ${slowLegacy.url} }
  orders: { url: ${orders.url} }
serve: legacy
routes:
  - { name: flip, match: { path: "/flip" }, serve: ${serve} }
`

describe('a reload during a request', () => {
  it('lets the request finish on the table it started with; the next request uses the new one', async () => {
    const proxy = await startTestProxy(rules('legacy'))
    try {
      const reachedUpstream = new Promise<void>((resolve) => { arrived = resolve })
      const inFlight = fetch(`${proxy.url}/flip`).then(async (r) => ({ upstream: r.headers.get('x-upstream'), body: await r.text() }))
      await reachedUpstream
      await writeFile(proxy.rulesFile, rules('orders'))
      expect((await proxy.reloader.reload('test')).ok).toBe(true)
      const after = await fetch(`${proxy.url}/flip`)
      await after.arrayBuffer()
      expect(after.headers.get('x-upstream')).toBe('orders')
      hold.open()
      expect(await inFlight).toEqual({ upstream: 'legacy', body: 'old table' })
    } finally {
      await proxy.close()
    }
  })
})
