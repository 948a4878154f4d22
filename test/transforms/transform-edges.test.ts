import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gunzipSync, gzipSync } from 'node:zlib'
import http from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { gate } from '../helpers/gate.js'

const release = gate()
const item = { id: 1, customerName: 'Ada', note: 'x'.repeat(40) }

let sp: ProxyFixture

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      svc: {
        streaming: true,
        handler: (req, res) => {
          req.resume()
          const url = req.url!
          if (url.startsWith('/stream')) {
            // the first chunk now, the rest when the test says so
            res.writeHead(201, { 'content-type': 'application/json', 'x-powered-by': 'svc' })
            res.write('{"part":1,')
            void release.promise.then(() => res.end('"done":true}'))
            return
          }
          res.setHeader('content-type', 'application/json')
          if (url.startsWith('/big')) { res.end(JSON.stringify({ items: Array.from({ length: 100 }, () => item) })); return }
          if (url.startsWith('/gzip')) {
            res.setHeader('content-encoding', 'gzip')
            res.end(gzipSync(JSON.stringify(item)))
            return
          }
          if (url.startsWith('/broken')) { res.end('{"customerName": "Ada",'); return }
          res.setHeader('x-seen', JSON.stringify({ url, client: req.headers['x-client'] ?? null, debug: req.headers['x-debug'] ?? null }))
          res.end(JSON.stringify(item))
        }
      }
    },
    rules: `
serve: svc
limits: { transformBody: 2kb }
routes:
  - name: head-only
    match: { path: "/stream" }
    serve: svc
    transform:
      svc:
        response: { status: { 201: 200 }, headers: { remove: [x-powered-by], set: { x-api: v1 } } }
  - name: body
    match: { path: "/**" }
    serve: svc
    transform:
      svc:
        request:
          headers: { set: { x-client: legacy-api }, remove: [x-debug] }
          query: { rename: { q: search }, remove: [debug], set: { v: 2 } }
        response:
          body: [ { rename: { "$.customerName": "$.name" } }, { remove: ["$.note"] } ]
`
  })
})
afterAll(async () => {
  release.open()
  await sp.close()
})

function get (path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; firstChunkAt: number; endAt: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: sp.proxy.port, path, headers }, (res) => {
      const chunks: Buffer[] = []
      let firstChunkAt = 0
      res.on('data', (c: Buffer) => { if (chunks.length === 0) firstChunkAt = Date.now(); chunks.push(c) })
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), firstChunkAt, endAt: Date.now() }))
    })
    req.on('error', reject)
  })
}

async function failures (reason: string): Promise<number> {
  const m = new RegExp(`strangler_transform_failures_total\\{route="body",upstream="svc",reason="${reason}"\\} (\\d+)`).exec(await sp.proxy.metrics.text())
  return m === null ? 0 : Number(m[1])
}

describe('transform edges', () => {
  it('a route with no body transform still streams: the first chunk arrives before the upstream ends', async () => {
    const pending = get('/stream')
    // the upstream holds its end until the client has seen the first chunk
    setTimeout(() => release.open(), 300)
    const r = await pending
    expect(r.status).toBe(200)
    expect(r.headers['x-powered-by']).toBeUndefined()
    expect(r.headers['x-api']).toBe('v1')
    expect(r.body.toString()).toBe('{"part":1,"done":true}')
    expect(r.endAt - r.firstChunkAt).toBeGreaterThanOrEqual(150)
  })

  it('request headers and query are edited; the body transform follows content-length', async () => {
    const r = await get('/x?q=ada&debug=1&keep=%20a&v=1', { 'x-debug': 'on' })
    expect(JSON.parse(r.headers['x-seen'] as string)).toEqual({ url: '/x?search=ada&keep=%20a&v=2', client: 'legacy-api', debug: null })
    expect(JSON.parse(r.body.toString())).toEqual({ id: 1, name: 'Ada' })
    expect(r.headers['content-length']).toBe(String(r.body.length))
  })

  it('a compressed body is decoded, transformed and compressed again', async () => {
    const r = await get('/gzip', { 'accept-encoding': 'gzip' })
    expect(r.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(gunzipSync(r.body).toString())).toEqual({ id: 1, name: 'Ada' })
    expect(r.headers['content-length']).toBe(String(r.body.length))
  })

  it('a body over limits.transformBody streams as it came and is counted', async () => {
    const before = await failures('too-large')
    const r = await get('/big')
    expect(r.body.length).toBeGreaterThan(2048)
    expect(JSON.parse(r.body.toString())).toEqual({ items: Array.from({ length: 100 }, () => item) })
    expect(await failures('too-large')).toBe(before + 1)
  })

  it('a body labelled JSON that does not parse is answered as it came, never as an error', async () => {
    const r = await get('/broken')
    expect(r.status).toBe(200)
    expect(r.body.toString()).toBe('{"customerName": "Ada",')
    expect(await failures('invalid-json')).toBe(1)
  })

  it('HEAD is answered with the upstream head, nothing buffered or counted', async () => {
    const res = await fetch(`${sp.proxy.url}/x`, { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(await failures('not-json')).toBe(0)
  })
})
