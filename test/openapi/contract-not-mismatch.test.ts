import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Handler } from '../helpers/upstream.js'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { aggregateRecords } from '../../src/report/aggregate-records.js'

const SPEC = `openapi: 3.1.0
info: { title: shop, version: '1' }
paths:
  /api/orders/{id}:
    get:
      responses:
        '200':
          description: an order
          content:
            application/json:
              schema: { type: object, required: [id], properties: { id: { type: integer } } }
`

let sp: ProxyFixture

// both sides give the same answer, and both break the spec the same way
const answer = (url: string): { status: number; body: string } =>
  url === '/api/orders/gone' ? { status: 410, body: '{"error":"gone"}' } : { status: 200, body: '{"id":"7"}' }

beforeAll(async () => {
  const same: Handler = (req, res) => {
    const a = answer(req.url!)
    res.statusCode = a.status
    res.setHeader('content-type', 'application/json')
    res.end(a.body)
  }
  sp = await startProxyFixture({ upstreams: { legacy: same, orders: same } })
  const specFile = join(sp.dir, 'openapi.yaml')
  await writeFile(specFile, SPEC)
  await sp.start(`
serve: legacy
routes:
  - { name: orders, match: { path: "/api/orders/**" }, serve: legacy, shadow: orders }
`, { specFile })
})
afterAll(async () => { await sp.close() })

describe('contract findings do not turn identical answers into a mismatch', () => {
  it('two identical answers that break the schema: a match, with the findings of each side in contract', async () => {
    await (await fetch(`${sp.proxy.url}/api/orders/7`)).arrayBuffer()
    const r = (await sp.records()).find(x => x.url === '/api/orders/7')!
    expect(r.outcome).toBe('match')
    expect(r.differences).toEqual([])
    expect(r.contract).toEqual([
      expect.objectContaining({ kind: 'contract', side: 'primary', path: '$.id' }),
      expect.objectContaining({ kind: 'contract', side: 'shadow', path: '$.id' })
    ])
    expect(sp.proxy.parity.parity('orders')).toMatchObject({ compared: 1, matched: 1, parity: 1 })
  })

  it('a status the spec does not declare is a finding at $status on each side, not a skip', async () => {
    await (await fetch(`${sp.proxy.url}/api/orders/gone`)).arrayBuffer()
    const r = (await sp.records()).find(x => x.url === '/api/orders/gone')!
    expect(r.outcome).toBe('match')
    expect(r.contract).toEqual([
      { kind: 'contract', side: 'primary', path: '$status', schemaPath: '#/paths/~1api~1orders~1{id}/get/responses', message: expect.stringMatching(/status 410 .*\(200\)/) },
      { kind: 'contract', side: 'shadow', path: '$status', schemaPath: '#/paths/~1api~1orders~1{id}/get/responses', message: expect.stringMatching(/status 410/) }
    ])
    const metrics = await sp.proxy.metrics.text()
    expect(metrics).not.toMatch(/strangler_contract_checks\{result="skipped-no-schema"\} [1-9]/)
  })

  it('the report keeps parity at 100% and lists the findings apart', async () => {
    const report = await aggregateRecords(await sp.records())
    const route = report.routes.find(x => x.route === 'orders')!
    expect(route).toMatchObject({ compared: 2, matched: 2, mismatched: 0, parity: 1, topDifferences: [], contract: 2 })
    expect(route.topContract.map(c => [c.side, c.path, c.count])).toEqual([
      ['primary', '$.id', 1], ['primary', '$status', 1], ['shadow', '$.id', 1], ['shadow', '$status', 1]
    ])
  })
})
