import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRulesText } from '../../src/config/load.js'
import { runInit } from '../../src/cli/run-init.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const ok = `responses: { '200': { description: ok } }`
const SPEC_30 = `openapi: 3.0.3
info: { title: t, version: '1' }
servers: [{ url: /api }]
tags: [{ name: users }, { name: me }]
paths:
  /users/{id}:
    get: { operationId: getUser, tags: [users], summary: "Get a\\nuser", ${ok} }
    delete: { operationId: "delete user!", tags: [users], ${ok} }
  /users/{user-id}/repos/{repo.name}:
    get: { operationId: getUser, tags: [users], ${ok} }
  /users/me:
    get: { operationId: getMe, tags: [me], ${ok} }
  /files/{name}.{ext}:
    get: { ${ok} }
  /health:
    get: { ${ok} }
  /:
    get: { ${ok} }
`

const SPEC_31 = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/orders/{id}': { get: { operationId: 'repos/get-order', responses: { 200: { description: 'ok' } } } },
    '/orders/latest': { get: { operationId: 'latest', responses: { 200: { description: 'ok' } } } },
    '/trailing/': { get: { operationId: 'trailing', responses: { 200: { description: 'ok' } } } }
  }
})

function io () {
  const out = { stdout: '', stderr: '' }
  return { out, io: { stdout: (s: string) => { out.stdout += s }, stderr: (s: string) => { out.stderr += s } } }
}

describe('init writes rules that check accepts', () => {
  let dir: TempDir
  beforeAll(() => { dir = tempDir() })
  afterAll(() => dir.remove())

  it('OpenAPI 3.0: one legacy route per operation, zero errors and zero warnings', async () => {
    const spec = dir.write('a/openapi.yaml', SPEC_30)
    const { out, io: sink } = io()
    expect(await runInit({ spec, legacy: 'http://127.0.0.1:3000' }, sink)).toBe(0)
    const result = loadRulesText(out.stdout, 'rules.yaml')
    expect(result.warnings).toEqual([])
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const rules = result.rules
    expect(rules.serve).toBe('legacy')
    expect(rules.upstreams.legacy!.url).toBe('http://127.0.0.1:3000')
    expect(rules.routes.every(r => r.stage === 'legacy')).toBe(true)
    const byName = Object.fromEntries(rules.routes.map(r => [r.name, r]))
    // names: operationId, sanitized, unique; method+path without one
    expect(Object.keys(byName).sort()).toEqual(['delete-user', 'get-files-name-ext', 'get-health', 'get-root', 'getMe', 'getUser', 'getUser-2'].sort())
    expect(byName['getUser']!.match.path.source).toBe('/api/users/{id}')
    expect(byName['getUser-2']!.match.path.source).toBe('/api/users/{user_id}/repos/{repo_name}')
    expect(byName['get-root']!.match.path.source).toBe('/api')
    expect(byName['get-files-name-ext']!.match.path.source).toBe('/api/files/{name}.{ext}')
    // /users/me (tag "me") is placed before /users/{id} (tag "users") so it stays reachable
    const names = rules.routes.map(r => r.name)
    expect(names.indexOf('getMe')).toBeLessThan(names.indexOf('getUser'))
    expect(out.stdout).toContain('# users')
    expect(out.stdout).toContain('# GET /api/users/{id} — Get a user')
  })

  it('OpenAPI 3.1 to a file: specific before param paths; an inexpressible path is commented out', async () => {
    const spec = dir.write('b/openapi.json', SPEC_31)
    const outFile = dir.path + '/b/rules.yaml'
    const { out, io: sink } = io()
    expect(await runInit({ spec, legacy: 'https://legacy.internal', out: outFile }, sink)).toBe(0)
    expect(out.stdout).toBe('')
    const text = readFileSync(outFile, 'utf8')
    const result = loadRulesText(text, outFile)
    expect(result.warnings).toEqual([])
    expect(result.ok && result.rules.routes.map(r => r.name)).toEqual(['latest', 'repos/get-order'])
    expect(text).toMatch(/# not enabled: the path cannot be written as a rules pattern/)
  })

  it('does not overwrite an existing --out file unless forced', async () => {
    const spec = dir.write('c/openapi.json', SPEC_31)
    const outFile = dir.write('c/rules.yaml', 'mine\n')
    const first = io()
    expect(await runInit({ spec, legacy: 'http://x', out: outFile }, first.io)).toBe(1)
    expect(first.out.stderr).toContain('already exists')
    expect(readFileSync(outFile, 'utf8')).toBe('mine\n')
    expect(await runInit({ spec, legacy: 'http://x', out: outFile, force: true }, io().io)).toBe(0)
    expect(readFileSync(outFile, 'utf8')).toContain('version: 1')
  })

  it('exit 1 for an invalid spec, 2 for a --legacy that is not a url', async () => {
    const bad = dir.write('d/openapi.yaml', 'openapi: 3.0.3\npaths: {}\n')
    const a = io()
    expect(await runInit({ spec: bad, legacy: 'http://x' }, a.io)).toBe(1)
    expect(a.out.stderr).toContain('SPEC_INVALID')
    expect(await runInit({ spec: bad, legacy: 'ftp://x' }, io().io)).toBe(2)
  })
})
