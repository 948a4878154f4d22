import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { specProblems } from '../../src/openapi/spec-problems.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const SPEC = `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /orders:
    get: { operationId: listOrders, responses: { '200': { description: ok } } }
  /health:
    get: { operationId: health, responses: { '200': { description: ok } } }
`
const RULES = `version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000 }
serve: legacy
routes:
  - name: orders
    match: { method: GET, path: /orders }
    serve: legacy
  - name: stale
    match: { path: /v0/** }
    serve: legacy
`

describe('check --spec adds coverage warnings, or a fatal spec error', () => {
  let dir: TempDir
  beforeAll(() => { dir = tempDir() })
  afterAll(() => dir.remove())

  it('warns about a route matching no operation and an operation only the default serves', async () => {
    const rules = dir.write('rules.yaml', RULES)
    const spec = dir.write('openapi.yaml', SPEC)
    const r = await specProblems(rules, spec)
    expect(r.fatal).toBeNull()
    expect(r.problems).toMatchObject([
      { severity: 'warning', code: 'SPEC_ROUTE_NO_OPERATION', route: 'stale', file: rules, line: 9 },
      { severity: 'warning', code: 'SPEC_OPERATION_DEFAULT_ONLY', route: null, file: spec, at: 'paths["/health"].get' }
    ])
  })

  it('a spec with a refused $ref is fatal, naming it', async () => {
    const rules = dir.write('rules2.yaml', RULES)
    const spec = dir.write('bad/openapi.yaml', SPEC.replace("{ '200': { description: ok } }", "{ '200': { $ref: 'https://example.com/r.yaml' } }"))
    const r = await specProblems(rules, spec)
    expect(r.problems).toEqual([])
    expect(r.fatal).toMatch(/^SPEC_REF_REFUSED .*"https:\/\/example\.com\/r\.yaml"/)
  })
})
