import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContractValidator } from '../../src/openapi/contract-validator.js'
import { loadSpec } from '../../src/openapi/load-spec.js'
import { buildOperationsIndex } from '../../src/openapi/operations-index.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const SPEC = `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /things/{id}:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json: {}
            text/plain: { schema: { type: string } }
        '204': { description: nothing }
        '404':
          description: missing
          content:
            '*/*': { schema: { type: object, required: [error] } }
    delete:
      responses:
        '202': { description: accepted }
`

const SWAGGER = `swagger: '2.0'
info: { title: t, version: '1' }
paths:
  /things:
    get:
      produces: [application/json]
      responses:
        '200': { description: ok, schema: { type: array, items: { type: integer, x-nullable: true } } }
        '500': { description: broken }
`

describe('responses with no applicable schema are skipped, and counted', () => {
  let dir: TempDir
  let v: ContractValidator
  beforeAll(async () => {
    dir = tempDir()
    const spec = await loadSpec(dir.write('openapi.yaml', SPEC))
    v = ContractValidator.fromSpec(spec, buildOperationsIndex(spec))
  })
  afterAll(() => dir.remove())

  it('each reason, and the counters', () => {
    expect(v.validate('GET', '/nowhere', 200, 'application/json', {}, 'primary')).toEqual({ checked: false, reason: 'no-operation' })
    expect(v.validate('POST', '/things/1', 200, 'application/json', {}, 'primary')).toEqual({ checked: false, reason: 'no-operation' })
    // a media type without a schema, a response without content
    expect(v.validate('GET', '/things/1', 200, 'application/json', {}, 'primary')).toEqual({ checked: false, reason: 'no-schema' })
    expect(v.validate('GET', '/things/1', 204, 'application/json', null, 'shadow')).toEqual({ checked: false, reason: 'no-schema' })
    // an undeclared status (no default) is no skip: it is a finding (see contract-undeclared-status.test.ts)
    expect(v.validate('GET', '/things/1', 500, 'application/json', {}, 'shadow')).toMatchObject({ checked: true, differences: [{ path: '$status' }] })
    expect(v.validate('DELETE', '/things/1', 202, 'application/json', {}, 'shadow')).toEqual({ checked: false, reason: 'no-schema' })
    // not JSON: text, or no content type at all
    expect(v.validate('GET', '/things/1', 200, 'text/plain', 'hello', 'primary')).toEqual({ checked: false, reason: 'not-json' })
    expect(v.validate('GET', '/things/1', 200, undefined, {}, 'primary')).toEqual({ checked: false, reason: 'not-json' })
    // a */* media type does apply to JSON
    expect(v.validate('GET', '/things/1', 404, 'application/json', {}, 'shadow')).toMatchObject({ checked: true, differences: [{ path: '$.error' }] })
    expect(v.stats()).toEqual({ checked: 2, violating: 2, skipped: { 'no-operation': 2, 'no-schema': 3, 'not-json': 2 } })
  })

  it('Swagger 2.0: produces gives the media type; x-nullable; a response without schema is skipped', async () => {
    const spec = await loadSpec(dir.write('swagger.yaml', SWAGGER))
    const sw = ContractValidator.fromSpec(spec, buildOperationsIndex(spec))
    expect(sw.validate('GET', '/things', 200, 'application/json', [1, null, 3], 'primary')).toMatchObject({ checked: true, differences: [] })
    expect(sw.validate('GET', '/things', 200, 'application/json', [1, 'x'], 'primary'))
      .toMatchObject({ checked: true, differences: [{ path: '$[1]', schemaPath: '#/paths/~1things/get/responses/200/schema/items/type' }] })
    expect(sw.validate('GET', '/things', 500, 'application/json', {}, 'primary')).toEqual({ checked: false, reason: 'no-schema' })
  })
})
