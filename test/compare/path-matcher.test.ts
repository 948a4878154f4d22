import { describe, expect, it } from 'vitest'
import { coversJsonPath, matchesJsonPath, parseJsonPath, type ConcretePath } from '../../src/config/json-path.js'
import { compilePathMatcher, type MatchState } from '../../src/compare/path-matcher.js'

const patterns = ['$', '$.a', '$.a.b', '$..b', '$.a[*].c', '$[0]', '$.*.b', '$..a..c', "$['x y'][2]", '$..a.b', '$[*][*]']
const keys = ['a', 'b', 'c', 'x y']

/** every path up to depth 4 over a small alphabet of keys and indexes */
function allPaths (): ConcretePath[] {
  const out: ConcretePath[] = [[]]
  let frontier: ConcretePath[] = [[]]
  for (let d = 0; d < 4; d++) {
    const next: ConcretePath[] = []
    for (const p of frontier) for (const s of [...keys, 0, 2, 5]) next.push([...p, s])
    out.push(...next)
    frontier = next
  }
  return out
}

function walk (root: MatchState, path: ConcretePath): MatchState {
  let st = root
  for (const s of path) st = st.step(s)
  return st
}

describe('compiled path matcher agrees with matchesJsonPath', () => {
  it('on every pattern and every small path', () => {
    for (const src of patterns) {
      const p = parseJsonPath(src)
      const m = compilePathMatcher([[src]])
      for (const path of allPaths()) {
        expect(walk(m.root, path).accepts(0), `${src} on ${JSON.stringify(path)}`).toBe(matchesJsonPath(p, path))
      }
    }
  })

  it('covers: some prefix accepts exactly when coversJsonPath', () => {
    const m = compilePathMatcher([['$.a[*].c', '$..b']])
    const ps = [parseJsonPath('$.a[*].c'), parseJsonPath('$..b')]
    for (const path of allPaths()) {
      let st = m.root
      let covered = st.accepts(0)
      for (const s of path) { st = st.step(s); covered ||= st.accepts(0) }
      expect(covered).toBe(ps.some(p => coversJsonPath(p, path)))
    }
  })

  it('keeps groups apart and interns states', () => {
    const m = compilePathMatcher([['$.a'], ['$.b', '$..c']])
    expect(m.root.key('a').accepts(0)).toBe(true)
    expect(m.root.key('a').accepts(1)).toBe(false)
    expect(m.root.key('b').accepts(1)).toBe(true)
    expect(m.root.key('zzz')).toBe(m.root.key('yyy'))
    expect(m.root.key('zzz').key('q').index(7)).toBe(m.root.key('zzz'))
    expect(compilePathMatcher([['$.a']]).root.key('q').dead).toBe(true)
  })
})
