import { describe, expect, it } from 'vitest'
import { clipDifferences } from '../../src/compare/clip-differences.js'

describe('stored difference values are clipped', () => {
  it('replaces a large added list by a description and keeps small values whole', () => {
    const big = Array.from({ length: 500 }, (_, i) => ({ id: i, name: `item ${i}` }))
    const out = clipDifferences([
      { kind: 'added', path: '$.items', shadow: big },
      { kind: 'changed', path: '$.n', primary: 1, shadow: 2 },
      { kind: 'removed', path: '$.note', primary: 'x'.repeat(3000) }
    ])
    expect(out[0]).toMatchObject({ kind: 'added', path: '$.items' })
    expect((out[0] as { shadow: string }).shadow).toMatch(/^\[omitted: array of 500 items, \d+ chars of JSON\]$/)
    expect(out[1]).toEqual({ kind: 'changed', path: '$.n', primary: 1, shadow: 2 })
    expect((out[2] as { primary: string }).primary).toMatch(/^x{2048}…\[\+952 chars\]$/)
  })
})
