import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import http from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

// Regression (issue 12): SIGTERM reset keep-alive requests in flight (20
// ECONNRESET at 20 clients). On close(), requests in flight finish, their
// answers carry `Connection: close`, and idle keep-alive sockets are closed.
let fixture: ProxyFixture

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: {
      legacy: (req, res) => {
        const wait = req.url!.startsWith('/slow') ? 400 : 0
        setTimeout(() => { res.setHeader('content-type', 'text/plain'); res.end(`answer to ${req.url}`) }, wait)
      }
    }
  })
})
afterAll(async () => { await fixture.close() })

interface Outcome { status: number; connection: string | undefined; body: string }

function get (agent: http.Agent, port: number, path: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }))
      res.on('error', reject)
    })
    req.on('error', reject)
  })
}

describe('shutdown with keep-alive requests in flight', () => {
  it('finishes every request in flight with Connection: close and closes idle keep-alive sockets', async () => {
    const proxy = await fixture.start('serve: legacy', { drainTimeoutMs: 5_000 })
    const upstream = fixture.upstream('legacy')
    const clients = 20
    const agent = new http.Agent({ keepAlive: true, maxSockets: clients })
    const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      // every client's socket is warm: the requests below reuse kept-alive connections
      const warm = await Promise.all(Array.from({ length: clients }, async (_, i) => await get(agent, proxy.port, `/warm/${i}`)))
      expect(warm.every((w) => w.status === 200 && w.connection === 'keep-alive')).toBe(true)
      await get(idleAgent, proxy.port, '/idle')
      const idleSockets = Object.values(idleAgent.freeSockets).flat()
      expect(idleSockets).toHaveLength(1)
      const idleClosed = new Promise<number>((resolve) => idleSockets[0]!.once('close', () => resolve(performance.now())))

      const seenBefore = upstream.seen.length
      const failure = (err: NodeJS.ErrnoException): string => err.code ?? String(err)
      const followUps: Array<Promise<Outcome | string>> = []
      // each client sends its next request as soon as its answer is in, as a keep-alive client loop does
      const inFlight = Array.from({ length: clients }, async (_, i) => {
        const first = await get(agent, proxy.port, `/slow?n=${i}`).catch(failure)
        followUps.push(get(agent, proxy.port, `/next?n=${i}`).catch(failure))
        return first
      })
      while (upstream.seen.length < seenBefore + clients) await new Promise((resolve) => setTimeout(resolve, 5))
      const closeStarted = performance.now()
      const closed = proxy.close()
      const outcomes = await Promise.all(inFlight)
      await closed

      expect(outcomes.filter((o) => typeof o === 'string')).toEqual([])
      for (const [i, o] of outcomes.entries()) {
        expect(o).toEqual({ status: 200, connection: 'close', body: `answer to /slow?n=${i}` })
      }
      // the next request goes to a new connection, which the closed listener refuses:
      // never to a kept-alive socket that is being closed under it (a reset, or a 503)
      expect(await Promise.all(followUps)).toEqual(Array.from({ length: clients }, () => 'ECONNREFUSED'))
      // the idle socket went at once, not after the in-flight requests or the drain timeout
      expect(await idleClosed - closeStarted).toBeLessThan(300)
    } finally {
      agent.destroy()
      idleAgent.destroy()
    }
  })
})
