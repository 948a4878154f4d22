import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

const SPEC = `openapi: 3.1.0
info: { title: shop, version: '1' }
paths:
  /api/orders/{id}:
    get:
      operationId: getOrder
      responses:
        '200':
          description: an order
          content:
            application/json:
              schema:
                type: object
                required: [id, price]
                properties:
                  id: { type: integer }
                  price: { type: number }
  /api/orders/{id}/notes:
    get:
      operationId: getNotes
      responses:
        '200': { description: free text }
`

let sp: ProxyFixture

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (req, res) => {
        res.setHeader('content-type', 'application/json')
        res.end(req.url!.endsWith('/notes') ? '{"text":"hi"}' : '{"id":7,"price":9.5}')
      },
      orders: (req, res) => {
        res.setHeader('content-type', 'application/json')
        res.end(req.url!.endsWith('/notes') ? '{"text":"hi"}' : '{"id":"7","price":9.5}')
      }
    }
  })
  const specFile = join(sp.dir, 'openapi.yaml')
  await writeFile(specFile, SPEC)
  await sp.start(`
serve: legacy
routes:
  - { name: orders, match: { path: "/api/orders/**" }, serve: legacy, shadow: orders }
`, { specFile })
})
afterAll(async () => { await sp.close() })

describe('serve --spec: contract checks of both responses', () => {
  it('adds a contract difference naming the side and schema path, and tags the record with its operation template', async () => {
    await (await fetch(`${sp.proxy.url}/api/orders/7`)).arrayBuffer()
    await (await fetch(`${sp.proxy.url}/api/orders/8`)).arrayBuffer()
    const recs = (await sp.records()).filter((r) => r.url.startsWith('/api/orders/') && !r.url.endsWith('/notes'))
    expect(recs).toHaveLength(2)
    for (const r of recs) {
      expect(r.operation).toBe('/api/orders/{id}')
      expect(r.differences.some((d) => d.kind === 'contract')).toBe(false)
      const contract = r.contract ?? []
      expect(contract).toHaveLength(1)
      expect(contract[0]).toMatchObject({ kind: 'contract', side: 'shadow', path: '$.id' })
      expect((contract[0] as { schemaPath: string }).schemaPath).toContain('id')
    }
  })

  it('skips, and counts, responses for which the spec has no schema', async () => {
    await (await fetch(`${sp.proxy.url}/api/orders/7/notes`)).arrayBuffer()
    const r = (await sp.records()).find((x) => x.url === '/api/orders/7/notes')!
    expect(r.outcome).toBe('match')
    expect(r.operation).toBe('/api/orders/{id}/notes')
    const metrics = await sp.proxy.metrics.text()
    expect(metrics).toMatch(/strangler_contract_checks\{result="skipped-no-schema"\} 2/)
    expect(metrics).toMatch(/strangler_contract_checks\{result="violating"\} 2/)
  })
})
