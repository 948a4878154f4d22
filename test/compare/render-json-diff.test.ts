import { describe, expect, it } from 'vitest'
import { renderJsonDiff } from '../../src/compare/render-json-diff.js'

describe('renderJsonDiff (reports only)', () => {
  it('renders a plain side-by-side without colour codes', () => {
    const out = renderJsonDiff({ a: 1, b: [1, 2] }, { a: 2, b: [1, 2] })
    expect(out).toContain('-  a: 1')
    expect(out).toContain('+  a: 2')
    expect(out).not.toMatch(/\u001b\[/)
  })

  it('is empty for equal documents', () => {
    expect(renderJsonDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe('')
  })
})
