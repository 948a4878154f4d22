import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import { pumpChunks } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

let fixture: ProxyFixture
let proxy: TestProxy
let releaseResponse: () => void = () => {}
let requestFirstChunk: (chunk: string) => void = () => {}
let bigWritten = 0

function answer (req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/download') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    res.write('first-chunk')
    // the rest only when the test says so: the client must already have the first bytes
    releaseResponse = () => res.end('last-chunk')
    return
  }
  if (req.url === '/upload') {
    let received = 0
    req.on('data', (c: Buffer) => {
      if (received === 0) requestFirstChunk(c.toString())
      received += c.length
    })
    req.on('end', () => res.end(String(received)))
    return
  }
  if (req.url === '/big') {
    // 64 MiB in 64 KiB chunks, streamed with backpressure
    pumpChunks(res, 64 * 1024, 1024, (n) => { bigWritten += n })
  }
}

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: { handler: answer, streaming: true } }, rules: 'serve: legacy' })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

describe('streaming', () => {
  it('delivers the first response bytes before the upstream has finished', async () => {
    const res = await fetch(`${proxy.url}/download`)
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(Buffer.from(first.value!).toString()).toBe('first-chunk')
    releaseResponse()
    let rest = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      rest += Buffer.from(value).toString()
    }
    expect(rest).toBe('last-chunk')
  })

  it('forwards request body bytes before the client has finished sending', async () => {
    const gotFirst = new Promise<string>((resolve) => { requestFirstChunk = resolve })
    const req = http.request(`${proxy.url}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } })
    const response = new Promise<string>((resolve, reject) => {
      req.on('response', (res) => {
        let body = ''
        res.on('data', (c: Buffer) => { body += c.toString() })
        res.on('end', () => resolve(body))
      })
      req.on('error', reject)
    })
    req.write('hello-')
    // the upstream sees the first chunk while the request is still open
    expect(await gotFirst).toBe('hello-')
    req.end('world')
    expect(await response).toBe('11')
  })

  it('streams a 64 MiB body with backpressure: a client that stops reading stops the upstream', async () => {
    const res = await fetch(`${proxy.url}/big`)
    const reader = res.body!.getReader()
    let total = (await reader.read()).value!.length
    // the client pauses; a proxy that buffered would let the upstream write all 64 MiB meanwhile
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(bigWritten).toBeLessThan(24 * 1024 * 1024)
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.length
    }
    expect(total).toBe(64 * 1024 * 1024)
  })
})
