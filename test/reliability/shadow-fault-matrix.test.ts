import { createHash } from 'node:crypto'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

// The shadow fault matrix of issue 12, at a bounded scale: each fault below
// gets REQUESTS_PER_FAULT requests through a route shadowed to a failing
// upstream, and every answer the client sees (status, headers, body bytes)
// must equal the answer to the same request through the pass-through route
// (each route strips its own prefix: the primary sees the same request).
export const REQUESTS_PER_FAULT = 1_000
const CLIENTS = 16
const FAULTS = ['down', 'slow', 'resets', 'garbage', 'errors', 'large', 'endless'] as const
type Fault = typeof FAULTS[number]

// headers that may differ between two answers to one request, whoever shadows
const VOLATILE = new Set(['date', 'keep-alive', 'connection'])

let fixture: ProxyFixture

/** the primary: its answer depends on the request only (method, url, body, one header) */
function legacy (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
  const digest = createHash('sha256').update(`${req.method!} ${req.url!}\n`).update(body).digest('hex')
  const payload = JSON.stringify({ method: req.method, url: req.url, digest, size: body.length, user: req.headers['x-user'] ?? null, pad: 'p'.repeat(Number(digest.slice(0, 3)) % 2048) })
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('etag', `"${digest.slice(0, 16)}"`)
  res.setHeader('cache-control', 'private, max-age=5')
  res.setHeader('set-cookie', [`s=${digest.slice(0, 8)}; Path=/; HttpOnly`, 'theme=dark'])
  res.setHeader('x-legacy-version', '1.2.3')
  res.statusCode = digest.startsWith('0') ? 404 : 200
  res.end(payload)
}

beforeAll(async () => {
  fixture = await startProxyFixture({
    upstreams: {
      legacy,
      down: 'dead',
      // answers long after shadow.timeout
      slow: (_req, res) => { setTimeout(() => { res.setHeader('content-type', 'application/json'); res.end('{"late":true}') }, 1000) },
      // declares 4 KB, sends part of it, then resets the connection
      resets: { tcp: (s) => { s.on('data', () => { s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4096\r\n\r\n{"items":['); setImmediate(() => s.resetAndDestroy()) }); s.on('error', () => {}) } },
      garbage: { tcp: (s) => { s.on('data', () => { s.end('\u0000\u0001 not http at all \r\n\r\n') }); s.on('error', () => {}) } },
      errors: (_req, res) => { res.statusCode = 500; res.setHeader('content-type', 'application/json'); res.end('{"error":"boom"}') },
      // over shadow.maxBodyBytes (64 KB), declared up front
      large: (_req, res) => { res.setHeader('content-type', 'application/octet-stream'); res.end(Buffer.alloc(256 * 1024, 120)) },
      // 200, then a body that never ends (chunked, written as fast as the socket takes it)
      endless: {
        streaming: true,
        handler: (req, res) => {
          req.resume()
          res.writeHead(200, { 'content-type': 'application/octet-stream' })
          const chunk = Buffer.alloc(16 * 1024, 121)
          let open = true
          res.on('close', () => { open = false })
          const pump = (): void => {
            while (open) if (!res.write(chunk)) { res.once('drain', pump); return }
          }
          pump()
        }
      }
    },
    rules: `
serve: legacy
shadow: { timeout: 300ms, maxConcurrent: 64, maxBodyBytes: 64kb }
compare: { headers: [content-type] }
routes:
${FAULTS.map((f) => `  - { name: ${f}, match: { path: "/${f}/**" }, rewrite: { stripPrefix: /${f} }, serve: legacy, shadow: ${f}, shadowWrites: true }`).join('\n')}
  - { name: pass, match: { path: "/pass/**" }, rewrite: { stripPrefix: /pass }, serve: legacy }
`
  })
})
afterAll(async () => { await fixture.close() })

/** what the record of a mirrored request under each fault says */
const FAULTED: Record<Fault, (outcome: string, skipped: string | undefined, error: string | undefined) => boolean> = {
  down: (o) => o === 'shadow-error',
  slow: (o) => o === 'shadow-error',
  resets: (o) => o === 'shadow-error',
  garbage: (o) => o === 'shadow-error',
  errors: (o) => o === 'mismatch',
  // over the cap (after 3 in a row, the route backs off: not mirrored); on a busy machine the shadow deadline may come first
  large: (o, s, e) => (o === 'skipped' && (s === 'too-large' || s === 'too-large-backoff')) || (o === 'shadow-error' && e?.includes('timeout') === true),
  endless: (o, s, e) => (o === 'skipped' && (s === 'too-large' || s === 'too-large-backoff')) || (o === 'shadow-error' && e?.includes('timeout') === true)
}

interface Sent { readonly method: string; readonly path: string; readonly body: string | null; readonly user: string }

/** the i-th request of a fault: GETs with queries and POST/PUT with JSON bodies of varied sizes */
function request (fault: Fault, i: number): Sent {
  const user = `u${i % 7}`
  if (i % 4 === 3) return { method: i % 8 === 7 ? 'PUT' : 'POST', path: `/api/orders/${i}`, body: JSON.stringify({ fault, i, note: 'n'.repeat(i % 500) }), user }
  return { method: 'GET', path: `/api/items/${i % 97}?page=${i % 5}&q=${fault}`, body: null, user }
}

interface Answer { readonly status: number; readonly headers: Record<string, string | string[]>; readonly body: Buffer }

async function send (agent: http.Agent, r: Sent, fault: Fault | null): Promise<Answer> {
  const port = fixture.proxy.port
  return await new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'x-user': r.user }
    if (r.body !== null) headers['content-type'] = 'application/json'
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: `/${fault ?? 'pass'}${r.path}`, headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const kept: Record<string, string | string[]> = {}
        for (const [k, v] of Object.entries(res.headers)) if (!VOLATILE.has(k) && v !== undefined) kept[k] = v
        resolve({ status: res.statusCode!, headers: kept, body: Buffer.concat(chunks) })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(r.body ?? undefined)
  })
}

async function runFault (fault: Fault): Promise<{ changed: string[], errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS })
  const changed: string[] = []
  let errors = 0
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < REQUESTS_PER_FAULT) {
      const r = request(fault, next++)
      try {
        const [shadowed, plain] = [await send(agent, r, fault), await send(agent, r, null)]
        if (shadowed.status !== plain.status) changed.push(`${r.method} ${r.path}: status ${plain.status} -> ${shadowed.status}`)
        else if (JSON.stringify(shadowed.headers) !== JSON.stringify(plain.headers)) changed.push(`${r.method} ${r.path}: headers ${JSON.stringify(plain.headers)} -> ${JSON.stringify(shadowed.headers)}`)
        else if (!shadowed.body.equals(plain.body)) changed.push(`${r.method} ${r.path}: body differs`)
      } catch (err) {
        errors++
        changed.push(`${r.method} ${r.path}: ${String(err)}`)
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: CLIENTS }, worker))
  } finally {
    agent.destroy()
  }
  return { changed, errors }
}

describe(`shadow fault matrix: ${REQUESTS_PER_FAULT} requests per fault, 0 client-visible changes`, () => {
  for (const fault of FAULTS) {
    it(`${fault}: every answer equals the pass-through answer to the same request`, async () => {
      const before = fixture.upstream('legacy').seen.length
      const { changed, errors } = await runFault(fault)
      expect(errors).toBe(0)
      expect(changed.slice(0, 5)).toEqual([])
      // both routes reached the primary for every request
      expect(fixture.upstream('legacy').seen.length - before).toBe(2 * REQUESTS_PER_FAULT)
      // and the fault was exercised: the shadow side failed (or was over the cap) on mirrored requests
      const records = (await fixture.records()).filter((r) => r.route === fault)
      expect(records.length).toBeGreaterThan(0)
      // the too-large ones for large and endless: the cap, not only the deadline, was met
      const faulted = fault === 'large' || fault === 'endless' ? records.filter((r) => r.skipped === 'too-large') : records.filter((r) => FAULTED[fault](r.outcome, r.skipped, r.error))
      expect(faulted.length).toBeGreaterThan(0)
      // nothing else: a pair is either the fault or skipped for concurrency
      expect(records.filter((r) => !FAULTED[fault](r.outcome, r.skipped, r.error) && r.skipped !== 'concurrency').map((r) => [r.outcome, r.skipped ?? r.error])).toEqual([])
    }, 60_000)
  }
})
