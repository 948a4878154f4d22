/**
 * The JSONPath subset of DESIGN.md: `$`, `.key`, `['key']`, `[n]`, `[*]`, `.*`
 * and `..key` (any depth). Parsed once at load; matched against concrete paths
 * (arrays of object keys and array indexes) while diffing and redacting.
 */

export type JsonPathStep =
  | { readonly t: 'key'; readonly name: string }
  | { readonly t: 'index'; readonly n: number }
  | { readonly t: 'wild' }
  | { readonly t: 'desc'; readonly name: string }

export interface JsonPath {
  readonly source: string
  readonly steps: readonly JsonPathStep[]
}

export type ConcretePath = readonly (string | number)[]

export class JsonPathSyntaxError extends Error {
  readonly position: number
  constructor (source: string, position: number, what: string) {
    super(`bad JSON path ${JSON.stringify(source)} at character ${position + 1}: ${what}`)
    this.name = 'JsonPathSyntaxError'
    this.position = position
  }
}

const IDENT_START = /[A-Za-z_$\u00C0-\uFFFF]/
const IDENT_PART = /[A-Za-z0-9_$\-\u00C0-\uFFFF]/

/** Parse a path of the supported subset; throws JsonPathSyntaxError naming the position. */
export function parseJsonPath (source: string): JsonPath {
  if (typeof source !== 'string' || source[0] !== '$') {
    throw new JsonPathSyntaxError(String(source), 0, 'a path starts with $')
  }
  const steps: JsonPathStep[] = []
  let i = 1
  const n = source.length
  const readIdent = (): string => {
    const start = i
    if (i >= n || !IDENT_START.test(source[i]!)) throw new JsonPathSyntaxError(source, i, 'expected a key name')
    i++
    while (i < n && IDENT_PART.test(source[i]!)) i++
    return source.slice(start, i)
  }
  const readQuoted = (): string => {
    const quote = source[i]
    i++
    let out = ''
    while (i < n && source[i] !== quote) {
      if (source[i] === '\\' && i + 1 < n) { out += source[i + 1]; i += 2; continue }
      out += source[i]; i++
    }
    if (i >= n) throw new JsonPathSyntaxError(source, i, 'unterminated quoted key')
    i++ // closing quote
    return out
  }
  while (i < n) {
    const c = source[i]
    if (c === '.') {
      if (source[i + 1] === '.') {
        i += 2
        if (source[i] === '[' && (source[i + 1] === '\'' || source[i + 1] === '"')) {
          i++
          const name = readQuoted()
          if (source[i] !== ']') throw new JsonPathSyntaxError(source, i, "expected ']'")
          i++
          steps.push({ t: 'desc', name })
        } else {
          steps.push({ t: 'desc', name: readIdent() })
        }
        continue
      }
      i++
      if (source[i] === '*') { i++; steps.push({ t: 'wild' }); continue }
      steps.push({ t: 'key', name: readIdent() })
      continue
    }
    if (c === '[') {
      i++
      const d = source[i]
      if (d === '*') {
        i++
        steps.push({ t: 'wild' })
      } else if (d === '\'' || d === '"') {
        steps.push({ t: 'key', name: readQuoted() })
      } else if (d !== undefined && d >= '0' && d <= '9') {
        const start = i
        while (i < n && source[i]! >= '0' && source[i]! <= '9') i++
        steps.push({ t: 'index', n: Number(source.slice(start, i)) })
      } else {
        throw new JsonPathSyntaxError(source, i, "expected *, a quoted key or an index after '['")
      }
      if (source[i] !== ']') throw new JsonPathSyntaxError(source, i, "expected ']'")
      i++
      continue
    }
    throw new JsonPathSyntaxError(source, i, `unexpected ${JSON.stringify(c)}`)
  }
  return { source, steps }
}

/** True when the concrete path is matched by the pattern (whole path, not a prefix). */
export function matchesJsonPath (pattern: JsonPath, path: ConcretePath): boolean {
  return matchFrom(pattern.steps, 0, path, 0, false)
}

/** True when the pattern matches the path or any ancestor of it (a value under an ignored path is ignored). */
export function coversJsonPath (pattern: JsonPath, path: ConcretePath): boolean {
  return matchFrom(pattern.steps, 0, path, 0, true)
}

/** `prefix`: the pattern may end before the path does (it matched an ancestor). */
function matchFrom (steps: readonly JsonPathStep[], si: number, path: ConcretePath, pi: number, prefix: boolean): boolean {
  while (si < steps.length) {
    const step = steps[si]!
    if (step.t === 'desc') {
      // zero or more segments, then a key equal to name
      for (let k = pi; k < path.length; k++) {
        if (path[k] === step.name && matchFrom(steps, si + 1, path, k + 1, prefix)) return true
      }
      return false
    }
    if (pi >= path.length) return false
    const seg = path[pi]
    if (step.t === 'key' && seg !== step.name) return false
    if (step.t === 'index' && seg !== step.n) return false
    si++
    pi++
  }
  return prefix || pi === path.length
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** Record form of a concrete path: `$.items[3].price`, `$['a b']`. */
export function formatJsonPath (path: ConcretePath): string {
  let out = '$'
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else if (PLAIN_KEY.test(seg)) out += `.${seg}`
    else out += `['${seg.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`
  }
  return out
}

/** Fold array indexes to `[*]`: `$.items[3].price` -> `$.items[*].price` (reports group by this). */
export function foldIndexes (recordPath: string): string {
  return recordPath.replace(/\[\d+\]/g, '[*]')
}

/** A record path (`$.items[3].price`) as its concrete segments; null when it is not one (a pattern, or not a path). */
export function concretePath (recordPath: string): (string | number)[] | null {
  try {
    const segs: (string | number)[] = []
    for (const s of parseJsonPath(recordPath).steps) {
      if (s.t === 'key') segs.push(s.name)
      else if (s.t === 'index') segs.push(s.n)
      else return null
    }
    return segs
  } catch {
    return null
  }
}
