import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawRequest } from '../helpers/raw-http.js'

// 1xx answers belong to one hop: an upstream's 103 Early Hints is not relayed
// (the client gets the final answer), and a client's Expect: 100-continue is
// answered by the proxy, not forwarded (undici refuses to send it).
let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: {
      legacy: (req, res, body) => {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ expect: req.headers.expect ?? null, body: body.toString() }))
      },
      hints: {
        tcp: (s) => {
          s.once('data', () => {
            s.write('HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n')
            setTimeout(() => s.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\nconnection: close\r\n\r\nfinal'), 20)
          })
        }
      }
    },
    rules: `
serve: legacy
routes:
  - name: hints
    match: { path: "/hints" }
    serve: hints
`
  })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

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
