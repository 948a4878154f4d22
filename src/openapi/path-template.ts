import type { PathPattern, PatternSegment } from '../config/types.js'

/**
 * Parse an OpenAPI path template (`/users/{id}`, `/files/{name}.{ext}`) into
 * the same shape as a rules path pattern, so the config's own coverage rules
 * (`patternCovers`) apply to operations too. Lenient where the spec is: any
 * parameter name, empty segments (a trailing '/') kept as static ''.
 */
export function parseTemplate (template: string): PathPattern {
  const path = template.startsWith('/') ? template : '/' + template
  if (path === '/') return { source: path, segments: [], prefix: false }
  const segments = path.slice(1).split('/').map(parseSegment)
  return { source: path, segments, prefix: false }
}

function parseSegment (part: string): PatternSegment {
  if (!part.includes('{')) return { kind: 'static', value: part }
  const whole = /^\{([^{}]+)\}$/.exec(part)
  if (whole !== null) return { kind: 'param', name: whole[1]! }
  const names: string[] = []
  const body = part.split(/(\{[^{}]*\})/).filter(p => p !== '').map(p => {
    if (p.startsWith('{') && p.endsWith('}')) { names.push(p.slice(1, -1)); return '([^/]+?)' }
    return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }).join('')
  return { kind: 'mixed', source: part, names, regex: new RegExp(`^${body}$`) }
}

/** `{file}.{ext}` and `{a}.{b}` have the same shape. */
export function segmentShape (mixedSource: string): string {
  return mixedSource.replace(/\{[^}]*\}/g, '{}')
}
