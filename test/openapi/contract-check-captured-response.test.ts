import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadContractCheck, type LoadedContractCheck } from '../../src/openapi/contract-check.js'
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
`

describe('the serve --spec adapter checks captured responses (decoded, parsed)', () => {
  let dir: TempDir
  let loaded: LoadedContractCheck
  beforeAll(async () => {
    dir = tempDir()
    loaded = await loadContractCheck(dir.write('openapi.yaml', SPEC))
  })
  afterAll(() => dir.remove())

  it('names the operation template for the record', () => {
    expect(loaded.check.operation('GET', '/items/42')).toBe('/items/{id}')
    expect(loaded.check.operation('GET', '/other')).toBeNull()
  })

  it('a gzip-encoded JSON body is decoded and checked, each side named', () => {
    const res = { status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ id: 'x' })) }
    expect(loaded.check.check('GET', '/items/1', 'shadow', res)).toEqual([
      { kind: 'contract', path: '$.id', side: 'shadow', schemaPath: '#/paths/~1items~1{id}/get/responses/200/content/application~1json/schema/properties/id/type', message: 'must be integer' }
    ])
    const ok = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"id":1}') }
    expect(loaded.check.check('GET', '/items/1', 'primary', ok)).toEqual([])
  })

  it('a body that is not JSON is skipped and counted, never thrown', () => {
    const before = loaded.validator.stats().skipped['not-json']
    const res = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('<html>') }
    expect(loaded.check.check('GET', '/items/1', 'primary', res)).toEqual([])
    expect(loaded.validator.stats().skipped['not-json']).toBe(before + 1)
  })
})
