import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { FakeUpstream } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

// A client that goes away must not leave the proxy's upstream request running
// until its timeout: the proxy aborts it, before headers and mid-body alike.
let fixture: ProxyFixture
let upstream: FakeUpstream
let proxy: TestProxy
const closedEarly: string[] = []

function answer (req: IncomingMessage, res: ServerResponse): void {
  res.on('close', () => { if (!res.writableFinished) closedEarly.push(req.url!) })
  if (req.url === '/stall') return // never answers
  // headers and one chunk, then nothing more
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.write('first chunk\n')
}

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: { handler: answer, streaming: true, timeout: '60s' } },
    rules: 'serve: legacy'
  })
  upstream = fixture.upstream('legacy')
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

function waitFor (cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (cond()) resolve()
      else if (Date.now() > until) reject(new Error('condition not met in time'))
      else setTimeout(tick, 10)
    }
    tick()
  })
}

describe('a client that goes away', () => {
  it('aborts the upstream request still waiting for headers', async () => {
    const req = http.get(proxy.url + '/stall')
    req.on('error', () => {})
    await waitFor(() => upstream.seen.some((s) => s.url === '/stall'))
    req.destroy()
    await waitFor(() => closedEarly.includes('/stall'))
    expect(closedEarly).toContain('/stall')
  })

  it('aborts the upstream request whose body is still streaming', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(proxy.url + '/streaming', (res) => {
        res.once('data', (chunk: Buffer) => {
          expect(chunk.toString()).toBe('first chunk\n')
          req.destroy()
          resolve()
        })
      })
      req.on('error', () => {})
      req.setTimeout(5000, () => reject(new Error('no first chunk')))
    })
    await waitFor(() => closedEarly.includes('/streaming'))
    expect(closedEarly).toContain('/streaming')
  })
})
