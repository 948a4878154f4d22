import { beforeAll, describe, expect, it } from 'vitest'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp-dir.js'

const SPEC = `openapi: 3.0.3
info: { title: shop, version: '1' }
paths:
  /users/{id}:
    get: { operationId: getUser, tags: [users], responses: { '200': { description: ok } } }
  /users/me:
    get: { operationId: getMe, tags: [users], responses: { '200': { description: ok } } }
  /orders:
    get: { operationId: listOrders, tags: [orders], responses: { '200': { description: ok } } }
    post: { operationId: createOrder, tags: [orders], responses: { '201': { description: ok } } }
`

let dir: string
let spec: string

beforeAll(async () => {
  dir = await tempDir()
  spec = join(dir, 'openapi.yaml')
  await writeFile(spec, SPEC)
})

describe('OpenAPI commands (child processes)', () => {
  it('init writes starter rules that check accepts, one route per operation, /users/me before /users/{id}', async () => {
    const out = join(dir, 'rules.yaml')
    const init = await runCli(['init', '--spec', spec, '--legacy', 'http://127.0.0.1:3000', '--out', out])
    expect(init.code).toBe(0)
    const text = await readFile(out, 'utf8')
    for (const name of ['getUser', 'getMe', 'listOrders', 'createOrder']) expect(text).toContain(`name: "${name}"`)
    expect(text.indexOf('/users/me')).toBeLessThan(text.indexOf('/users/{id}'))
    expect(text).toMatch(/# users/)
    const check = await runCli(['check', '--rules', out, '--spec', spec])
    expect(check.code).toBe(0)
    expect(check.stdout).toContain('valid, 4 routes')
    expect(check.stdout).toContain('0 warnings')
  })

  it('coverage lists every operation with its stage and the totals', async () => {
    const rules = join(dir, 'partly-migrated.yaml')
    await writeFile(rules, `version: 1
upstreams: { legacy: { url: http://127.0.0.1:3000 }, users: { url: http://127.0.0.1:4000 } }
serve: legacy
routes:
  - { name: users, match: { path: "/users/**" }, serve: users }
  - { name: list-orders, match: { method: GET, path: /orders }, serve: legacy, shadow: users }
  - { name: old-reports, match: { path: "/reports/**" }, serve: legacy }
`)
    const r = await runCli(['coverage', '--rules', rules, '--spec', spec, '--store', join(dir, 'no-store')])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/2 of 4 operations migrated/)
    expect(r.stdout).toMatch(/1 shadowing/)
    expect(r.stdout).toContain('createOrder')
    expect(r.stdout).toContain('old-reports')
    const json = await runCli(['coverage', '--rules', rules, '--spec', spec, '--format', 'json', '--store', join(dir, 'no-store')])
    const report = JSON.parse(json.stdout) as { operations: Array<{ operationId: string; stage: string }> }
    expect(report.operations.find((o) => o.operationId === 'getMe')!.stage).toBe('migrated')
    expect(report.operations.find((o) => o.operationId === 'listOrders')!.stage).toBe('shadowing')
    const check = await runCli(['check', '--rules', rules, '--spec', spec])
    expect(check.code).toBe(0)
    expect(check.stdout).toMatch(/warning SPEC_ROUTE_NO_OPERATION route "old-reports"/)
    expect(check.stdout).toMatch(/warning SPEC_OPERATION_DEFAULT_ONLY/)
  })

  it('serve --spec refuses to start on a spec whose $ref leaves its folder, exit 1, nothing leaked', async () => {
    const bad = join(dir, 'bad.yaml')
    await writeFile(bad, SPEC + `components:\n  schemas:\n    X: { $ref: 'file:///etc/passwd' }\n`)
    const r = await runCli(['serve', '--rules', 'rules/example.yaml', '--spec', bad, '--port', '0'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('SPEC_REF_REFUSED')
    expect(r.stderr).not.toContain('root:x:0:0')
  })
})
