import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let stalled: FakeUpstream

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: { handler: () => { /* never answers */ }, timeout: '1h' } } })
  stalled = fixture.upstream('legacy')
})
afterAll(async () => { await fixture.close() })

describe('shutdown with an upstream that never answers', () => {
  it('closes the client connection after the drain timeout and does not wait for the upstream timeout', async () => {
    const proxy = await fixture.start('serve: legacy', { drainTimeoutMs: 200 })
    const pending = fetch(`${proxy.url}/stuck`).then(() => 'answered', () => 'connection closed')
    while (stalled.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    // with a 1 h upstream timeout, a shutdown that waited for the upstream would
    // outlive this test's 30 s limit; it must finish on its own bounds
    await proxy.close()
    expect(await pending).toBe('connection closed')
  })
})
