import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadContractCheck, type LoadedContractCheck } from '../../src/openapi/contract-check.js'
import type { CapturedResponse } from '../../src/compare/captured-response.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const SPEC = `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /items/{id}:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: object, required: [id], properties: { id: { type: integer } } }
        4XX: { description: client error }
  /things:
    get:
      responses:
        '200': { description: ok }
        default: { description: anything else }
`

const res = (status: number, body: string | null, contentType = 'application/json'): CapturedResponse =>
  ({ status, headers: { 'content-type': contentType }, body: body === null ? null : Buffer.from(body) })

describe('a status the operation does not declare is a contract finding', () => {
  let dir: TempDir
  let loaded: LoadedContractCheck
  beforeAll(async () => {
    dir = tempDir()
    loaded = await loadContractCheck(dir.write('openapi.yaml', SPEC))
  })
  afterAll(() => dir.remove())

  it('at $status, naming the declared responses, whatever the body', () => {
    const html = loaded.check.check('GET', '/items/1', 'shadow', res(500, '<h1>oops</h1>', 'text/html'))
    expect(html).toEqual([{
      kind: 'contract',
      path: '$status',
      side: 'shadow',
      schemaPath: '#/paths/~1items~1{id}/get/responses',
      message: 'status 500 is not a response the operation declares (200, 4XX) and there is no default'
    }])
    expect(loaded.check.check('GET', '/items/1', 'primary', res(503, '{"id":1}'))).toMatchObject([{ path: '$status', side: 'primary' }])
    expect(loaded.validator.stats()).toMatchObject({ checked: 2, violating: 2 })
  })

  it('a range or a default response declares it', () => {
    expect(loaded.check.check('GET', '/items/1', 'primary', res(404, '{}'))).toEqual([])
    expect(loaded.check.check('GET', '/things', 'primary', res(500, '{}'))).toEqual([])
    expect(loaded.validator.stats().skipped['no-schema']).toBe(2)
  })

  it('HEAD: the status is checked, the empty body is not validated', () => {
    expect(loaded.check.check('HEAD', '/items/1', 'primary', res(200, null))).toEqual([])
    expect(loaded.check.check('HEAD', '/items/1', 'primary', res(500, null))).toMatchObject([{ path: '$status' }])
    // the same empty body on GET breaks the schema
    expect(loaded.check.check('GET', '/items/1', 'primary', res(200, null))).not.toEqual([])
  })
})
