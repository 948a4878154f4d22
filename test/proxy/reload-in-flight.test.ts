import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { gate } from '../helpers/gate.js'
import { writeFile } from 'node:fs/promises'

let fixture: ProxyFixture
const hold = gate()
let arrived: () => void = () => {}

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: {
      legacy: (_req, res) => {
        arrived()
        void hold.promise.then(() => { res.setHeader('x-upstream', 'legacy'); res.end('old table') })
      },
      orders: 'echo'
    }
  })
})
afterAll(async () => {
  hold.open()
  await fixture.close()
})

const rules = (serve: string): string => `
serve: legacy
routes:
  - { name: flip, match: { path: "/flip" }, serve: ${serve} }
`

describe('a reload during a request', () => {
  it('lets the request finish on the table it started with; the next request uses the new one', async () => {
    const proxy = await fixture.start(rules('legacy'))
    try {
      const reachedUpstream = new Promise<void>((resolve) => { arrived = resolve })
      const inFlight = fetch(`${proxy.url}/flip`).then(async (r) => ({ upstream: r.headers.get('x-upstream'), body: await r.text() }))
      await reachedUpstream
      await writeFile(proxy.rulesFile, fixture.rules(rules('orders')))
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
