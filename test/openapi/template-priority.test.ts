import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSpec } from '../../src/openapi/load-spec.js'
import { buildOperationsIndex, type OperationsIndex } from '../../src/openapi/operations-index.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const ok = `responses: { '200': { description: ok } }`
const SPEC = `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /users/{id}:
    get: { operationId: getUser, ${ok} }
    delete: { operationId: deleteUser, ${ok} }
  /users/me:
    get: { operationId: getMe, ${ok} }
  /users/{id}/repos:
    get: { operationId: userRepos, ${ok} }
  /users/me/{thing}:
    get: { operationId: myThing, ${ok} }
  /files/{name}.{ext}:
    get: { operationId: getFile, ${ok} }
  /files/{name}.tar.gz:
    get: { operationId: getTarball, ${ok} }
  /files/{path}:
    get: { operationId: getAnyFile, ${ok} }
  /files/index.html:
    get: { operationId: getIndex, ${ok} }
`

describe('concrete paths find their template; static segments win over params', () => {
  let dir: TempDir
  let index: OperationsIndex
  beforeAll(async () => {
    dir = tempDir()
    index = buildOperationsIndex(await loadSpec(dir.write('openapi.yaml', SPEC)))
  })
  afterAll(() => dir.remove())

  const id = (method: string, path: string) => index.lookup(method, path)?.operationId ?? null

  it('/users/me beats /users/{id}, whatever the declaration order', () => {
    expect(id('GET', '/users/me')).toBe('getMe')
    expect(id('GET', '/users/42')).toBe('getUser')
  })

  it('falls back to the param branch when the static branch has no such method', () => {
    expect(id('DELETE', '/users/me')).toBe('deleteUser')
  })

  it('backtracks when the static branch dead-ends deeper', () => {
    expect(id('GET', '/users/me/repos')).toBe('myThing')
    expect(id('GET', '/users/7/repos')).toBe('userRepos')
  })

  it('static beats mixed beats param; more literal text wins among mixed', () => {
    expect(id('GET', '/files/index.html')).toBe('getIndex')
    expect(id('GET', '/files/a.tar.gz')).toBe('getTarball')
    expect(id('GET', '/files/report.pdf')).toBe('getFile')
    expect(id('GET', '/files/README')).toBe('getAnyFile')
  })

  it('ignores the query string, HEAD falls back to GET, misses are null', () => {
    expect(id('GET', '/users/42?fields=name')).toBe('getUser')
    expect(id('HEAD', '/users/42')).toBe('getUser')
    expect(id('POST', '/users/42')).toBeNull()
    expect(id('GET', '/users')).toBeNull()
    expect(id('GET', '/users/')).toBeNull()
    expect(id('GET', '/nope/1')).toBeNull()
  })
})
