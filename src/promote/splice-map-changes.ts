/**
 * Writing an edit of one mapping (a route) back into the rules text without
 * laying the rest out again: the mapping is snapshotted before the edit, and
 * after it each pair that was added, removed or changed becomes one splice
 * of the text at the place its node's range gives. Everything else (other
 * routes, comments, blank lines, quoting, key order) keeps its bytes.
 *
 * - a changed value is replaced where it stands: a scalar or flow collection
 *   by its new one-line form (its trailing comment stays); a block
 *   collection by a block (or a one-line value after the key);
 * - a mapping changed in place (the same node, e.g. `rollout` with `halted`
 *   set) is spliced key by key, recursively;
 * - a new key goes after the key it follows in the edited mapping, on a line
 *   of its own at the mapping's indentation (block), or as `, key: value`
 *   (flow; on a line of its own when the mapping has one key a line);
 * - a removed key takes its line with it (block), or its separator (flow).
 *
 * In JSON mode values and keys are written as JSON. A layout it does not
 * handle (a key to add before the first one, a removed first key on a `- `
 * line, a multi-line scalar) gives null: the caller lays the document out
 * instead.
 */
import { isDeepStrictEqual } from 'node:util'
import { Document, isCollection, isMap, isNode, isScalar, visit, type Node, type Pair, type YAMLMap } from 'yaml'

type Range = readonly [number, number, number]

interface PairSnapshot {
  readonly key: string
  /** the value node as it was (the same object the edit may mutate) */
  readonly value: unknown
  /** its plain data before the edit */
  readonly data: unknown
  readonly keyRange: Range | null
  readonly valueRange: Range | null
  /** for a mapping value: its own snapshot, to splice an in-place edit key by key */
  readonly children: MapSnapshot | null
}

/** A mapping's pairs, their ranges and data, as they were before an edit. */
export interface MapSnapshot {
  readonly flow: boolean
  readonly pairs: readonly PairSnapshot[]
}

interface Edit { readonly at: number; readonly to: number; readonly text: string; readonly seq: number }

const keyOf = (p: Pair): string => isScalar(p.key) ? String(p.key.value) : String(p.key)
const rangeOf = (n: unknown): Range | null => isNode(n) && n.range != null ? n.range : null
const dataOf = (n: unknown, doc: Document): unknown => isNode(n) ? n.toJS(doc, { maxAliasCount: 100 }) : n

/** The snapshot of `map` (in `doc`, parsed from `text`) to take before editing it. */
export function snapshotMap (text: string, map: YAMLMap, doc: Document): MapSnapshot {
  const start = map.range?.[0]
  const flow = map.flow === true || (start !== undefined && text[start] === '{')
  return {
    flow,
    pairs: map.items.map((p) => ({
      key: keyOf(p),
      value: p.value,
      data: dataOf(p.value, doc),
      keyRange: rangeOf(p.key),
      valueRange: rangeOf(p.value),
      children: isMap(p.value) ? snapshotMap(text, p.value, doc) : null
    }))
  }
}

class Splicer {
  readonly edits: Edit[] = []
  readonly #text: string
  readonly #doc: Document
  readonly #json: boolean

  constructor (text: string, doc: Document, json: boolean) {
    this.#text = text
    this.#doc = doc
    this.#json = json
  }

  #push (at: number, to: number, text: string): void {
    this.edits.push({ at, to, text, seq: this.edits.length })
  }

  #lineStart (at: number): number { return this.#text.lastIndexOf('\n', at - 1) + 1 }

  /** The start of the line after the one `end` is on (past a trailing comment); the text's end on the last line. */
  #lineEndAfter (end: number): number {
    if (end > 0 && this.#text[end - 1] === '\n') return end
    const nl = this.#text.indexOf('\n', end)
    return nl < 0 ? this.#text.length : nl + 1
  }

  #key (key: string): string {
    if (this.#json) return JSON.stringify(key)
    return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key)
  }

  /** The value on one line: JSON in JSON mode, else YAML flow style, without comments. */
  #inline (value: unknown): string | null {
    if (this.#json) return jsonInline(dataOf(value, this.#doc))
    const node = isNode(value) ? value.clone() as Node : this.#doc.createNode(value)
    visit(node, (_k, n) => {
      if (isNode(n)) {
        n.comment = null
        n.commentBefore = null
        n.spaceBefore = false
      }
    })
    const out = new Document(node, { version: '1.2' }).toString({ lineWidth: 0, collectionStyle: 'flow' }).replace(/\n$/, '')
    return out.includes('\n') ? null : out
  }

  /** The value as block lines (its own flow parts kept), for a block value it replaces. */
  #block (value: Node): string[] {
    return new Document(value, { version: '1.2' }).toString({ lineWidth: 0 }).replace(/\n$/, '').split('\n')
  }

  map (snap: MapSnapshot, map: YAMLMap): boolean {
    const before = new Map(snap.pairs.map((p) => [p.key, p]))
    const after = new Set(map.items.map(keyOf))
    for (let i = 0; i < snap.pairs.length; i++) {
      if (!after.has(snap.pairs[i]!.key) && !this.#remove(snap, i)) return false
    }
    for (let i = 0; i < map.items.length; i++) {
      const pair = map.items[i]!
      const old = before.get(keyOf(pair))
      if (old === undefined) {
        // after the nearest key before it that was there already
        let prev: PairSnapshot | null = null
        for (let j = i - 1; j >= 0 && prev === null; j--) prev = before.get(keyOf(map.items[j]!)) ?? null
        if (prev === null || !this.#insert(snap, prev, keyOf(pair), pair.value)) return false
        continue
      }
      if (isDeepStrictEqual(dataOf(pair.value, this.#doc), old.data)) continue
      if (pair.value === old.value && old.children !== null && isMap(pair.value)) {
        if (!this.map(old.children, pair.value)) return false
        continue
      }
      if (!this.#replace(old, pair.value)) return false
    }
    return true
  }

  #replace (old: PairSnapshot, value: unknown): boolean {
    const r = old.valueRange
    if (r === null || old.keyRange === null) return false
    const oldBlock = !this.#json && isCollection(old.value) && !'[{'.includes(this.#text[r[0]] ?? '')
    const newline = this.#text[r[1] - 1] === '\n' ? '\n' : ''
    if (oldBlock && isCollection(value) && value.flow !== true && value.items.length > 0) {
      const indent = this.#text.slice(this.#lineStart(r[0]), r[0])
      if (!/^ *$/.test(indent)) return false
      this.#push(r[0], r[1], this.#block(value).map((l, i) => i === 0 ? l : indent + l).join('\n') + newline)
      return true
    }
    const inline = this.#inline(value)
    if (inline === null) return false
    if (!oldBlock) {
      this.#push(r[0], r[1], inline)
      return true
    }
    // a block collection becomes a one-line value after its key
    const colon = this.#text.indexOf(':', old.keyRange[1])
    if (colon < 0 || /\S/.test(this.#text.slice(old.keyRange[1], colon))) return false
    this.#push(colon + 1, r[1], ' ' + inline + newline)
    return true
  }

  #insert (snap: MapSnapshot, prev: PairSnapshot, key: string, value: unknown): boolean {
    const end = prev.valueRange?.[1] ?? prev.keyRange?.[1]
    const inline = this.#inline(value)
    if (end === undefined || prev.keyRange === null || inline === null) return false
    const entry = `${this.#key(key)}: ${inline}`
    if (snap.flow || this.#json) {
      const lead = this.#text.slice(this.#lineStart(prev.keyRange[0]), prev.keyRange[0])
      this.#push(end, end, /^[ \t]*$/.test(lead) ? `,\n${lead}${entry}` : `, ${entry}`)
      return true
    }
    const first = snap.pairs[0]?.keyRange
    if (first == null) return false
    const indent = ' '.repeat(first[0] - this.#lineStart(first[0]))
    const at = this.#lineEndAfter(end)
    const eof = at === this.#text.length && this.#text.length > 0 && !this.#text.endsWith('\n')
    this.#push(at, at, eof ? `\n${indent}${entry}` : `${indent}${entry}\n`)
    return true
  }

  #remove (snap: MapSnapshot, i: number): boolean {
    const p = snap.pairs[i]!
    if (p.keyRange === null) return false
    const end = p.valueRange?.[1] ?? p.keyRange[1]
    if (snap.flow || this.#json) {
      const prev = snap.pairs[i - 1]
      const next = snap.pairs[i + 1]
      const prevEnd = prev === undefined ? undefined : prev.valueRange?.[1] ?? prev.keyRange?.[1]
      if (prevEnd !== undefined) this.#push(prevEnd, end, '')
      else if (next?.keyRange != null) this.#push(p.keyRange[0], next.keyRange[0], '')
      else this.#push(p.keyRange[0], end, '')
      return true
    }
    const start = this.#lineStart(p.keyRange[0])
    if (!/^[ \t]*$/.test(this.#text.slice(start, p.keyRange[0]))) return false
    this.#push(start, this.#lineEndAfter(end), '')
    return true
  }

  /** The text with every edit; null when two of them overlap. */
  apply (): string | null {
    // from the end, so earlier offsets stay valid; at one place, a removal before the inserts
    // there, and those last made first (so they end up in the order they were made)
    const edits = [...this.edits].sort((a, b) => b.at - a.at || Number(b.to > b.at) - Number(a.to > a.at) || b.seq - a.seq)
    let out = this.#text
    let limit = Infinity
    for (const e of edits) {
      if (e.to > limit) return null
      out = out.slice(0, e.at) + e.text + out.slice(e.to)
      limit = e.at
    }
    return out
  }
}

function jsonInline (v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(jsonInline).join(', ')}]`
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${jsonInline(x)}`).join(', ')}}`
  return JSON.stringify(v) ?? 'null'
}

/**
 * `text` with the changes made to `map` since `snapshot` was taken spliced
 * in, or null when a change cannot be spliced (the caller then lays the
 * document out). `json`: the file is JSON; write JSON.
 */
export function spliceMapChanges (text: string, map: YAMLMap, snapshot: MapSnapshot, doc: Document, json: boolean): string | null {
  const s = new Splicer(text, doc, json)
  if (!s.map(snapshot, map)) return null
  return s.apply()
}
