import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let orders: FakeUpstream

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' } })
  orders = fixture.upstream('orders')
})
afterAll(async () => { await fixture.close() })

const rules = (sample: number): string => `
serve: legacy
shadow: { sample: ${sample} }
routes:
  - { name: sampled, match: { path: "/s/**" }, serve: legacy, shadow: orders }
`

async function mirrored (sp: TestProxy, n: number): Promise<number> {
  const before = orders.seen.length
  for (let i = 0; i < n; i += 20) {
    await Promise.all(Array.from({ length: 20 }, async (_, j) => { await (await fetch(`${sp.url}/s/${i + j}`)).arrayBuffer() }))
  }
  await sp.records()
  return orders.seen.length - before
}

describe('shadow sampling', () => {
  it('sample: 0 mirrors nothing', async () => {
    const sp = await fixture.start(rules(0))
    try {
      expect(await mirrored(sp, 100)).toBe(0)
    } finally { await sp.close() }
  })

  it('sample: 1 mirrors every eligible request', async () => {
    const sp = await fixture.start(rules(1))
    try {
      expect(await mirrored(sp, 100)).toBe(100)
      expect((await sp.records()).length).toBe(100)
    } finally { await sp.close() }
  })

  it('sample: 0.25 mirrors about a quarter (400 requests)', async () => {
    const sp = await fixture.start(rules(0.25))
    try {
      const n = await mirrored(sp, 400)
      // expected 100, sd ≈ 8.7
      expect(n).toBeGreaterThan(60)
      expect(n).toBeLessThan(140)
    } finally { await sp.close() }
  })
})
