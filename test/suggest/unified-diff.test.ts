import { describe, expect, it } from 'vitest'
import { unifiedDiff } from '../../src/suggest/unified-diff.js'

const lines = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `line ${i + from}`).join('\n') + '\n'

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'f')).toBe('')
  })

  it('prints one hunk with 3 lines of context around an insertion', () => {
    const before = lines(10)
    const after = before.replace('line 5\n', 'line 5\nnew a\nnew b\n')
    expect(unifiedDiff(before, after, 'rules.yaml')).toBe([
      '--- rules.yaml', '+++ rules.yaml', '@@ -3,6 +3,8 @@',
      ' line 3', ' line 4', ' line 5', '+new a', '+new b', ' line 6', ' line 7', ' line 8', ''
    ].join('\n'))
  })

  it('joins changes close together and splits far ones, counting lines on both sides', () => {
    const before = lines(30)
    const after = before.replace('line 2\n', 'line 2\nx\n').replace('line 6\n', 'y\n').replace('line 25\n', 'line 25\nz\n')
    const diff = unifiedDiff(before, after, 'f')
    expect(diff.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,9 +1,10 @@', '@@ -23,6 +24,7 @@'])
    expect(diff).toContain('-line 6\n+y\n')
  })
})
