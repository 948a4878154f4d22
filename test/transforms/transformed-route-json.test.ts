import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

// The monolith's customer API, with its own session check and its own table.
interface LegacyCustomer { id: string; customerName: string; phoneNumber: string; tags: string[]; orders: Array<{ orderId: number; total: number }> }
const legacyTable = new Map<string, LegacyCustomer>([
  ['c1', { id: 'c1', customerName: 'Ada Lovelace', phoneNumber: '+44 20 7946 0001', tags: ['vip'], orders: [{ orderId: 1, total: 10.5 }, { orderId: 2, total: 99 }] }],
  ['c2', { id: 'c2', customerName: 'Alan Turing', phoneNumber: '+44 20 7946 0002', tags: [], orders: [] }]
])
function legacy (req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('x-powered-by', 'Legacy/1.0')
  if (req.headers['x-session'] !== 'ok') { res.statusCode = 401; res.end('{"error":"no session"}'); return }
  if (req.url === '/api/customers/export.csv') { res.setHeader('content-type', 'text/csv'); res.end('id,name\nc1,Ada Lovelace\n'); return }
  const m = /^\/api\/customers\/([^/?]+)/.exec(req.url!)
  if (req.method === 'GET' && m !== null) {
    const c = legacyTable.get(m[1]!)
    if (c === undefined) { res.statusCode = 404; res.end('{"error":"not found"}'); return }
    res.end(JSON.stringify(c))
    return
  }
  if (req.method === 'POST' && req.url === '/api/customers') {
    const input = JSON.parse(body.toString()) as { customerName: string; phoneNumber: string }
    const id = input.customerName.toLowerCase().replace(/\W+/g, '-')
    const c = { id, customerName: input.customerName, phoneNumber: input.phoneNumber, tags: [], orders: [] }
    legacyTable.set(id, c)
    res.end(JSON.stringify(c)) // legacy answers 200 to a create
    return
  }
  res.statusCode = 404
  res.end('{"error":"no route"}')
}

// The rewrite: a new path scheme (/v2/customers), its own field names, 201 on create,
// an internal field, and no `tags` when there are none.
interface NewCustomer { id: string; name: string; phone: string; internalNotes: string; tags?: string[]; orders: Array<{ id: number; total: number }> }
const newTable = new Map<string, NewCustomer>([
  ['c1', { id: 'c1', name: 'Ada Lovelace', phone: '+44 20 7946 0001', internalNotes: 'migrated 2026-11', tags: ['vip'], orders: [{ id: 1, total: 10.5 }, { id: 2, total: 99 }] }],
  ['c2', { id: 'c2', name: 'Alan Turing', phone: '+44 20 7946 0002', internalNotes: '', orders: [] }]
])
function customers (req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  res.setHeader('content-type', 'application/json; charset=utf-8')
  if (req.headers['x-session'] !== 'ok') { res.statusCode = 401; res.end('{"message":"unauthorized"}'); return }
  if (req.url === '/v2/customers/export.csv') { res.setHeader('content-type', 'text/csv'); res.end('id,name\nc1,Ada Lovelace\n'); return }
  const m = /^\/v2\/customers\/([^/?]+)/.exec(req.url!)
  if (req.method === 'GET' && m !== null) {
    const c = newTable.get(m[1]!)
    if (c === undefined) { res.statusCode = 404; res.end('{"error":"not found"}'); return }
    res.end(JSON.stringify(c))
    return
  }
  if (req.method === 'POST' && req.url === '/v2/customers') {
    const input = JSON.parse(body.toString()) as { name?: string; phone?: string }
    if (input.name === undefined) { res.statusCode = 422; res.end('{"message":"name is required"}'); return }
    const id = input.name.toLowerCase().replace(/\W+/g, '-')
    const c: NewCustomer = { id, name: input.name, phone: input.phone ?? '', internalNotes: 'created by v2', orders: [] }
    newTable.set(id, c)
    res.statusCode = 201
    res.end(JSON.stringify(c))
    return
  }
  res.statusCode = 404
  res.end('{"error":"no route"}')
}

const TRANSFORM = `
    transform:
      customers:
        request:
          path: "/v2/customers/{**}"
          body:
            - rename: { "$.customerName": "$.name", "$.phoneNumber": "$.phone" }
        response:
          status: { 201: 200 }
          headers: { set: { x-powered-by: Legacy/1.0 } }
          body:
            - rename: { "$.name": "$.customerName", "$.phone": "$.phoneNumber" }
            - remove: ["$.internalNotes"]
            - default: { "$.tags": [] }
            - map: { "$.orders[*]": [ { rename: { "$.id": "$.orderId" } } ] }`

function rules (serve: string, shadow: string): string {
  return `
serve: legacy
compare: { headers: [content-type, x-powered-by] }
routes:
  - name: customer
    match: { path: "/api/customers/**" }
    serve: ${serve}
    shadow: ${shadow}
    shadowWrites: true
${TRANSFORM}
`
}

let sp: ProxyFixture

beforeAll(async () => {
  sp = await startProxyFixture({ upstreams: { legacy, customers }, rules: rules('legacy', 'customers') })
})
afterAll(async () => { await sp.close() })

async function call (method: string, path: string, body?: unknown): Promise<{ status: number; type: string | null; poweredBy: string | null; json: unknown; text: string }> {
  const res = await fetch(`${sp.proxy.url}${path}`, {
    method,
    headers: { 'x-session': 'ok', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  let json: unknown = null
  try { json = JSON.parse(text) } catch { json = null /* not JSON: the text says what it is */ }
  return { status: res.status, type: res.headers.get('content-type'), poweredBy: res.headers.get('x-powered-by'), json, text }
}

describe('a route strangled by a service that renamed fields, moved its paths and answers 201', () => {
  it('shadows at 100% parity once the new side is adapted', async () => {
    const requests: Array<[string, string, unknown?]> = [
      ['GET', '/api/customers/c1'],
      ['GET', '/api/customers/c2'],
      ['GET', '/api/customers/c9'],
      ['POST', '/api/customers', { customerName: 'Grace Hopper', phoneNumber: '+1 555 0100' }],
      ['GET', '/api/customers/c1?fields=all']
    ]
    for (const [m, p, b] of requests) expect((await call(m, p, b)).status).not.toBe(502)
    const recs = (await sp.records()).filter((r) => r.route === 'customer')
    expect(recs).toHaveLength(5)
    expect(recs.map((r) => [r.method, r.url, r.outcome, r.differences])).toEqual(requests.map(([m, p]) => [m, p, 'match', []]))
    // the new side got its own path scheme and field names
    const seen = sp.upstream('customers').seen
    expect(seen.map((s) => `${s.method} ${s.url}`)).toContain('GET /v2/customers/c1?fields=all')
    const create = seen.find((s) => s.method === 'POST')!
    expect(JSON.parse(create.body.toString())).toEqual({ name: 'Grace Hopper', phone: '+1 555 0100' })
    expect(create.headers['content-length']).toBe(String(create.body.length))
  })

  it('flipped, clients get exactly the legacy JSON: same fields, same status, same headers compared', async () => {
    const before = new Map<string, Awaited<ReturnType<typeof call>>>()
    for (const id of ['c1', 'c2']) before.set(id, await call('GET', `/api/customers/${id}`))
    await writeFile(sp.proxy.rulesFile, sp.rules(rules('customers', 'legacy')))
    const reload = await sp.proxy.reloader.reload('test')
    expect(reload.ok).toBe(true)
    const servedBefore = sp.upstream('customers').seen.length
    for (const id of ['c1', 'c2']) {
      const after = await call('GET', `/api/customers/${id}`)
      expect(after.status).toBe(200)
      expect(after.json).toEqual(before.get(id)!.json)
      expect(after.poweredBy).toBe('Legacy/1.0')
    }
    const created = await call('POST', '/api/customers', { customerName: 'Barbara Liskov', phoneNumber: '+1 555 0101' })
    expect(created.status).toBe(200)
    expect(created.json).toEqual({ id: 'barbara-liskov', customerName: 'Barbara Liskov', phoneNumber: '+1 555 0101', tags: [], orders: [] })
    expect(sp.upstream('customers').seen.length - servedBefore).toBe(3)
    // reverse shadow (verifying): the legacy side is compared with what clients now get
    const recs = (await sp.records()).filter((r) => r.route === 'customer' && r.stage === 'verifying')
    expect(recs.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/customers/c1', 'GET /api/customers/c2', 'POST /api/customers'])
    expect(recs.every((r) => r.outcome === 'match')).toBe(true)
  })

  it('an answer the transform cannot read is sent as it came, counted and not turned into an error', async () => {
    const r = await call('GET', '/api/customers/export.csv')
    expect(r.status).toBe(200)
    expect(r.type).toBe('text/csv')
    expect(r.text).toBe('id,name\nc1,Ada Lovelace\n')
    const metrics = await sp.proxy.metrics.text()
    expect(metrics).toMatch(/strangler_transform_failures_total\{route="customer",upstream="customers",reason="not-json"\} [1-9]/)
  })
})
