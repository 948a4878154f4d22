import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import type { Rules } from '../../src/config/types.js'
import { computeCoverage } from '../../src/openapi/coverage.js'
import { coverageProblems } from '../../src/openapi/coverage-problems.js'
import { loadSpec } from '../../src/openapi/load-spec.js'
import { buildOperationsIndex, type OperationsIndex } from '../../src/openapi/operations-index.js'
import { coverageHeadline, renderCoverage } from '../../src/openapi/render-coverage.js'
import { runCoverage } from '../../src/cli/run-coverage.js'
import type { DiffRecord } from '../../src/store/record.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const ok = `responses: { '200': { description: ok } }`
const SPEC = `openapi: 3.1.0
info: { title: shop, version: '1' }
servers: [{ url: /api }]
paths:
  /orders:
    get: { operationId: listOrders, ${ok} }
    post: { operationId: createOrder, ${ok} }
  /orders/{id}:
    get: { operationId: getOrder, ${ok} }
    delete: { operationId: deleteOrder, ${ok} }
  /users/{id}:
    get: { operationId: getUser, ${ok} }
  /users/me:
    get: { operationId: getMe, ${ok} }
  /payments/{id}:
    get: { operationId: getPayment, ${ok} }
  /health:
    get: { operationId: health, ${ok} }
`

const RULES = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
  orders: { url: http://127.0.0.1:4000 }
  users: { url: http://127.0.0.1:5000 }
  payments: { url: http://127.0.0.1:6000 }
serve: legacy
routes:
  - name: list-orders
    match: { method: GET, path: /api/orders }
    serve: orders
  - name: get-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: legacy
    shadow: orders
  - name: me
    match: { method: GET, path: /api/users/me }
    serve: legacy
  - name: users
    match: { path: "/api/users/**" }
    serve: users
    shadow: legacy
  - name: payments
    match: { method: GET, path: "/api/payments/{id}" }
    serve: { payments: 10, legacy: 90 }
  - name: delete-order-1
    match: { method: DELETE, path: /api/orders/1 }
    serve: orders
  - name: old-admin
    match: { path: "/api/admin/**" }
    serve: legacy
`

function rec (route: string, method: string, url: string, outcome: DiffRecord['outcome'], extra: Partial<DiffRecord> = {}): DiffRecord {
  return {
    v: 1, id: Math.random().toString(36).slice(2), at: '2026-11-21T10:00:00.000Z', route, method, url,
    primary: { upstream: 'legacy', status: 200, ms: 1, bytes: 1 },
    shadow: { upstream: 'orders', status: 200, ms: 1, bytes: 1 },
    outcome, differences: [], ...extra
  }
}

async function * stream (records: DiffRecord[]): AsyncIterable<DiffRecord> { yield * records }

describe('coverage: each operation with its stage, route and parity', () => {
  let dir: TempDir
  let index: OperationsIndex
  let rules: Rules
  let specFile: string
  let rulesFile: string
  beforeAll(async () => {
    dir = tempDir()
    specFile = dir.write('openapi.yaml', SPEC)
    rulesFile = dir.write('rules.yaml', RULES)
    index = buildOperationsIndex(await loadSpec(specFile))
    const loaded = loadRulesText(RULES, rulesFile)
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors))
    rules = loaded.rules
  })
  afterAll(() => dir.remove())

  it('stages and serving routes follow first-match order', async () => {
    const report = await computeCoverage(rules, index)
    const by = Object.fromEntries(report.operations.map(o => [o.operationId, o]))
    expect(by.listOrders).toMatchObject({ stage: 'migrated', route: 'list-orders', servedBy: 'orders' })
    expect(by.getOrder).toMatchObject({ stage: 'shadowing', route: 'get-order', servedBy: 'legacy' })
    expect(by.getMe).toMatchObject({ stage: 'legacy', route: 'me' })
    // /users/me is an earlier route, but it does not cover /users/{id}
    expect(by.getUser).toMatchObject({ stage: 'verifying', route: 'users', servedBy: 'users', partial: ['me'] })
    expect(by.getPayment).toMatchObject({ stage: 'canary', route: 'payments', servedBy: 'payments 10 / legacy 90' })
    // a static route segment does not fully cover a template param
    expect(by.deleteOrder).toMatchObject({ stage: 'legacy', route: null, servedBy: 'legacy', partial: ['delete-order-1'] })
    expect(by.createOrder).toMatchObject({ stage: 'legacy', route: null, partial: [] })
    expect(report.totals.byStage).toEqual({ legacy: 4, shadowing: 1, canary: 1, migrated: 1, verifying: 1 })
    expect(report.defaultOnly.map(o => o.operationId)).toEqual(['createOrder', 'health'])
    expect(report.unmatchedRoutes.map(r => r.route)).toEqual(['old-admin'])
    expect(report.records).toBeNull()
    expect(coverageHeadline(report)).toBe('1 of 8 operations migrated, 1 shadowing (nothing compared yet), 1 canary, 1 verifying, 4 on legacy')
  })

  it('parity per operation from the records of its serving route', async () => {
    const records = [
      ...Array.from({ length: 99 }, (_, i) => rec('get-order', 'GET', `/api/orders/${i}?x=1`, 'match')),
      rec('get-order', 'GET', '/api/orders/7', 'mismatch', { differences: [{ kind: 'contract', path: '$.id', side: 'shadow', schemaPath: '#/type', message: 'must be integer' }] }),
      rec('get-order', 'GET', '/api/orders/8', 'shadow-error', { error: 'reset' }),
      rec('get-order', 'GET', '/api/orders/9', 'skipped', { skipped: 'concurrency' }),
      rec('users', 'GET', '/api/users/42', 'match', { operation: '/users/{id}' }),
      rec('old-route', 'GET', '/api/orders/1', 'match'),
      rec('get-order', 'GET', '/nowhere', 'match')
    ]
    const report = await computeCoverage(rules, index, stream(records))
    const by = Object.fromEntries(report.operations.map(o => [o.operationId, o]))
    expect(by.getOrder!.parity).toEqual({ compared: 100, matched: 99, mismatched: 1, errors: 1, skipped: 1, contractViolations: 1, parity: 0.99 })
    expect(by.getUser!.parity).toMatchObject({ compared: 1, matched: 1, parity: 1 })
    expect(by.listOrders!.parity).toBeNull()
    expect(report.records).toEqual({ read: 105, unattributed: 2 })
    expect(coverageHeadline(report)).toBe('1 of 8 operations migrated, 1 shadowing at 99.00% parity, 1 canary, 1 verifying, 4 on legacy')
    const json = JSON.parse(renderCoverage(report, 'json'))
    expect(json.totals.shadowing.parity).toBe(0.99)
    expect(renderCoverage(report, 'md')).toContain('| shadowing | GET | /api/orders/{id} | getOrder | get-order | legacy | 100 | 99.00% | 1 | 1 contract violation |')
  })

  it('check --spec warnings: a route matching no operation, operations only the default serves', () => {
    const problems = coverageProblems(rules, index)
    expect(problems.map(p => [p.code, p.route ?? p.at])).toEqual([
      ['SPEC_ROUTE_NO_OPERATION', 'old-admin'],
      ['SPEC_OPERATION_DEFAULT_ONLY', 'paths["/orders"].post'],
      ['SPEC_OPERATION_DEFAULT_ONLY', 'paths["/health"].get']
    ])
    expect(problems.every(p => p.severity === 'warning')).toBe(true)
    expect(problems[0]!.line).toBe(RULES.split('\n').findIndex(l => l.includes('name: old-admin')) + 1)
  })

  it('runCoverage reads the store and prints the table; unknown format is exit 2', async () => {
    const store = dir.path + '/store'
    dir.write('store/diffs-20261121T100000Z-0000001-000001.ndjson', [
      rec('get-order', 'GET', '/api/orders/1', 'match'),
      rec('get-order', 'GET', '/api/orders/2', 'mismatch')
    ].map(r => JSON.stringify(r)).join('\n') + '\n')
    let stdout = ''
    let stderr = ''
    const io = { stdout: (s: string) => { stdout += s }, stderr: (s: string) => { stderr += s } }
    expect(await runCoverage({ rules: rulesFile, spec: specFile, store }, io)).toBe(0)
    expect(stdout).toContain('1 of 8 operations migrated, 1 shadowing at 50.00% parity')
    expect(stdout).toMatch(/shadowing\s+GET\s+\/api\/orders\/\{id\}\s+getOrder\s+get-order/)
    expect(stdout).toContain('Routes matching no operation (1)')
    expect(stdout).toContain('Operations served only by the default "legacy" (2)')
    expect(await runCoverage({ rules: rulesFile, spec: specFile, format: 'html' }, io)).toBe(2)
    expect(stderr).toContain('unknown --format')
  })
})
