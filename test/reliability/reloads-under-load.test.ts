import { writeFile } from 'node:fs/promises'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

// Hot reloads under concurrent load (issue 12): RELOADS rules changes while
// CLIENTS keep-alive clients send requests without pause, at least
// REQUESTS_BETWEEN requests answered between two reloads; not one request
// may fail, and each answer comes from the upstream the rules in force name.
export const RELOADS = 20
const CLIENTS = 16
const REQUESTS_BETWEEN = 100

/** the i-th rules: the items route flips between legacy and orders (shadowing the other), and a route comes and goes */
function rules (i: number): string {
  const [serve, shadow] = i % 2 === 0 ? ['legacy', 'orders'] : ['orders', 'legacy']
  return `
serve: legacy
shadow: { timeout: 2s }
routes:
  - { name: items, match: { path: "/api/items/**" }, serve: ${serve}, shadow: ${shadow} }
${i % 3 === 0 ? '  - { name: extra, match: { method: GET, path: "/api/extra/{id}" }, serve: orders }\n' : ''}  - { name: users, match: { path: "/api/users/**" }, serve: { legacy: 50, orders: 50 } }
`
}

let fixture: ProxyFixture

beforeAll(async () => {
  fixture = await startProxyFixture({ upstreams: { legacy: 'echo', orders: 'echo' }, rules: rules(0) })
})
afterAll(async () => { await fixture.close() })

describe(`${RELOADS} hot reloads under load`, () => {
  it(`fails no request of ${CLIENTS} concurrent clients`, async () => {
    const proxy = fixture.proxy
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS })
    const failures: string[] = []
    const served = { legacy: 0, orders: 0 }
    let answered = 0
    let stop = false
    const get = async (path: string, method: string): Promise<{ status: number, upstream: string | null }> => await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: proxy.port, path, method, agent, headers: method === 'POST' ? { 'content-type': 'application/json' } : {} }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => { body += c })
        res.on('end', () => {
          let upstream: string | null = null
          try { upstream = (JSON.parse(body) as { upstream?: string }).upstream ?? null } catch { upstream = null }
          resolve({ status: res.statusCode!, upstream })
        })
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(method === 'POST' ? '{"a":1}' : undefined)
    })
    const client = async (c: number): Promise<void> => {
      for (let n = 0; !stop; n++) {
        const path = ['/api/items/1?x=' + n, '/api/users/' + n, '/api/extra/' + n, '/other'][(c + n) % 4]!
        const method = n % 5 === 4 ? 'POST' : 'GET'
        try {
          const r = await get(path, method)
          // /api/extra/{id} is a route only in some rules; without it the request goes to serve: legacy; both answer 200
          if (r.status !== 200 || (r.upstream !== 'legacy' && r.upstream !== 'orders')) failures.push(`${method} ${path}: ${r.status} ${String(r.upstream)}`)
          else if (path.startsWith('/api/items/')) served[r.upstream]++
        } catch (err) {
          failures.push(`${method} ${path}: ${String(err)}`)
        }
        answered++
      }
    }
    const clients = Array.from({ length: CLIENTS }, async (_, c) => { await client(c) })
    const reloads: boolean[] = []
    try {
      for (let i = 1; i <= RELOADS; i++) {
        const mark = answered
        while (answered - mark < REQUESTS_BETWEEN) await new Promise((resolve) => setTimeout(resolve, 5))
        await writeFile(proxy.rulesFile, fixture.rules(rules(i)))
        reloads.push((await proxy.reloader.reload('test')).ok)
      }
      const mark = answered
      while (answered - mark < REQUESTS_BETWEEN) await new Promise((resolve) => setTimeout(resolve, 5))
    } finally {
      stop = true
      await Promise.all(clients)
      agent.destroy()
    }
    expect(reloads).toEqual(Array.from({ length: RELOADS }, () => true))
    expect(failures.slice(0, 5)).toEqual([])
    expect(answered).toBeGreaterThanOrEqual((RELOADS + 1) * REQUESTS_BETWEEN)
    // the reloads took effect: the items route was served by both sides in turn
    expect(served.legacy).toBeGreaterThan(0)
    expect(served.orders).toBeGreaterThan(0)
  }, 60_000)
})
