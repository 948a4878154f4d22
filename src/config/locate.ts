import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml'
import type { Finding, PathKey } from './finding.js'

export interface Position {
  /** 1-based */
  readonly line: number
  /** 1-based */
  readonly column: number
}

interface Ranged { readonly range?: readonly number[] | null }

/**
 * Where a finding is in the file: the node at its path (the key of the last step for
 * `key`, the enclosing mapping for `parent`). When the path runs out of the document,
 * the deepest node reached. null when nothing has a position.
 */
export function locate (doc: Document, lines: LineCounter, path: readonly PathKey[], point: Finding['point']): Position | null {
  const steps = point === 'parent' ? path.slice(0, -1) : path
  let node: unknown = doc.contents
  let at: Ranged | null = (doc.contents as Ranged | null)
  for (let i = 0; i < steps.length; i++) {
    if (isAlias(node)) node = node.resolve(doc)
    const key = steps[i]!
    if (isMap(node)) {
      const pair = node.items.find(p => String(isScalar(p.key) ? p.key.value : p.key) === String(key))
      if (pair === undefined) break
      const last = i === steps.length - 1
      if (last && point === 'key') { at = pair.key as Ranged; break }
      node = pair.value
      at = (pair.value as Ranged | null) ?? (pair.key as Ranged)
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key]
      if (item === undefined || item === null) break
      node = item
      at = item as Ranged
    } else {
      break
    }
  }
  const offset = at?.range?.[0]
  if (offset === undefined) return null
  const pos = lines.linePos(offset)
  return { line: pos.line, column: pos.col }
}
