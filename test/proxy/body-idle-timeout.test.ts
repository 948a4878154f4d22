import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import { pumpChunks } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

// After the headers, the upstream's timeout bounds its idle time between body
// chunks: an upstream that goes silent mid-body has its response cut short,
// while a client that is slow to read (its socket full) never trips it.
let fixture: ProxyFixture
let proxy: TestProxy
const upstreamClosed: string[] = []

function answer (req: IncomingMessage, res: ServerResponse): void {
  res.on('close', () => { if (!res.writableFinished) upstreamClosed.push(req.url!) })
  if (req.url === '/goes-silent') {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.write('first part\n')
    return // and nothing more
  }
  if (req.url === '/trickle') {
    // a chunk every 150 ms, under the 300 ms idle limit, for 900 ms in all
    res.writeHead(200, { 'content-type': 'text/plain' })
    let n = 0
    const t = setInterval(() => {
      res.write(`part ${n}\n`)
      if (++n === 6) { clearInterval(t); res.end() }
    }, 150)
    return
  }
  // /big: 16 MiB with backpressure
  pumpChunks(res, 64 * 1024, 256)
}

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: { handler: answer, streaming: true, timeout: '300ms' } },
    rules: 'serve: legacy'
  })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

function get (path: string): Promise<{ status: number; body: string; complete: boolean }> {
  return new Promise((resolve, reject) => {
    http.get(proxy.url + path, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode!, body, complete: res.complete }))
      res.on('error', () => resolve({ status: res.statusCode!, body, complete: false }))
      res.on('aborted', () => resolve({ status: res.statusCode!, body, complete: false }))
    }).on('error', reject)
  })
}

describe('body idle timeout', () => {
  it('cuts a response whose upstream goes silent mid-body, and aborts the upstream request', async () => {
    const started = Date.now()
    const r = await get('/goes-silent')
    expect(r.status).toBe(200)
    expect(r.body).toBe('first part\n')
    expect(r.complete).toBe(false)
    expect(Date.now() - started).toBeLessThan(5000)
    for (let i = 0; i < 100 && !upstreamClosed.includes('/goes-silent'); i++) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(upstreamClosed).toContain('/goes-silent')
  })

  it('lets a body that keeps coming run longer than the timeout', async () => {
    const r = await get('/trickle')
    expect(r.complete).toBe(true)
    expect(r.body.split('\n').filter(Boolean)).toHaveLength(6)
  })

  it('does not count time the client spends not reading', async () => {
    const res = await fetch(`${proxy.url}/big`)
    const reader = res.body!.getReader()
    let total = (await reader.read()).value!.length
    // the client stops reading for longer than the upstream timeout
    await new Promise((resolve) => setTimeout(resolve, 900))
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.length
    }
    expect(total).toBe(16 * 1024 * 1024)
  })
})
