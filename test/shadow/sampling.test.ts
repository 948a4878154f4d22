import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEchoUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { startShadowProxy, type ShadowProxy } from '../helpers/shadow.js'

let legacy: FakeUpstream
let orders: FakeUpstream

beforeAll(async () => {
  legacy = await startEchoUpstream('legacy')
  orders = await startEchoUpstream('orders')
})
afterAll(async () => {
  await Promise.all([legacy.close(), orders.close()])
})

const rules = (sample: number): string => `
version: 1
upstreams:
  legacy: { url: ${legacy.url} }
  orders: { url: ${orders.url} }
serve: legacy
shadow: { sample: ${sample} }
routes:
  - { name: sampled, match: { path: "/s/**" }, serve: legacy, shadow: orders }
`

async function mirrored (sp: ShadowProxy, n: number): Promise<number> {
  const before = orders.seen.length
  for (let i = 0; i < n; i += 20) {
    await Promise.all(Array.from({ length: 20 }, async (_, j) => { await (await fetch(`${sp.proxy.url}/s/${i + j}`)).arrayBuffer() }))
  }
  await sp.records()
  return orders.seen.length - before
}

describe('shadow sampling', () => {
  it('sample: 0 mirrors nothing', async () => {
    const sp = await startShadowProxy(rules(0))
    try {
      expect(await mirrored(sp, 100)).toBe(0)
    } finally { await sp.close() }
  })

  it('sample: 1 mirrors every eligible request', async () => {
    const sp = await startShadowProxy(rules(1))
    try {
      expect(await mirrored(sp, 100)).toBe(100)
      expect((await sp.records()).length).toBe(100)
    } finally { await sp.close() }
  })

  it('sample: 0.25 mirrors about a quarter (400 requests)', async () => {
    const sp = await startShadowProxy(rules(0.25))
    try {
      const n = await mirrored(sp, 400)
      // expected 100, sd ≈ 8.7
      expect(n).toBeGreaterThan(60)
      expect(n).toBeLessThan(140)
    } finally { await sp.close() }
  })
})
