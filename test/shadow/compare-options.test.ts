import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import type { DiffRecord } from '../../src/store/record.js'

let sp: ProxyFixture

const primary = {
  requestId: 'a-1',
  meta: { generatedAt: '2026-11-21T10:00:00Z', page: 1 },
  items: [{ id: 1, price: 10.0, updatedAt: 't1', tags: ['a', 'b'] }, { id: 2, price: 5.25, updatedAt: 't2', tags: [] }],
  nested: { deeper: { requestId: 'x-9' } }
}
const shadow = {
  requestId: 'b-2',
  meta: { generatedAt: '2026-11-21T10:00:01Z', page: 1 },
  items: [{ id: 2, price: 5.2504, updatedAt: 't9', tags: [] }, { id: 1, price: 10.0004, updatedAt: 't8', tags: ['a', 'b'] }],
  nested: { deeper: { requestId: 'y-7' } }
}

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(primary)) },
      orders: (_req, res) => { res.setHeader('content-type', 'application/json; charset=utf-8'); res.end(JSON.stringify(shadow)) }
    },
    rules: `
serve: legacy
compare:
  ignore: ["$..requestId"]
routes:
  - name: all-options
    match: { path: /tuned }
    serve: legacy
    shadow: orders
    compare:
      ignore: ["$.meta.generatedAt", "$.items[*].updatedAt"]
      unordered: ["$.items"]
      tolerance: 0.001
  - name: strict
    match: { path: /strict }
    serve: legacy
    shadow: orders
  - name: headers
    match: { path: /headers }
    serve: legacy
    shadow: orders
    compare:
      headers: [Content-Type]
      ignore: ["$.meta", "$.items"]
`
  })
})
afterAll(async () => { await sp.close() })

async function recordFor (path: string): Promise<DiffRecord> {
  await (await fetch(sp.proxy.url + path)).arrayBuffer()
  return (await sp.records()).find((r) => r.url === path)!
}

describe('compare options through the proxy', () => {
  it('ignore (route + global $..key), unordered arrays and numeric tolerance together give a match', async () => {
    const r = await recordFor('/tuned')
    expect(r.differences).toEqual([])
    expect(r.outcome).toBe('match')
  })

  it('without them the same pair differs, and only the global ignore applies', async () => {
    const r = await recordFor('/strict')
    expect(r.outcome).toBe('mismatch')
    const paths = r.differences.map((d) => d.path)
    expect(paths).toContain('$.meta.generatedAt')
    expect(paths).toContain('$.items[0].id')
    expect(paths.some((p) => p.includes('requestId'))).toBe(false)
  })

  it('compares only the listed headers, case-insensitively', async () => {
    const r = await recordFor('/headers')
    expect(r.differences).toEqual([{
      kind: 'header',
      path: "$headers['content-type']",
      header: 'content-type',
      primary: 'application/json',
      shadow: 'application/json; charset=utf-8'
    }])
  })
})
