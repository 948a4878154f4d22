import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import net from 'node:net'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

// limits.keepAliveTimeout: an idle keep-alive client connection is closed
// after it (Node adds a second of grace to what it advertises), and a reload
// applies a new value to the running server.
let fixture: ProxyFixture

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo' } })
})
afterAll(async () => { await fixture.close() })

/** One keep-alive request on a raw socket; resolves with the answer's head, then with how long the idle socket lived. */
function keepAlive (port: number): Promise<{ head: string; idleMs: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let text = ''
    let answeredAt = 0
    const closed = new Promise<number>((resolveClosed) => socket.on('close', () => resolveClosed(performance.now() - answeredAt)))
    socket.on('error', reject)
    socket.write('GET /ka HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n')
    socket.on('data', (c: Buffer) => {
      text += c.toString()
      const end = text.indexOf('\r\n\r\n')
      const length = /content-length: (\d+)/i.exec(text)
      if (answeredAt === 0 && end !== -1 && length !== null && text.length >= end + 4 + Number(length[1])) {
        answeredAt = performance.now()
        resolve({ head: text.slice(0, end), idleMs: closed })
      }
    })
  })
}

describe('an idle keep-alive client connection', () => {
  it('is closed after limits.keepAliveTimeout, and a reload changes the limit of the running server', async () => {
    const proxy = await fixture.start('serve: legacy\nlimits: { keepAliveTimeout: 200ms }\n')
    const first = await keepAlive(proxy.port)
    expect(first.head).toMatch(/connection: keep-alive/i)
    const idle = await first.idleMs
    expect(idle).toBeGreaterThanOrEqual(190)
    expect(idle).toBeLessThan(3_000)

    await writeFile(proxy.rulesFile, fixture.rules('serve: legacy\nlimits: { keepAliveTimeout: 7s }\n'))
    expect((await proxy.reloader.reload('test')).ok).toBe(true)
    const second = await keepAlive(proxy.port)
    expect(second.head).toMatch(/keep-alive: timeout=7/i)
    // still open well past the old limit and its grace
    const stillOpen = await Promise.race([second.idleMs.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 1_500))])
    expect(stillOpen).toBe(true)
    await proxy.close()
    expect(await second.idleMs).toBeLessThan(3_000)
  })
})
