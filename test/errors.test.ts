import { describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { ERROR_CODES } from '../src/errors.js'

describe('error codes', () => {
  it('README.md lists exactly the codes of src/errors.ts, with their status and description', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
    const block = /<!-- error-codes:start -->([\s\S]*?)<!-- error-codes:end -->/.exec(readme)
    expect(block).not.toBeNull()
    const rows = block![1]!.split('\n').filter((l) => l.startsWith('| `'))
    const documented = rows.map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim())
      return { code: cells[0]!.replace(/`/g, ''), status: cells[1] === '' ? null : Number(cells[1]), description: cells[2] }
    })
    const actual = Object.entries(ERROR_CODES).map(([code, info]) => ({ code, status: info.status, description: info.description }))
    expect(documented).toEqual(actual)
  })

  it('codes the proxy answers with have an HTTP status', () => {
    for (const code of ['PATH_REJECTED', 'BODY_TOO_LARGE', 'UPSTREAM_UNREACHABLE', 'UPSTREAM_TIMEOUT'] as const) {
      expect(ERROR_CODES[code].status).toBeGreaterThanOrEqual(400)
    }
  })
})
