import { describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp-dir.js'

const BAD = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000, timeout: 30 }
  orders: { url: http://127.0.0.1:4000 }
serve: legacy
routes:
  - name: list-orders
    match: { method: GET, path: /api/orders }
    serve: ordres
    shadw: orders
  - name: list-orders
    match: { path: "/api/{id" }
    serve: { orders: -1, legacy: 90 }
`

describe('strangler check (child process)', () => {
  it('prints every error with file:line:col and route, and exits 1', async () => {
    const dir = await tempDir()
    const file = join(dir, 'rules.yaml')
    await writeFile(file, BAD)
    const r = await runCli(['check', '--rules', file])
    expect(r.code).toBe(1)
    const lines = r.stdout.split('\n').filter((l) => l.includes(' error '))
    expect(lines).toHaveLength(6)
    expect(r.stdout).toContain(`${file}:3:`)
    expect(r.stdout).toMatch(new RegExp(`${file}:9:\\d+ error RULES_UNKNOWN_UPSTREAM route "list-orders"`))
    expect(r.stdout).toMatch(/:10:\d+ error RULES_UNKNOWN_KEY .*did you mean "shadow"/)
    expect(r.stdout).toMatch(/:11:\d+ error RULES_DUPLICATE_ROUTE/)
    expect(r.stdout).toMatch(/:12:\d+ error RULES_BAD_PATH_PATTERN/)
    expect(r.stdout).toMatch(/:13:\d+ error RULES_BAD_WEIGHTS/)
  })

  it('accepts the example rules file and exits 0', async () => {
    const r = await runCli(['check', '--rules', 'rules/example.yaml'])
    expect(r.stdout).toContain('valid')
    expect(r.code).toBe(0)
  })

  it('prints an unreachable route as a warning and still exits 0', async () => {
    const dir = await tempDir()
    const file = join(dir, 'rules.yaml')
    await writeFile(file, `version: 1
upstreams: { legacy: { url: http://127.0.0.1:3000 }, orders: { url: http://127.0.0.1:4000 } }
serve: legacy
routes:
  - name: all-orders
    match: { path: "/api/orders/**" }
    serve: orders
  - name: one-order
    match: { method: GET, path: "/api/orders/{id}" }
    serve: legacy
`)
    const r = await runCli(['check', '--rules', file])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/:9:\d+ warning RULES_UNREACHABLE_ROUTE route "one-order".*all-orders/)
  })

  it('exits 1 for a missing file, naming it', async () => {
    const r = await runCli(['check', '--rules', '/nonexistent/rules.yaml'])
    expect(r.code).toBe(1)
    expect(r.stdout + r.stderr).toContain('/nonexistent/rules.yaml')
  })
})
