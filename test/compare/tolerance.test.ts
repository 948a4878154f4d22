import { describe, expect, it } from 'vitest'
import { diffJson } from '../../src/compare/diff-json.js'

describe('numeric tolerance (absolute)', () => {
  it('exact by default', () => {
    expect(diffJson({ p: 1.0 }, { p: 1.0000001 }).differences).toHaveLength(1)
  })

  it('a difference within the tolerance is equal, at the boundary too', () => {
    expect(diffJson({ p: 10, q: [1.5] }, { p: 10.0009, q: [1.4991] }, { tolerance: 0.001 }).differences).toEqual([])
    expect(diffJson({ p: 10 }, { p: 10.5 }, { tolerance: 0.5 }).differences).toEqual([])
  })

  it('beyond the tolerance is changed, with both values', () => {
    expect(diffJson({ p: 10 }, { p: 10.01 }, { tolerance: 0.001 }).differences)
      .toEqual([{ kind: 'changed', path: '$.p', primary: 10, shadow: 10.01 }])
  })

  it('a number against a numeric string is a type difference, not a tolerance case', () => {
    expect(diffJson({ p: 10 }, { p: '10' }, { tolerance: 1 }).differences)
      .toEqual([{ kind: 'type', path: '$.p', primary: 'number', shadow: 'string', primaryValue: 10, shadowValue: '10' }])
  })
})
