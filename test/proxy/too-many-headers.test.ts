import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import net from 'node:net'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

// Regression (issue 12): header fields past Node's maxHeadersCount were
// silently dropped and the rest forwarded; with Transfer-Encoding among the
// dropped ones the upstream got an empty POST while the client got 200. Now
// a request over 1000 header fields is answered 431 HEADERS_TOO_LARGE and
// nothing is forwarded.
let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo' }, rules: 'serve: legacy' })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

/** A chunked POST with `fields` header fields in all, Transfer-Encoding the last of them. */
async function chunkedPost (fields: number): Promise<{ status: number; head: string; body: string }> {
  return await new Promise((resolve, reject) => {
    const lines = ['POST /upload HTTP/1.1', 'host: 127.0.0.1', 'connection: close']
    for (let i = 0; lines.length - 1 < fields - 1; i++) lines.push(`x-f${i}: v`)
    lines.push('transfer-encoding: chunked')
    const socket = net.connect(proxy.port, '127.0.0.1')
    socket.write(lines.join('\r\n') + '\r\n\r\n5\r\nhello\r\n0\r\n\r\n')
    let text = ''
    socket.on('data', (c: Buffer) => { text += c.toString() })
    socket.on('error', reject)
    socket.on('close', () => {
      const split = text.indexOf('\r\n\r\n')
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head: text.slice(0, split), body: text.slice(split + 4) })
    })
  })
}

describe('a request with more header fields than allowed', () => {
  it('is answered 431 HEADERS_TOO_LARGE and never forwarded, even with Transfer-Encoding past the limit', async () => {
    const legacy = fixture.upstream('legacy')
    const before = legacy.seen.length
    const res = await chunkedPost(1001)
    expect(res.status).toBe(431)
    expect(JSON.parse(res.body)).toMatchObject({ error: 'HEADERS_TOO_LARGE' })
    expect(legacy.seen.length).toBe(before)
  })

  it('forwards a request of exactly 1000 header fields with its body', async () => {
    const res = await chunkedPost(1000)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ method: 'POST', body: 'hello' })
  })

  it('answers headers larger than 16 KB with the same JSON error', async () => {
    const res = await rawRequest(proxy.port, 'GET', '/big', { 'x-big': 'a'.repeat(17 * 1024) })
    expect(res.status).toBe(431)
    expect(JSON.parse(res.body)).toMatchObject({ error: 'HEADERS_TOO_LARGE', route: null })
  })
})
