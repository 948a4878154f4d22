import { describe, expect, it } from 'vitest'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCheck } from '../../src/cli/run-check.js'
import { tempDir } from '../helpers/temp-dir.js'

// regression (issue 12): `strangler check` on a binary file echoed its bytes
// to the terminal inside a RULES_INVALID_VALUE message
async function check (bytes: Uint8Array | string): Promise<{ code: number; out: string }> {
  const file = join(await tempDir(), 'rules.yaml')
  await writeFile(file, bytes)
  let out = ''
  const code = await runCheck({ rules: file }, { stdout: (s) => { out += s }, stderr: (s) => { out += s } })
  return { code, out }
}

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x1b, 0x5b, 0x33, 0x31, 0x6d])
// bytes with every value but NUL, in an order that is not UTF-8
const NOT_UTF8 = Uint8Array.from({ length: 400 }, (_, i) => 1 + ((i * 97) % 255))

describe('check on a file that is not text', () => {
  it.each([
    ['an image', PNG, /binary, not YAML or JSON text \(21 bytes, beginning 89 50 4e 47 0d 0a 1a 0a\)/],
    ['bytes that are not UTF-8', NOT_UTF8, /not UTF-8 text \(400 bytes, beginning /],
    ['UTF-16 text', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('version: 1\n', 'utf16le')]), /UTF-16 text .*save it as UTF-8/]
  ])('%s: one short RULES_SYNTAX line describing it, none of its bytes, exit 1', async (_name, bytes, reason) => {
    const { code, out } = await check(bytes)
    expect(code).toBe(1)
    const lines = out.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/ error RULES_SYNTAX: /)
    expect(lines[0]).toMatch(reason)
    // nothing but printable ASCII reaches the terminal (no ESC, no raw bytes)
    expect(out).toMatch(/^[\x20-\x7e\n]*$/)
  })

  it('a text file that is one long line is not echoed whole', async () => {
    const { code, out } = await check('x'.repeat(5000))
    expect(code).toBe(1)
    expect(out).toContain('(a string of 5000 characters)')
    expect(out.length).toBeLessThan(400)
  })
})
