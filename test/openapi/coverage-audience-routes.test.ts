import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCoverage } from '../../src/cli/run-coverage.js'
import type { DiffRecord } from '../../src/store/record.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const ok = `responses: { '200': { description: ok } }`
const SPEC = `openapi: 3.1.0
info: { title: shop, version: '1' }
paths:
  /api/orders/{id}:
    get: { operationId: getOrder, ${ok} }
  /api/orders:
    get: { operationId: listOrders, ${ok} }
  /api/invoices/{id}:
    get: { operationId: getInvoice, ${ok} }
  /api/users/{id}:
    get: { operationId: getUser, ${ok} }
`
const RULES = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
serve: legacy
routes:
  - name: get-order-acme
    match: { method: GET, path: "/api/orders/{id}", headers: { x-tenant: acme } }
    serve: { orders: 50, legacy: 50 }
    shadow: orders
  - name: orders-eu
    match: { path: "/api/orders/**", host: "*.eu.example.com", query: { beta: "1" } }
    serve: orders
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: legacy
    shadow: orders
  - name: invoices-internal
    match: { method: GET, path: "/api/invoices/{id}", headers: { x-internal: { present: true } } }
    serve: orders
`

function rec (route: string, url: string, outcome: DiffRecord['outcome']): DiffRecord {
  return {
    v: 1, id: Math.random().toString(36).slice(2), at: '2026-11-21T10:00:00.000Z', route, method: 'GET', url,
    primary: { upstream: 'legacy', status: 200, ms: 1, bytes: 1 },
    shadow: { upstream: 'orders', status: 200, ms: 1, bytes: 1 },
    outcome, differences: []
  }
}

interface Json {
  operations: Array<{ operationId: string, stage: string, route: string | null, servedBy: string, partial: string[], parity: { compared: number, parity: number } | null, audiences: Array<{ route: string, audience: string, stage: string, servedBy: string, parity: { compared: number, matched: number, parity: number } | null }> }>
  totals: { byStage: Record<string, number>, defaultOnly: number }
  defaultOnly: Array<{ operationId: string }>
  records: { read: number, unattributed: number }
}

describe('coverage with audience routes: the stage everybody else gets, and the audiences apart', () => {
  let dir: TempDir
  let args: { rules: string, spec: string, store: string }
  beforeAll(() => {
    dir = tempDir()
    args = { rules: dir.write('rules.yaml', RULES), spec: dir.write('openapi.yaml', SPEC), store: dir.path + '/store' }
    dir.write('store/diffs-20261121T100000Z-0000001-000001.ndjson', [
      rec('get-order-acme', '/api/orders/1', 'match'),
      rec('get-order-acme', '/api/orders/2', 'match'),
      rec('get-order-acme', '/api/orders/3', 'mismatch'),
      rec('get-order-acme', '/api/orders/4', 'match'),
      rec('get-order', '/api/orders/5', 'match'),
      rec('get-order', '/api/orders/6', 'mismatch')
    ].map(r => JSON.stringify(r)).join('\n') + '\n')
  })
  afterAll(() => dir.remove())

  async function coverage (format: string): Promise<string> {
    let out = ''
    const io = { stdout: (s: string) => { out += s }, stderr: (s: string) => { throw new Error(s) } }
    expect(await runCoverage({ ...args, format }, io)).toBe(0)
    return out
  }

  it('json: the operation keeps its unconditioned route and stage, and lists the audience routes with theirs', async () => {
    const report = JSON.parse(await coverage('json')) as Json
    const by = Object.fromEntries(report.operations.map(o => [o.operationId, o]))
    expect(by.getOrder).toMatchObject({ stage: 'shadowing', route: 'get-order', servedBy: 'legacy', partial: [] })
    expect(by.getOrder!.parity).toMatchObject({ compared: 2, parity: 0.5 })
    expect(by.getOrder!.audiences).toEqual([
      { route: 'get-order-acme', audience: 'x-tenant=acme', stage: 'canary', servedBy: 'orders 50 / legacy 50', parity: { compared: 4, matched: 3, mismatched: 1, errors: 0, skipped: 0, contractViolations: 0, parity: 0.75 } },
      { route: 'orders-eu', audience: '?beta=1, host *.eu.example.com', stage: 'migrated', servedBy: 'orders', parity: null }
    ])
    // only some of the list is taken, and only for an audience: the default serves everybody else
    expect(by.listOrders).toMatchObject({ stage: 'legacy', route: null, servedBy: 'legacy', partial: [] })
    expect(by.listOrders!.audiences.map(a => a.route)).toEqual(['orders-eu'])
    expect(by.getInvoice).toMatchObject({ stage: 'legacy', route: null, servedBy: 'legacy' })
    expect(by.getInvoice!.audiences).toMatchObject([{ route: 'invoices-internal', audience: 'x-internal present', stage: 'migrated' }])
    expect(by.getUser!.audiences).toEqual([])
    // stages count what everybody else gets; only getUser is served by the default alone
    expect(report.totals.byStage).toMatchObject({ shadowing: 1, canary: 0, migrated: 0, legacy: 3 })
    expect(report.defaultOnly.map(o => o.operationId)).toEqual(['getUser'])
    expect(report.records).toEqual({ read: 6, unattributed: 0 })
  })

  it('text: the note names the audience, its stage and its route', async () => {
    const text = await coverage('text')
    const line = text.split('\n').find(l => l.includes('getOrder'))!
    expect(line).toMatch(/^shadowing\s+GET\s+\/api\/orders\/\{id\}\s+getOrder\s+get-order\s+legacy\s+2\s+50\.00%/)
    expect(line).toContain('canary for x-tenant=acme via get-order-acme (75.00% parity, 4 compared); migrated for ?beta=1, host *.eu.example.com via orders-eu')
    expect(text.split('\n').find(l => l.includes('getInvoice'))).toMatch(/^legacy\s+.*\(default\)\s+legacy\s+.*migrated for x-internal present via invoices-internal$/)
  })
})
