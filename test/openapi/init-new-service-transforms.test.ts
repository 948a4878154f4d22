import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pino } from 'pino'
import { startProxy, type RunningProxy } from '../../src/app/start-proxy.js'
import { startUpstream, type FakeUpstream } from '../helpers/upstream.js'
import { runCli } from '../helpers/cli.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const LEGACY_SPEC = `openapi: 3.0.3
info: { title: shop, version: '1' }
paths:
  /api/customers/{customer-id}:
    get: { operationId: getCustomer, responses: { '200': { description: ok } } }
  /api/customers:
    post: { operationId: createCustomer, responses: { '200': { description: ok } } }
  /api/reports/{year}/{month}:
    get: { operationId: getReport, responses: { '200': { description: ok } } }
  /api/health:
    get: { operationId: health, responses: { '200': { description: ok } } }
`
const NEW_SPEC = `openapi: 3.1.0
info: { title: customers, version: '2' }
servers: [{ url: /v2 }]
paths:
  /customers/{id}:
    get: { operationId: getCustomer, responses: { '200': { description: ok } } }
  /customers:
    post: { operationId: createCustomer, responses: { '201': { description: created } } }
  /reports/{period}:
    get: { operationId: getReport, responses: { '200': { description: ok } } }
`

// each side answers from its own path scheme; the new one answers 201 to a create
function legacy (req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json')
  const m = /^\/api\/customers\/(\w+)$/.exec(req.url!)
  if (m !== null) { res.end(JSON.stringify({ id: m[1], name: 'Ada' })); return }
  if (req.method === 'POST' && req.url === '/api/customers') { res.end(JSON.stringify({ id: 'c9', name: 'Grace' })); return }
  res.statusCode = 404
  res.end('{"error":"not found"}')
}
function customers (req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('content-type', 'application/json')
  const m = /^\/v2\/customers\/(\w+)$/.exec(req.url!)
  if (m !== null) { res.end(JSON.stringify({ id: m[1], name: 'Ada' })); return }
  if (req.method === 'POST' && req.url === '/v2/customers') { res.statusCode = 201; res.end(JSON.stringify({ id: 'c9', name: 'Grace' })); return }
  res.statusCode = 404
  res.end('{"error":"not found"}')
}

let dir: TempDir
let a: FakeUpstream
let b: FakeUpstream
let proxy: RunningProxy | null = null
beforeAll(async () => {
  dir = tempDir()
  a = await startUpstream(legacy)
  b = await startUpstream(customers)
})
afterAll(async () => {
  await proxy?.close()
  await a.close()
  await b.close()
  dir.remove()
})

describe('init --new-spec: the operations both specs share are shadowed, with a transform where the new service differs', () => {
  it('writes rules that load, and through which the shared operations shadow at 100% parity', async () => {
    const legacySpec = dir.write('legacy.yaml', LEGACY_SPEC)
    const newSpec = dir.write('new.yaml', NEW_SPEC)
    const out = `${dir.path}/rules.yaml`
    const r = await runCli(['init', '--spec', legacySpec, '--legacy', a.url, '--new-spec', newSpec, '--new', b.url, '--new-name', 'customers', '--out', out])
    expect(r.code).toBe(0)
    const check = await runCli(['check', '--rules', out])
    expect(check.stdout + check.stderr).toContain('valid, 4 routes (2 shadowing, 2 legacy), 0 warnings')
    const text = readFileSync(out, 'utf8')
    expect(text).toContain('request: { path: "/v2/customers/{customer_id}" }')
    expect(text).toContain('response: { status: { 201: 200 } }')
    expect(text).toContain('# not shadowed yet: its path /v2/reports/{period} has 1 param, /api/reports/{year}/{month} has 2')

    // the generated rules, as they are, with writes mirrored too for the create
    writeFileSync(out, text.replace('    shadow: customers          # POST', '    shadowWrites: true\n    shadow: customers          # POST'))
    proxy = await startProxy({ rulesFile: out, port: 0, host: '127.0.0.1', storeDir: `${dir.path}/diffs`, logger: pino({ level: 'silent' }), watch: false })
    for (const id of ['c1', 'c2', 'c3']) expect((await fetch(`${proxy.url}/api/customers/${id}`)).status).toBe(200)
    const created = await fetch(`${proxy.url}/api/customers`, { method: 'POST', body: '{"name":"Grace"}', headers: { 'content-type': 'application/json' } })
    expect(created.status).toBe(200)
    await proxy.settled()
    const recs = []
    for await (const rec of proxy.store.read()) recs.push(rec)
    expect(recs.map((x) => [x.route, x.outcome])).toEqual([['getCustomer', 'match'], ['getCustomer', 'match'], ['getCustomer', 'match'], ['createCustomer', 'match']])
    expect(b.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /v2/customers/c1', 'GET /v2/customers/c2', 'GET /v2/customers/c3', 'POST /v2/customers'])
  })
})
