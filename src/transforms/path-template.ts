import type { PathPattern } from '../config/types.js'

/** A compiled `request.path` template: literal pieces and the params (or `**`) between them. */
export interface PathTemplate {
  readonly pieces: readonly string[]
  /** names between pieces: a match param, or `**` for the rest of the path under a `/**` match */
  readonly names: readonly string[]
}

/** Split `/v2/customers/{id}/{**}` once, at load. */
export function compilePathTemplate (source: string): PathTemplate {
  const pieces: string[] = []
  const names: string[] = []
  let last = 0
  for (const m of source.matchAll(/\{([^}]+)\}/g)) {
    pieces.push(source.slice(last, m.index))
    names.push(m[1]!)
    last = m.index + m[0].length
  }
  pieces.push(source.slice(last))
  return { pieces, names }
}

/**
 * The forwarded path: the template filled from the request path matched by
 * `pattern` (segments as the client sent them, percent-encoding kept). `{**}`
 * is the rest under a `/**` match, without its leading '/', '' when none;
 * a doubled '/' left by an empty rest is folded.
 */
export function fillPathTemplate (t: PathTemplate, pattern: PathPattern, path: string): string {
  const segments = path === '/' ? [] : path.slice(1).split('/')
  let out = t.pieces[0]!
  for (let i = 0; i < t.names.length; i++) {
    out += valueOf(t.names[i]!, pattern, segments) + t.pieces[i + 1]!
  }
  if (out.includes('//')) out = out.replace(/\/{2,}/g, '/')
  if (out.length > 1 && out.endsWith('/') && !t.pieces[t.pieces.length - 1]!.endsWith('/')) out = out.slice(0, -1)
  return out
}

function valueOf (name: string, pattern: PathPattern, segments: readonly string[]): string {
  const n = pattern.segments.length
  if (name === '**') return segments.slice(n).join('/')
  for (let i = 0; i < n; i++) {
    const p = pattern.segments[i]!
    if (p.kind === 'param' && p.name === name) return segments[i] ?? ''
    if (p.kind === 'mixed') {
      const k = p.names.indexOf(name)
      if (k === -1) continue
      const m = p.regex.exec(segments[i] ?? '')
      return m?.[k + 1] ?? ''
    }
  }
  return ''
}
