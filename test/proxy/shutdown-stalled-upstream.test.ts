import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { startTestProxy } from '../helpers/proxy.js'

let stalled: FakeUpstream

beforeAll(async () => {
  stalled = await startUpstream(() => { /* never answers */ })
})
afterAll(async () => {
  await stalled.close()
})

describe('shutdown with an upstream that never answers', () => {
  it('closes the client connection after the drain timeout and does not wait for the upstream timeout', async () => {
    const proxy = await startTestProxy(`
version: 1
upstreams:
  legacy: { url: ${stalled.url}, timeout: 1h }
serve: legacy
`, { drainTimeoutMs: 200 })
    const pending = fetch(`${proxy.url}/stuck`).then(() => 'answered', () => 'connection closed')
    while (stalled.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    // with a 1 h upstream timeout, a shutdown that waited for the upstream would
    // outlive this test's 30 s limit; it must finish on its own bounds
    await proxy.close()
    expect(await pending).toBe('connection closed')
  })
})
