import { describe, expect, it } from 'vitest'
import { compareExchange } from '../../src/compare/compare-exchange.js'
import { REDACTED, redactDifferences } from '../../src/compare/redact.js'
import { cfg, raw, redactCfg } from './helpers.js'

// regression: a pathological document must give a record, never a throw
describe('deeply nested JSON', () => {
  const deep = (n: number, leaf: string): string => '['.repeat(n) + JSON.stringify(leaf) + ']'.repeat(n)
  const h = { 'content-type': 'application/json' }

  it('nesting deeper than the stack is a difference, not a throw', () => {
    const r = compareExchange(raw(deep(200_000, 'a'), h), raw(deep(200_000, 'b'), h), cfg())
    expect(r.outcome).toBe('mismatch')
    expect(r.differences).toHaveLength(1)
  })

  it('moderate nesting is diffed with the full path', () => {
    const r = compareExchange(raw(deep(500, 'a'), h), raw(deep(500, 'b'), h), cfg())
    expect(r.differences).toEqual([{ kind: 'changed', path: '$' + '[0]'.repeat(500), primary: 'a', shadow: 'b' }])
  })

  it('redacting a value nested deeper than the stack masks it whole', () => {
    let v: unknown = 'secret'
    for (let i = 0; i < 200_000; i++) v = [v]
    const out = redactDifferences([{ kind: 'added', path: '$.x', shadow: v as never }], redactCfg({ paths: ['$..password'] }))
    expect(out).toEqual([{ kind: 'added', path: '$.x', shadow: REDACTED }])
  })
})
