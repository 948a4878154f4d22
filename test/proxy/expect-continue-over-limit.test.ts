import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import net from 'node:net'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

// Regression (issue 12): `Expect: 100-continue` with a declared body over
// limits.requestBody got `100 Continue` first, inviting the client to send a
// body the proxy would refuse. Now 413 comes at once, with no 100, and the
// connection closes (the body was never sent). Under the limit, 100 comes
// only once the request is going to be forwarded.
let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo' },
    rules: 'serve: legacy\nlimits: { requestBody: 1kb }\nroutes:\n  - { name: uploads, match: { path: "/uploads/**" }, serve: legacy }\n'
  })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

/**
 * Send only the head of a POST that expects 100-continue (keep-alive unless
 * `close`); send the body when 100 arrives; read until the proxy closes.
 */
function expectContinue (target: string, length: number, close: boolean): Promise<{ text: string; bodySent: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(proxy.port, '127.0.0.1')
    let text = ''
    let bodySent = false
    socket.write(`POST ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\n${close ? 'connection: close\r\n' : ''}content-type: text/plain\r\ncontent-length: ${length}\r\nexpect: 100-continue\r\n\r\n`)
    socket.on('data', (c: Buffer) => {
      text += c.toString()
      if (!bodySent && text.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
        bodySent = true
        socket.write('x'.repeat(length))
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve({ text, bodySent }))
    // a client waits a while for 100 before sending anyway; this one never does
    setTimeout(() => socket.destroy(new Error('no final answer within 5 s')), 5_000).unref()
  })
}

describe('Expect: 100-continue', () => {
  it('answers a declared body over limits.requestBody with 413 at once, never 100 Continue, and closes', async () => {
    const legacy = fixture.upstream('legacy')
    const before = legacy.seen.length
    const r = await expectContinue('/uploads/big', 5000, false)
    expect(r.bodySent).toBe(false)
    expect(r.text).toMatch(/^HTTP\/1\.1 413 /)
    expect(r.text).not.toContain('100 Continue')
    // a keep-alive request: the proxy closes, since the declared body never came
    expect(r.text.toLowerCase()).toContain('connection: close')
    expect(JSON.parse(r.text.slice(r.text.indexOf('\r\n\r\n') + 4))).toEqual({
      error: 'BODY_TOO_LARGE',
      message: 'request body of 5000 bytes is larger than limits.requestBody (1024 bytes)',
      route: 'uploads'
    })
    expect(legacy.seen.length).toBe(before)
  })

  it('sends 100 Continue for a body within the limit, then forwards it', async () => {
    const r = await expectContinue('/uploads/small', 100, true)
    expect(r.bodySent).toBe(true)
    const final = r.text.slice('HTTP/1.1 100 Continue\r\n\r\n'.length)
    expect(final).toMatch(/^HTTP\/1\.1 200 /)
    expect(JSON.parse(final.slice(final.indexOf('\r\n\r\n') + 4))).toMatchObject({ body: 'x'.repeat(100) })
  })
})
