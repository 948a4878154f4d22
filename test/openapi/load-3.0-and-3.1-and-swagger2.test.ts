import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSpec } from '../../src/openapi/load-spec.js'
import { buildOperationsIndex } from '../../src/openapi/operations-index.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const OPENAPI_30_YAML = `openapi: 3.0.3
info: { title: shop, version: '1' }
servers: [{ url: 'https://shop.example.com/api' }]
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      tags: [orders]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Order' }
components:
  schemas:
    Order:
      type: object
      properties:
        id: { type: integer }
        parent: { $ref: '#/components/schemas/Order' }
`

const OPENAPI_31_JSON = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'shop', version: '1' },
  paths: {
    '/orders': {
      get: {
        operationId: 'listOrders',
        responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: ['string', 'null'] } } } } } }
      }
    }
  }
})

const SWAGGER_2_YAML = `swagger: '2.0'
info: { title: shop, version: '1' }
basePath: /v2
produces: [application/json]
paths:
  /pets:
    post:
      operationId: addPet
      parameters:
        - { in: body, name: body, schema: { $ref: '#/definitions/Pet' } }
      responses:
        '201': { description: created, schema: { $ref: '#/definitions/Pet' } }
definitions:
  Pet: { type: object, properties: { name: { type: string } } }
`

describe('loads OpenAPI 3.0 (YAML), 3.1 (JSON) and Swagger 2.0', () => {
  let dir: TempDir
  beforeAll(() => { dir = tempDir() })
  afterAll(() => dir.remove())

  it('OpenAPI 3.0: version, dereferenced (recursive) schema, server base path', async () => {
    const spec = await loadSpec(dir.write('a/openapi.yaml', OPENAPI_30_YAML))
    expect(spec.version).toBe('openapi3.0')
    expect(spec.versionString).toBe('3.0.3')
    const index = buildOperationsIndex(spec)
    expect(index.basePath).toBe('/api')
    const op = index.operations[0]!
    expect(op).toMatchObject({ method: 'GET', template: '/orders/{id}', path: '/api/orders/{id}', operationId: 'getOrder', tags: ['orders'] })
    const schema = op.responses[0]!.media[0]!.schema as { properties: { parent: unknown } }
    expect(schema.properties.parent).toBe(schema) // recursion resolved in place, cyclic
    expect(index.lookup('GET', '/api/orders/7')).toBe(op)
  })

  it('OpenAPI 3.1 in JSON', async () => {
    const spec = await loadSpec(dir.write('b/openapi.json', OPENAPI_31_JSON))
    expect(spec.version).toBe('openapi3.1')
    const index = buildOperationsIndex(spec)
    expect(index.basePath).toBe('')
    expect(index.operations.map(o => o.operationId)).toEqual(['listOrders'])
    expect(index.operations[0]!.responses[0]).toMatchObject({ status: '200', media: [{ type: 'application/json' }] })
  })

  it('Swagger 2.0: basePath and produces', async () => {
    const spec = await loadSpec(dir.write('c/swagger.yaml', SWAGGER_2_YAML))
    expect(spec.version).toBe('swagger2')
    const index = buildOperationsIndex(spec)
    expect(index.basePath).toBe('/v2')
    const op = index.lookup('POST', '/v2/pets?x=1')
    expect(op?.operationId).toBe('addPet')
    expect(op?.responses[0]?.media[0]).toMatchObject({ type: 'application/json', pointer: '#/paths/~1pets/post/responses/201/schema' })
  })

  it('a basePath option overrides the document', async () => {
    const spec = await loadSpec(dir.write('d/openapi.yaml', OPENAPI_30_YAML))
    const index = buildOperationsIndex(spec, { basePath: '/' })
    expect(index.operations[0]!.path).toBe('/orders/{id}')
  })
})
