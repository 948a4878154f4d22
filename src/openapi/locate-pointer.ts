import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml'

export interface SourcePosition {
  /** 1-based */
  readonly line: number
  /** 1-based */
  readonly column: number
  /** the part of the pointer that was found (the rest did not exist in the source) */
  readonly found: string
}

/**
 * Find a JSON pointer (`/paths/~1users/get/responses`) in YAML or JSON source
 * text, for an error message. Local `$ref`s met on the way (`#/components/...`)
 * are followed, since validators report paths in the dereferenced document.
 * Returns the position of the deepest node that exists, or null when not even
 * the first step does.
 */
export function locatePointer (text: string, pointer: string): SourcePosition | null {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false, uniqueKeys: false })
  const root = doc.contents as Node | null
  if (root === null) return null
  const steps = pointer === '' || pointer === '/' ? [] : pointer.replace(/^#/, '').split('/').slice(1).map(s => unescapeStep(s, false))
  let node: Node = root
  let foundSteps = 0
  let keyNode: Node | null = null
  for (let i = 0; i < steps.length; i++) {
    const next = child(node, steps[i]!, root)
    if (next === null) break
    node = next.value
    keyNode = next.key
    foundSteps = i + 1
  }
  const at = keyNode ?? node
  const offset = at.range?.[0]
  if (offset === undefined) return null
  const pos = lc.linePos(offset)
  return { line: pos.line, column: pos.col, found: '/' + steps.slice(0, foundSteps).map(escapeStep).join('/') }
}

/** Position of the first `$ref: <ref>` in the source, for an unresolvable reference. */
export function locateRef (text: string, ref: string): SourcePosition | null {
  const lc = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false })
  let hit: number | undefined
  const visit = (n: unknown): void => {
    if (hit !== undefined) return
    if (isMap(n)) {
      for (const pair of n.items) {
        if (isScalar(pair.key) && pair.key.value === '$ref' && isScalar(pair.value) && pair.value.value === ref) {
          hit = pair.key.range?.[0]
          return
        }
        visit(pair.value)
      }
    } else if (isSeq(n)) {
      for (const item of n.items) visit(item)
    }
  }
  visit(doc.contents)
  if (hit === undefined) return null
  const pos = lc.linePos(hit)
  return { line: pos.line, column: pos.col, found: '' }
}

function child (node: Node, step: string, root: Node, hops = 0): { key: Node | null; value: Node } | null {
  if (isMap(node)) {
    // follow a local $ref first: the validator saw the target's content here
    const ref = node.items.find(p => isScalar(p.key) && p.key.value === '$ref')
    if (ref !== undefined && isScalar(ref.value) && typeof ref.value.value === 'string' && ref.value.value.startsWith('#/') && hops < 32) {
      const target = resolveLocal(root, ref.value.value)
      if (target !== null) {
        const viaRef = child(target, step, root, hops + 1)
        if (viaRef !== null) return viaRef
      }
    }
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : null
      if (k === step && pair.value !== null && typeof pair.value === 'object') {
        return { key: pair.key as Node, value: pair.value as Node }
      }
    }
    return null
  }
  if (isSeq(node)) {
    const i = /^\d+$/.test(step) ? Number(step) : -1
    const item = node.items[i]
    if (item !== undefined && item !== null && typeof item === 'object') return { key: null, value: item as Node }
  }
  return null
}

function resolveLocal (root: Node, ref: string): Node | null {
  let node: Node = root
  for (const step of ref.slice(2).split('/').map(s => unescapeStep(s, true))) {
    const next = child(node, step, root, 32)
    if (next === null) return null
    node = next.value
  }
  return node
}

/** `uriFragment`: a $ref's fragment, which may also be percent-encoded */
function unescapeStep (s: string, uriFragment: boolean): string {
  let out = s
  if (uriFragment) {
    try { out = decodeURIComponent(out) } catch { /* keep as is */ }
  }
  return out.replace(/~1/g, '/').replace(/~0/g, '~')
}

function escapeStep (s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1')
}
