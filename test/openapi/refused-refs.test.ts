import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadSpec } from '../../src/openapi/load-spec.js'
import { SpecError } from '../../src/openapi/spec-error.js'
import { tempDir, type TempDir } from './helpers/temp-dir.js'

const SECRET = 'TOP-SECRET-c0ffee-do-not-leak'

function specWithRef (ref: string): string {
  return `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /users:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '${ref}'
`
}

/** Every string reachable from the error, its cause chain included. */
function everything (err: unknown): string {
  const seen = new Set<unknown>()
  const parts: string[] = []
  const walk = (v: unknown): void => {
    if (v === null || v === undefined || seen.has(v)) return
    if (typeof v === 'string') { parts.push(v); return }
    if (typeof v !== 'object') { parts.push(String(v)); return }
    seen.add(v)
    if (v instanceof Error) { parts.push(v.message, v.stack ?? ''); walk(v.cause) }
    for (const k of Object.getOwnPropertyNames(v)) walk((v as Record<string, unknown>)[k])
  }
  walk(err)
  return parts.join('\n')
}

describe('$refs outside the spec folder or to the network are refused, never read', () => {
  let outer: TempDir
  let dir: string
  let secretFile: string
  let spec: (ref: string) => string

  beforeEach(() => {
    outer = tempDir()
    secretFile = outer.write('secret.yaml', `type: object\ndescription: ${SECRET}\n`)
    dir = join(outer.path, 'spec')
    spec = (ref) => outer.write('spec/api.yaml', specWithRef(ref))
  })
  afterEach(() => outer.remove())

  const cases: Array<[string, () => string]> = [
    ['a relative path climbing out of the folder', () => '../secret.yaml'],
    ['a percent-encoded climb (%2e%2e)', () => '%2e%2e/secret.yaml'],
    ['an encoded slash in a climb (..%2f)', () => '..%2fsecret.yaml'],
    ['a climb through a sub-folder', () => './sub/../../secret.yaml'],
    ['an absolute path outside the folder', () => secretFile],
    ['a file:// URL outside the folder', () => `file://${secretFile}`],
    ['file:///etc/passwd', () => 'file:///etc/passwd'],
    ['http://', () => 'http://127.0.0.1:9/schema.yaml'],
    ['https://', () => 'https://example.com/schema.yaml#/User'],
    ['a protocol-relative URL', () => '//example.com/schema.yaml']
  ]

  for (const [what, ref] of cases) {
    it(`refuses ${what}`, async () => {
      const r = ref()
      const file = spec(r)
      const err = await loadSpec(file).then(() => null, (e: unknown) => e)
      expect(err).toBeInstanceOf(SpecError)
      const e = err as SpecError
      expect(e.code).toBe('SPEC_REF_REFUSED')
      expect(e.message).toContain(JSON.stringify(r.split('#')[0]))
      expect(e.message).toContain(file)
      const all = everything(e)
      expect(all).not.toContain(SECRET)
      expect(all).not.toContain('root:x:0:0')
    })
  }

  it('refuses a symbolic link inside the folder that points outside it', async () => {
    outer.write('spec/.keep', '')
    symlinkSync(secretFile, join(dir, 'linked.yaml'))
    const file = spec('./linked.yaml')
    const err = await loadSpec(file).then(() => null, (e: unknown) => e) as SpecError
    expect(err.code).toBe('SPEC_REF_REFUSED')
    expect(err.message).toContain('symbolic link')
    expect(everything(err)).not.toContain(SECRET)
  })

  it('reads a file inside the folder (a sub-folder too)', async () => {
    outer.write('spec/schemas/user.yaml', 'type: object\nproperties: { id: { type: integer } }\n')
    const loaded = await loadSpec(spec('./schemas/user.yaml'))
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking a parsed document in a test
    const schema = (loaded.document.paths as any)['/users'].get.responses['200'].content['application/json'].schema
    expect(schema.properties.id.type).toBe('integer')
  })
})
