import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { startUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { startTestProxy } from '../helpers/proxy.js'
import { rawRequest } from '../helpers/raw-http.js'
import type { RunningProxy } from '../../src/app/start-proxy.js'

// 1xx answers belong to one hop: an upstream's 103 Early Hints is not relayed
// (the client gets the final answer), and a client's Expect: 100-continue is
// answered by the proxy, not forwarded (undici refuses to send it).
let echo: FakeUpstream
let hints: net.Server
let proxy: RunningProxy

beforeAll(async () => {
  echo = await startUpstream((req, res, body) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ expect: req.headers.expect ?? null, body: body.toString() }))
  })
  hints = net.createServer((s) => {
    s.once('data', () => {
      s.write('HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n')
      setTimeout(() => s.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\nconnection: close\r\n\r\nfinal'), 20)
    })
  })
  await new Promise<void>((resolve) => hints.listen(0, '127.0.0.1', resolve))
  proxy = await startTestProxy(`
version: 1
upstreams:
  legacy: { url: ${echo.url} }
  hints: { url: http://127.0.0.1:${(hints.address() as AddressInfo).port} }
serve: legacy
routes:
  - name: hints
    match: { path: "/hints" }
    serve: hints
`)
})
afterAll(async () => {
  await proxy.close()
  await echo.close()
  hints.close()
})

describe('1xx answers', () => {
  it('relays the final answer after an upstream 103, not the 103', async () => {
    const r = await rawRequest(proxy.port, 'GET', '/hints')
    expect(r.status).toBe(200)
    expect(r.head).not.toContain('103')
    expect(r.body).toBe('final')
  })

  it('answers Expect: 100-continue itself and forwards the body without the expectation', async () => {
    const r = await rawRequest(proxy.port, 'POST', '/upload', { expect: '100-continue', 'content-type': 'text/plain' }, 'payload')
    // the proxy's own 100 Continue comes first on the wire, then the answer
    expect(r.head.startsWith('HTTP/1.1 100 Continue')).toBe(true)
    expect(r.body).toContain('"body":"payload"')
    expect(r.body).toContain('"expect":null')
  })
})
