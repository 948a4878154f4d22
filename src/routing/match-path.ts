import type { PathPattern } from '../config/types.js'

/**
 * Match a normalized request path, already split into segments (no leading
 * empty segment), against a parsed pattern.
 */
export function matchPath (pattern: PathPattern, segments: readonly string[]): boolean {
  const pSegs = pattern.segments
  const n = pSegs.length
  if (pattern.prefix ? segments.length < n : segments.length !== n) return false
  for (let i = 0; i < n; i++) {
    const p = pSegs[i]!
    const s = segments[i]!
    switch (p.kind) {
      case 'static':
        if (p.value !== s) return false
        break
      case 'param':
        if (s.length === 0) return false
        break
      case 'mixed':
        if (!p.regex.test(s)) return false
        break
    }
  }
  return true
}

/** '/a/b/' -> ['a', 'b', ''], '/' -> [] */
export function splitPath (path: string): string[] {
  if (path === '/') return []
  return path.slice(1).split('/')
}
