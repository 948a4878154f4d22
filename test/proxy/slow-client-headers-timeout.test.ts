import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import net from 'node:net'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { startProxyFixture, type ProxyFixture, type TestProxy } from '../helpers/proxy-fixture.js'

// Regression (issue 12): a client that drips its headers held its socket
// forever (requestTimeout 0, no headersTimeout); 1,100 of them left normal
// clients unanswered, with nothing logged. Now limits.headersTimeout bounds
// the time to a request's headers: such sockets get 408 CLIENT_TIMEOUT and
// are closed, counted in strangler_client_timeouts_total, and logged once per
// interval, not once per socket.
const DRIPPERS = 60
const lines: Array<Record<string, unknown>> = []
let fixture: ProxyFixture
let proxy: TestProxy

beforeAll(async () => {
  const dest = new Writable({ write (chunk, _enc, cb) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); cb() } })
  fixture = await startProxyFixture({
    upstreams: { legacy: 'echo' },
    rules: 'serve: legacy\nlimits: { headersTimeout: 300ms }\n',
    options: { logger: pino({ level: 'warn' }, dest) }
  })
  proxy = fixture.proxy
})
afterAll(async () => { await fixture.close() })

interface Dripped { readonly received: string; readonly closedAfterMs: number }

/** A client that sends a request line, then one header byte every 50 ms, and never ends its headers. */
function drip (port: number, silent = false): Promise<Dripped> {
  return new Promise((resolve) => {
    const started = performance.now()
    const socket = net.connect(port, '127.0.0.1')
    let received = ''
    let timer: NodeJS.Timeout | undefined
    socket.on('connect', () => {
      if (silent) return
      socket.write('GET /dripping HTTP/1.1\r\nhost: 127.0.0.1\r\nx-drip: ')
      timer = setInterval(() => { if (socket.writable) socket.write('a') }, 50)
    })
    socket.on('data', (c: Buffer) => { received += c.toString() })
    socket.on('error', () => {})
    socket.on('close', () => {
      clearInterval(timer)
      resolve({ received, closedAfterMs: performance.now() - started })
    })
  })
}

describe('a client that drips its headers', () => {
  it('is answered 408 CLIENT_TIMEOUT and closed after limits.headersTimeout, while normal clients are served; counted, and logged once', async () => {
    const dripped = [...Array.from({ length: DRIPPERS - 1 }, async () => await drip(proxy.port)), drip(proxy.port, true)]
    // normal clients, while every dripper is still holding its socket
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${proxy.url}/normal/${i}`)
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    const results = await Promise.all(dripped)
    for (const r of results) {
      // Node looks every 75 ms (a quarter of the limit); allow for a busy machine
      expect(r.closedAfterMs).toBeGreaterThanOrEqual(290)
      expect(r.closedAfterMs).toBeLessThan(2_000)
      expect(r.received).toMatch(/^HTTP\/1\.1 408 /)
      expect(r.received).toContain('connection: close')
      expect(JSON.parse(r.received.slice(r.received.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: 'CLIENT_TIMEOUT', route: null })
    }
    expect(fixture.upstream('legacy').seen.map((s) => s.url).filter((u) => u === '/dripping')).toEqual([])

    const metrics = await proxy.metrics.text()
    expect(metrics).toContain(`strangler_client_timeouts_total{reason="headers"} ${DRIPPERS}`)

    // within the 10 s interval: one line for the first, the rest summed into one line at shutdown
    await proxy.close()
    const timeoutLines = lines.filter((l) => l['reason'] === 'headers')
    expect(timeoutLines).toHaveLength(2)
    expect(timeoutLines[0]!['headersTimeoutMs']).toBe(300)
    expect(timeoutLines[1]!['count']).toBe(DRIPPERS - 1)
  })
})
