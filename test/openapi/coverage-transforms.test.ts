import { afterAll, beforeAll, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadRulesText } from '../../src/config/load.js'
import type { Rules } from '../../src/config/types.js'
import { computeCoverage } from '../../src/openapi/coverage.js'
import { loadSpec } from '../../src/openapi/load-spec.js'
import { buildOperationsIndex } from '../../src/openapi/operations-index.js'
import { renderCoverage } from '../../src/openapi/render-coverage.js'
import type { DiffRecord } from '../../src/store/record.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const ok = `responses: { '200': { description: ok } }`
const SPEC = `openapi: 3.1.0
info: { title: crm, version: '1' }
paths:
  /api/customers/{id}:
    get: { operationId: getCustomer, ${ok} }
  /api/invoices/{id}:
    get: { operationId: getInvoice, ${ok} }
  /api/orders:
    post: { operationId: createOrder, ${ok} }
`
const RULES = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  crm: { url: http://127.0.0.1:4000 }
serve: legacy
routes:
  - name: get-customer
    match: { method: GET, path: "/api/customers/{id}" }
    serve: legacy
    shadow: crm
  - name: get-invoice
    match: { method: GET, path: "/api/invoices/{id}" }
    serve: legacy
    shadow: crm
    transform:
      crm:
        request: { path: "/billing/v2/invoices/{id}" }
        response: { body: [ { rename: { "$.invoiceId": "$.id" } } ] }
  - name: create-order
    match: { method: POST, path: /api/orders }
    serve: legacy
    shadow: crm
    shadowWrites: true
`

let dir: TempDir
let rules: Rules
beforeAll(async () => {
  dir = await tempDir()
  const r = loadRulesText(RULES, 'rules.yaml')
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  rules = r.rules
})
afterAll(async () => { await dir.remove() })

function rec (route: string, method: string, url: string, differences: DiffRecord['differences']): DiffRecord {
  return { v: 1, id: `${route}-${Math.random()}`, at: new Date().toISOString(), route, method, url, stage: 'shadowing', primary: { upstream: 'legacy', status: 200, ms: 1, bytes: 1 }, shadow: { upstream: 'crm', status: 200, ms: 1, bytes: 1 }, outcome: differences.length === 0 ? 'match' : 'mismatch', differences }
}

async function * records (): AsyncIterable<DiffRecord> {
  for (let i = 1; i <= 10; i++) {
    // the new CRM renamed phone (same value under phoneNumber); one pair also differs in bio
    yield rec('get-customer', 'GET', `/api/customers/${i}`, [
      { kind: 'removed', path: '$.phone', primary: `+33 1 ${i}` },
      { kind: 'added', path: '$.phoneNumber', shadow: `+33 1 ${i}` },
      ...(i === 1 ? [{ kind: 'changed' as const, path: '$.bio', primary: 'a', shadow: 'b' }] : [])
    ])
    yield rec('get-invoice', 'GET', `/api/invoices/${i}`, [])
    // the new service answers 201 to a create
    yield rec('create-order', 'POST', '/api/orders', [{ kind: 'status', path: '$status', primary: 200, shadow: 201 }])
  }
}

it('coverage shows the transforms routes have, and the ones their mismatches point at', async () => {
  const file = join(dir.path, 'spec.yaml')
  await writeFile(file, SPEC)
  const index = buildOperationsIndex(await loadSpec(file))
  const report = await computeCoverage(rules, index, records())
  const byOp = new Map(report.operations.map((o) => [o.operationId, o.transforms]))
  expect(byOp.get('getCustomer')).toEqual({ configured: [], suggested: ['crm: rename $.phoneNumber → $.phone (10 of 10 mismatches)'] })
  expect(byOp.get('getInvoice')).toEqual({ configured: ['crm: path, body'], suggested: [] })
  expect(byOp.get('createOrder')).toEqual({ configured: [], suggested: ['crm: status { 201: 200 } (10 of 10 mismatches)'] })
  const text = renderCoverage(report, 'text')
  expect(text).toMatch(/getCustomer .*needs a transform\? crm: rename \$\.phoneNumber → \$\.phone/)
  expect(text).toMatch(/getInvoice .*transform crm: path, body/)
})
