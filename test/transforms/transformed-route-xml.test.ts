import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'

// The monolith speaks XML (its clients do too), written by hand as old services do.
const orders = new Map([
  ['7', { id: 7, currency: 'EUR', total: 10.5, skus: ['A-1', 'B-2'] }],
  ['8', { id: 8, currency: 'USD', total: 3, skus: ['C-3'] }]
])
function legacyXml (req: IncomingMessage, res: ServerResponse): void {
  const m = /^\/orders\/(\d+)$/.exec(req.url!)
  const o = m === null ? undefined : orders.get(m[1]!)
  res.setHeader('content-type', 'application/xml; charset=utf-8')
  if (o === undefined) { res.statusCode = 404; res.end('<?xml version="1.0"?>\n<error>not found</error>'); return }
  res.end(`<?xml version="1.0" encoding="UTF-8"?>
<order id="${o.id}">
  <total currency="${o.currency}">${o.total}</total>
  <items>
${o.skus.map((s) => `    <item><sku>${s}</sku></item>`).join('\n')}
  </items>
</order>
`)
}

// The rewrite is a JSON service with its own field names.
const drift = new Map<string, number>()
function ordersJson (req: IncomingMessage, res: ServerResponse): void {
  const m = /^\/api\/v2\/orders\/(\d+)$/.exec(req.url!)
  const o = m === null ? undefined : orders.get(m[1]!)
  res.setHeader('content-type', 'application/json')
  if (o === undefined) { res.statusCode = 404; res.end('{"error":"not found"}'); return }
  res.end(JSON.stringify({ orderId: o.id, amount: drift.get(m![1]!) ?? o.total, currency: o.currency, lines: o.skus.map((sku) => ({ sku })) }))
}

let sp: ProxyFixture

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: { legacy: legacyXml, orders: ordersJson },
    rules: `
serve: legacy
routes:
  - name: order
    match: { method: GET, path: "/orders/{id}" }
    serve: { orders: 50, legacy: 50 }
    shadow: orders
    transform:
      orders:
        request: { path: "/api/v2/orders/{id}" }
        response:
          body:
            - rename:
                "$.orderId": "$.order['@id']"
                "$.currency": "$.order.total['@currency']"
                "$.amount": "$.order.total['#text']"
                "$.lines": "$.order.items.item"
          format: xml
          arrays: ["$.order.items.item"]
`
  })
})
afterAll(async () => { await sp.close() })

describe('a legacy XML API strangled by a JSON service with format: xml', () => {
  it('XML clients keep working on both sides of a canary, and the shadow compare is structural', async () => {
    const bodies: Record<string, string[]> = { legacy: [], orders: [] }
    for (let i = 0; i < 40; i++) {
      const id = i % 2 === 0 ? '7' : '8'
      const res = await fetch(`${sp.proxy.url}/orders/${id}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/)
      const text = await res.text()
      // the monolith indents its XML; the XML built from the JSON service's answer is compact
      bodies[text.includes('\n  <items>') ? 'legacy' : 'orders']!.push(text)
      expect(text).toMatch(new RegExp(`<order id="${id}">`))
      expect(text).toContain('<sku>')
    }
    // both sides served some of them
    expect(bodies['orders']!.length).toBeGreaterThan(0)
    expect(bodies['legacy']!.length).toBeGreaterThan(0)
    // what the JSON service's clients got is XML built from its JSON
    expect(bodies['orders']![0]).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/)
    expect(bodies['orders']!.find((b) => b.includes('id="8"'))).toMatch(/<items><item><sku>C-3<\/sku><\/item><\/items>/)
    // the legacy share was mirrored to the JSON service: compared structurally, whatever the whitespace
    const recs = (await sp.records()).filter((r) => r.route === 'order')
    expect(recs.length).toBe(bodies['legacy']!.length)
    expect(recs.map((r) => [r.outcome, r.differences])).toEqual(recs.map(() => ['match', []]))
  })

  it('a value that differs is a difference at its path in the JSON mapping', async () => {
    drift.set('8', 3.5)
    const before = (await sp.records()).length
    for (let i = 0; i < 20; i++) await (await fetch(`${sp.proxy.url}/orders/8`)).text()
    const recs = (await sp.records()).slice(before)
    expect(recs.length).toBeGreaterThan(0)
    for (const r of recs) {
      expect(r.outcome).toBe('mismatch')
      expect(r.differences).toEqual([{ kind: 'changed', path: "$.order.total['#text']", primary: 3, shadow: 3.5 }])
    }
  })
})
