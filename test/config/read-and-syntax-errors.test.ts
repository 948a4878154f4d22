import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { expect, test } from 'vitest'
import { loadRulesFile } from '../../src/config/load.js'
import { loadErrors } from './helpers.js'

test('a missing file is RULES_READ naming the path', async () => {
  const file = join(tmpdir(), 'strangler-no-such-dir', 'rules.yaml')
  const result = await loadRulesFile(file)
  expect(result.ok).toBe(false)
  if (result.ok) return
  expect(result.errors).toEqual([expect.objectContaining({ code: 'RULES_READ', file, line: null })])
})

test('a YAML syntax error has its line and column', async () => {
  const errors = await loadErrors(`version: 1
upstreams:
  legacy: { url: http://127.0.0.1:3000
serve: legacy
`)
  expect(errors.length).toBeGreaterThan(0)
  expect(errors.every(e => e.code === 'RULES_SYNTAX' && e.line !== null && e.column !== null)).toBe(true)
  expect(errors[0]!.line).toBeGreaterThanOrEqual(3)
})

test('a duplicate key is a syntax error at the second one', async () => {
  const errors = await loadErrors(`version: 1
serve: legacy
upstreams: {}
serve: other
`)
  expect(errors.map(e => [e.code, e.line])).toEqual([['RULES_SYNTAX', 4]])
})

test('broken JSON is a syntax error with a position', async () => {
  const errors = await loadErrors('{\n  "version": 1,\n  "serve": "legacy",,\n}', 'rules.json')
  expect(errors[0]!.code).toBe('RULES_SYNTAX')
  expect(errors[0]!.line).toBe(3)
})
