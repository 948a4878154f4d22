import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSpec } from '../../src/openapi/load-spec.js'
import { SpecError } from '../../src/openapi/spec-error.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

async function failure (file: string): Promise<SpecError> {
  const err = await loadSpec(file).then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(SpecError)
  return err as SpecError
}

describe('a spec that fails validation gives the parser message and the file position', () => {
  let dir: TempDir
  beforeAll(() => { dir = tempDir() })
  afterAll(() => dir.remove())

  it('a missing required key (YAML): the operation line', async () => {
    const file = dir.write('missing.yaml', [
      'openapi: 3.0.3',
      "info: { title: t, version: '1' }",
      'paths:',
      '  /users:',
      '    get:',
      '      summary: no responses here'
    ].join('\n'))
    const err = await failure(file)
    expect(err.code).toBe('SPEC_INVALID')
    expect(err.message).toContain("must have required property 'responses'")
    expect(err.position).toEqual({ file, line: 5, column: 5 })
    expect(err.message.startsWith(`${file}:5:5: `)).toBe(true)
  })

  it('a bad value deeper down (3.1, JSON): the deepest reported key', async () => {
    const text = JSON.stringify({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: { '/users': { get: { parameters: [{ name: 'q', in: 'nowhere', schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } } } }
    }, null, 2)
    const file = dir.write('bad-in.json', text)
    const err = await failure(file)
    expect(err.code).toBe('SPEC_INVALID')
    expect(err.message).toContain('/paths/~1users/get/parameters/0')
    const lines = text.split('\n')
    const line = lines.findIndex(l => l.includes('"in": "nowhere"')) + 1
    expect(err.position?.line).toBe(line)
    expect(err.position?.column).toBe(lines[line - 1]!.indexOf('"in"') + 1)
  })

  it('a $ref to nothing: the $ref line', async () => {
    const file = dir.write('dangling.yaml', [
      'openapi: 3.0.3',
      "info: { title: t, version: '1' }",
      'paths:',
      '  /users:',
      '    get:',
      '      responses:',
      "        '200':",
      '          description: ok',
      '          content:',
      '            application/json:',
      '              schema:',
      "                $ref: '#/components/schemas/Nope'"
    ].join('\n'))
    const err = await failure(file)
    expect(err.code).toBe('SPEC_INVALID')
    expect(err.message).toContain('#/components/schemas/Nope')
    expect(err.position).toMatchObject({ line: 12, column: 17 })
  })

  it('an unsupported version: the version line', async () => {
    const file = dir.write('version.yaml', "info: { title: t, version: '1' }\nopenapi: 2.5.0\npaths: {}\n")
    const err = await failure(file)
    expect(err.code).toBe('SPEC_INVALID')
    expect(err.message).toContain('Unsupported OpenAPI version: 2.5.0')
    expect(err.position).toMatchObject({ line: 2, column: 1 })
  })

  it('not YAML at all: SPEC_READ with the YAML parser position', async () => {
    const file = dir.write('broken.yaml', "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /u: [\n")
    const err = await failure(file)
    expect(err.code).toBe('SPEC_READ')
    expect(err.position?.line).toBeGreaterThan(0)
  })

  it('a missing file: SPEC_READ', async () => {
    const err = await failure(dir.path + '/nope.yaml')
    expect(err.code).toBe('SPEC_READ')
    expect(err.message).toContain('ENOENT')
  })
})
