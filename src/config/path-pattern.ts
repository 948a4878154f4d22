import { StranglerError } from '../errors.js'
import type { PathPattern, PatternSegment } from './types.js'

export { patternCovers } from './pattern-covers.js'

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function fail (source: string, what: string): never {
  throw new StranglerError('RULES_BAD_PATH_PATTERN', `bad path pattern ${JSON.stringify(source)}: ${what}`)
}

/**
 * Parse a `match.path` pattern: `/api/orders`, `/api/orders/{id}`, `/files/{name}.{ext}`,
 * `/api/users/**` (the prefix and everything below), `/**` (everything).
 * Throws a StranglerError (RULES_BAD_PATH_PATTERN) saying what is wrong.
 */
export function parsePathPattern (source: string): PathPattern {
  if (typeof source !== 'string') fail(String(source), 'a path pattern is a string')
  if (!source.startsWith('/')) fail(source, "a path pattern starts with '/'")
  if (source.includes('?')) fail(source, "'?' is not allowed: the query string plays no part in matching")
  if (source.includes('#')) fail(source, "'#' is not allowed: a fragment is never sent to the server")
  if (source === '/') return { source, segments: [], prefix: false }
  const parts = source.slice(1).split('/')
  let prefix = false
  if (parts[parts.length - 1] === '**') {
    prefix = true
    parts.pop()
  }
  const names = new Set<string>()
  const segments = parts.map((part, i) => parseSegment(source, part, i === parts.length - 1 && !prefix, names))
  return { source, segments, prefix }
}

function parseSegment (source: string, part: string, last: boolean, names: Set<string>): PatternSegment {
  if (part === '') {
    fail(source, last
      ? `a trailing '/' makes an empty segment; write ${JSON.stringify(source.replace(/\/+$/, '') || '/')} (or end with /** for everything below)`
      : "an empty segment ('//')")
  }
  if (part === '.' || part === '..') fail(source, `the dot segment '${part}' is not allowed`)
  if (part.includes('**')) fail(source, "'**' is allowed only as the whole last segment, as a final /**")
  if (part.includes('*')) fail(source, "'*' is not supported: use {name} for one segment or a final /** for everything below")
  if (!part.includes('{') && !part.includes('}')) return { kind: 'static', value: part }
  const pieces = splitBraces(source, part)
  for (const p of pieces) {
    if (p.param === false) continue
    if (!PARAM_NAME.test(p.text)) fail(source, `parameter name ${JSON.stringify(p.text)} must match [A-Za-z_][A-Za-z0-9_]*`)
    if (names.has(p.text)) fail(source, `parameter {${p.text}} appears twice`)
    names.add(p.text)
  }
  const first = pieces[0]!
  if (pieces.length === 1 && first.param) return { kind: 'param', name: first.text }
  for (let i = 1; i < pieces.length; i++) {
    if (pieces[i]!.param && pieces[i - 1]!.param) {
      fail(source, `parameters {${pieces[i - 1]!.text}} and {${pieces[i]!.text}} are next to each other; put a literal between them`)
    }
  }
  const body = pieces.map(p => p.param ? '([^/]+?)' : escapeRegExp(p.text)).join('')
  return {
    kind: 'mixed',
    source: part,
    names: pieces.filter(p => p.param).map(p => p.text),
    regex: new RegExp(`^${body}$`)
  }
}

interface Piece { readonly param: boolean; readonly text: string }

function splitBraces (source: string, part: string): Piece[] {
  const pieces: Piece[] = []
  let i = 0
  while (i < part.length) {
    const open = part.indexOf('{', i)
    const close = part.indexOf('}', i)
    if (close !== -1 && (open === -1 || close < open)) fail(source, `unbalanced braces in segment ${JSON.stringify(part)}: '}' without '{'`)
    if (open === -1) { pieces.push({ param: false, text: part.slice(i) }); break }
    if (open > i) pieces.push({ param: false, text: part.slice(i, open) })
    const end = part.indexOf('}', open)
    const nested = part.indexOf('{', open + 1)
    if (end === -1) fail(source, `unbalanced braces in segment ${JSON.stringify(part)}: '{' without '}'`)
    if (nested !== -1 && nested < end) fail(source, `unbalanced braces in segment ${JSON.stringify(part)}: '{' inside a parameter`)
    const name = part.slice(open + 1, end)
    if (name === '') fail(source, 'empty parameter {}: name it, e.g. {id}')
    pieces.push({ param: true, text: name })
    i = end + 1
  }
  return pieces
}

function escapeRegExp (s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
