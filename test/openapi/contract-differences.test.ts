import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContractValidator } from '../../src/openapi/contract-validator.js'
import { loadSpec } from '../../src/openapi/load-spec.js'
import { buildOperationsIndex } from '../../src/openapi/operations-index.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const SPEC_30 = `openapi: 3.0.3
info: { title: shop, version: '1' }
servers: [{ url: /api }]
paths:
  /orders/{id}:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Order' }
        4XX:
          description: client error
          content:
            application/problem+json:
              schema: { $ref: '#/components/schemas/Problem' }
  /orders:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: { type: array, items: { $ref: '#/components/schemas/Order' } }
                  next: { type: string, nullable: true }
components:
  schemas:
    Order:
      type: object
      required: [id, price, status]
      properties:
        id: { type: integer, format: int32 }
        price: { type: number, minimum: 0, exclusiveMinimum: true }
        status: { type: string, enum: [open, paid] }
        note: { type: string, nullable: true }
        customer:
          nullable: true
          allOf: [{ $ref: '#/components/schemas/Customer' }]
        parent: { $ref: '#/components/schemas/Order' }
      additionalProperties: false
    Customer:
      type: object
      required: [name]
      properties: { name: { type: string } }
    Problem:
      type: object
      required: [title]
      properties: { title: { type: string } }
`

const SPEC_31 = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'shop', version: '1' },
  paths: {
    '/orders/{id}': {
      get: {
        responses: {
          default: {
            description: 'any',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } }
          }
        }
      }
    }
  },
  components: {
    schemas: {
      Order: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'integer' }, note: { type: ['string', 'null'] }, tags: { type: 'array', prefixItems: [{ const: 'first' }] } }
      }
    }
  }
})

const good = { id: 1, price: 10, status: 'open', note: null, customer: null, parent: { id: 2, price: 1, status: 'paid' } }

describe('contract differences on each side', () => {
  let dir: TempDir
  let v30: ContractValidator
  let v31: ContractValidator
  beforeAll(async () => {
    dir = tempDir()
    const s30 = await loadSpec(dir.write('a/openapi.yaml', SPEC_30))
    v30 = ContractValidator.fromSpec(s30, buildOperationsIndex(s30))
    const s31 = await loadSpec(dir.write('b/openapi.json', SPEC_31))
    v31 = ContractValidator.fromSpec(s31, buildOperationsIndex(s31))
    expect(v30.compileErrors).toEqual([])
  })
  afterAll(() => dir.remove())

  it('a valid body has no differences (3.0 nullable, recursion, allOf with nullable)', () => {
    expect(v30.validate('GET', '/api/orders/1', 200, 'application/json; charset=utf-8', good, 'primary'))
      .toEqual({ checked: true, differences: [], omitted: 0 })
    expect(v30.validate('GET', '/api/orders/1', 200, 'application/json', { ...good, customer: { name: 'x' } }, 'shadow'))
      .toMatchObject({ checked: true, differences: [] })
  })

  it('the shadow breaking the schema: a contract difference naming side, record path and schema path', () => {
    const bad = { ...good, price: 0, status: 'lost', extra: true, parent: { id: 'x', price: 1 } }
    const r = v30.validate('GET', '/api/orders/1', 200, 'application/json', bad, 'shadow')
    expect(r.checked).toBe(true)
    if (!r.checked) return
    const byPath = Object.fromEntries(r.differences.map(d => [d.path, d]))
    expect(r.differences.every(d => d.kind === 'contract' && d.side === 'shadow')).toBe(true)
    expect(byPath['$.price']).toMatchObject({ schemaPath: '#/components/schemas/Order/properties/price/exclusiveMinimum', message: 'must be > 0' })
    expect(byPath['$.status']).toMatchObject({ schemaPath: '#/components/schemas/Order/properties/status/enum' })
    expect(byPath['$.status']!.message).toContain('"open", "paid"')
    expect(byPath['$.extra']).toMatchObject({ schemaPath: '#/components/schemas/Order/additionalProperties' })
    expect(byPath['$.parent.id']).toMatchObject({ schemaPath: '#/components/schemas/Order/properties/id/type', message: 'must be integer' })
    expect(byPath['$.parent.status']).toMatchObject({ schemaPath: '#/components/schemas/Order/required', message: "must have required property 'status'" })
  })

  it('the primary breaking the schema: array indexes in the record path; inline schemas named by their path', () => {
    const body = { items: [good, good, good, { ...good, id: 2 ** 40 }], next: 5 }
    const r = v30.validate('GET', '/api/orders', 200, 'application/json', body, 'primary')
    expect(r).toMatchObject({ checked: true })
    if (!r.checked) return
    expect(r.differences).toEqual(expect.arrayContaining([
      { kind: 'contract', path: '$.items[3].id', side: 'primary', schemaPath: '#/components/schemas/Order/properties/id/format', message: 'must match format "int32"' },
      { kind: 'contract', path: '$.next', side: 'primary', schemaPath: '#/paths/~1orders/get/responses/200/content/application~1json/schema/properties/next/type', message: 'must be string,null' }
    ]))
  })

  it('status ranges and +json media types select the schema', () => {
    const r = v30.validate('GET', '/api/orders/1', 404, 'application/problem+json', { detail: 'x' }, 'shadow')
    expect(r).toMatchObject({ checked: true, differences: [{ path: '$.title', schemaPath: '#/components/schemas/Problem/required' }] })
  })

  it('OpenAPI 3.1: JSON Schema 2020-12 (type arrays, prefixItems), default response', () => {
    expect(v31.validate('GET', '/orders/1', 500, 'application/json', { id: 1, note: null, tags: ['first', 'x'] }, 'primary'))
      .toMatchObject({ checked: true, differences: [] })
    const r = v31.validate('GET', '/orders/1', 200, 'application/json', { id: 1.5, tags: ['second'] }, 'primary')
    expect(r).toMatchObject({ checked: true })
    if (!r.checked) return
    expect(r.differences.map(d => [d.path, d.schemaPath])).toEqual([
      ['$.id', '#/components/schemas/Order/properties/id/type'],
      ['$.tags[0]', '#/components/schemas/Order/properties/tags/prefixItems/0/const']
    ])
  })

  it('caps the differences listed per response', async () => {
    const s = await loadSpec(dir.write('c/openapi.yaml', SPEC_30))
    const v = ContractValidator.fromSpec(s, buildOperationsIndex(s), { maxDifferences: 3 })
    const body = { items: Array.from({ length: 10 }, () => ({ id: 'x', price: 1, status: 'open' })) }
    const r = v.validate('GET', '/api/orders', 200, 'application/json', body, 'shadow')
    expect(r).toMatchObject({ checked: true, omitted: 7 })
    if (r.checked) expect(r.differences).toHaveLength(3)
  })
})
