import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import net from 'node:net'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'
import { rawExchange } from '../helpers/raw-http.js'

// Regression (issue 12): WebSocket (Upgrade) requests were forwarded as plain
// GETs (the client got 200, not 101). Now the request is routed like any
// other, sent to the serving upstream with its Upgrade, and after the
// upstream's 101 the two sockets are piped to each other (no shadow, no
// comparison). A tiny WebSocket-ish upstream speaks the handshake and
// echoes bytes; no WebSocket library is needed.
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
const KEY = 'dGhlIHNhbXBsZSBub25jZQ=='
const ACCEPT = createHash('sha1').update(KEY + GUID).digest('base64')

/** Reads the request head; /declined gets 426, anything else with `upgrade: websocket` a 101, then an echo. */
function chatUpstream (socket: net.Socket): void {
  let head = ''
  const onData = (c: Buffer): void => {
    head += c.toString('latin1')
    const end = head.indexOf('\r\n\r\n')
    if (end === -1) return
    socket.off('data', onData)
    const rest = Buffer.from(head.slice(end + 4), 'latin1')
    const [requestLine, ...lines] = head.slice(0, end).split('\r\n')
    const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
    const target = requestLine!.split(' ')[1]!
    if (target.startsWith('/ws/declined') || headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 426 Upgrade Required\r\ncontent-type: text/plain\r\ncontent-length: 4\r\n\r\nnope')
      return
    }
    const accept = createHash('sha1').update(headers.get('sec-websocket-key') + GUID).digest('base64')
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nx-seen-target: ${target}\r\nx-seen-forwarded-for: ${headers.get('x-forwarded-for') ?? ''}\r\n\r\n`)
    if (rest.length > 0) socket.write(rest)
    socket.on('data', (d: Buffer) => socket.write(d))
  }
  socket.on('data', onData)
  socket.on('error', () => {})
}

let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo', chat: { tcp: chatUpstream } },
    rules: `
serve: legacy
limits: { headersTimeout: 300ms }
routes:
  - { name: ws, match: { path: "/ws/**" }, serve: chat }
`
  })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

/** A client socket that collects what arrives; `until` waits for a condition on it. */
function client (port: number): { socket: net.Socket; text: () => string; until: (test: (t: string) => boolean) => Promise<void>; closed: Promise<void> } {
  const socket = net.connect(port, '127.0.0.1')
  let text = ''
  const waiters: Array<() => void> = []
  socket.on('data', (c: Buffer) => { text += c.toString('latin1'); for (const w of waiters.splice(0)) w() })
  socket.on('error', () => {})
  const closed = new Promise<void>((resolve) => socket.on('close', () => { for (const w of waiters.splice(0)) w(); resolve() }))
  const until = async (test: (t: string) => boolean): Promise<void> => {
    const deadline = Date.now() + 5_000
    while (!test(text)) {
      if (socket.destroyed || Date.now() > deadline) throw new Error(`gave up waiting; got ${JSON.stringify(text)}`)
      await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 100) })
    }
  }
  return { socket, text: () => text, until, closed }
}

const handshake = (target: string, method = 'GET'): string =>
  `${method} ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-key: ${KEY}\r\nsec-websocket-version: 13\r\n\r\n`

describe('an Upgrade (WebSocket) request', () => {
  it('gets the upstream\'s 101 and a two-way byte pipe that outlives the header timeout, until shutdown', async () => {
    const c = client(proxy.port)
    // bytes right behind the request head reach the upstream after the handshake
    c.socket.write(handshake('/ws/chat?room=1') + 'early;')
    await c.until((t) => t.includes('\r\n\r\n') && t.includes('early;'))
    const head = c.text().slice(0, c.text().indexOf('\r\n\r\n'))
    expect(head).toMatch(/^HTTP\/1\.1 101 /)
    expect(head).toContain(`Sec-WebSocket-Accept: ${ACCEPT}`)
    expect(head).toContain('x-seen-target: /ws/chat?room=1')
    expect(head).toContain('x-seen-forwarded-for: 127.0.0.1')

    c.socket.write('hello;')
    await c.until((t) => t.endsWith('early;hello;'))
    // past limits.headersTimeout (300 ms): a tunnel is not a request waiting for its headers
    await new Promise((resolve) => setTimeout(resolve, 700))
    c.socket.write('still there;')
    await c.until((t) => t.endsWith('hello;still there;'))

    const metrics = await proxy.metrics.text()
    expect(metrics).toContain('strangler_requests_total{route="ws",upstream="chat",status="101"} 1')
    expect(fixture.upstream('legacy').seen).toEqual([])

    const closing = proxy.close()
    await c.closed
    await closing
  })
})

describe('an Upgrade request the upstream declines, or that is not a GET', () => {
  let other: TestProxy
  beforeAll(async () => { other = await fixture.start('serve: legacy\nroutes:\n  - { name: ws, match: { path: "/ws/**" }, serve: chat }\n') })

  it('relays the upstream\'s answer, then closes the connection', async () => {
    const res = await rawExchange(other.port, handshake('/ws/declined'))
    expect(res.status).toBe(426)
    expect(res.head.toLowerCase()).toContain('connection: close')
    expect(res.body).toBe('nope')
  })

  it('answers 405 METHOD_NOT_ALLOWED to an Upgrade that is not a GET, and 400 to a rejected path', async () => {
    const post = await rawExchange(other.port, handshake('/ws/chat', 'POST'))
    expect(post.status).toBe(405)
    expect(JSON.parse(post.body)).toMatchObject({ error: 'METHOD_NOT_ALLOWED' })
    const dots = await rawExchange(other.port, handshake('/ws/..;/admin'))
    expect(dots.status).toBe(400)
    expect(JSON.parse(dots.body)).toMatchObject({ error: 'PATH_REJECTED' })
  })
})
