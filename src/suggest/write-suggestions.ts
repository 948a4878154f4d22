/**
 * `suggest --write`: the proposals added to the rules file's text, each under
 * its route's `compare:` (created when absent), never an entry twice.
 *
 * The file is read with the `yaml` Document API (parseDocument); each
 * addition is spliced into the text at the place its node's range gives (an
 * item after the last one of a list, in the list's own style; a key after
 * the last one of its mapping, at its indentation), so every comment, key
 * order, blank line and quoting style stays as it was. The result is parsed
 * again and must equal the old document plus exactly the additions; a
 * layout the splice does not know (an alias, an empty `compare:`) is edited
 * through the Document instead (`setIn`, `add`), which keeps comments and
 * order but lays the document out afresh. A JSON file stays JSON.
 */
import { isJsonText } from '../config/json-text.js'
import { isDeepStrictEqual } from 'node:util'
import { isMap, isScalar, isSeq, type Document, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml'
import type { AcceptRule, JsonValue } from '../config/types.js'
import { parseRulesText } from '../config/yaml-text.js'
import type { RouteSuggestions } from './proposal.js'

/** What to add to one route's `compare:`. */
export interface CompareAdditions {
  readonly ignore: readonly string[]
  readonly typeOnly: readonly string[]
  readonly unordered: readonly string[]
  readonly accept: readonly AcceptRule[]
  /** replaces a smaller one */
  readonly tolerance?: number
}

export interface RouteAdditions {
  /** routes[index] */
  readonly index: number
  readonly route: string
  readonly add: CompareAdditions
}

export interface WriteOutcome {
  /** the new text (the old one when nothing was added) */
  readonly text: string
  /** entries added (list items, and a tolerance) */
  readonly added: number
  /** routes left as they were, and why */
  readonly skipped: readonly { readonly route: string; readonly why: string }[]
  /** true when the splice could not keep the layout and the Document laid it out */
  readonly relaidOut: boolean
}

const LISTS = ['ignore', 'typeOnly', 'unordered'] as const

/** The additions a route's proposals make; the accept questions only when `accept`. */
export function additionsOf (s: RouteSuggestions, accept: boolean): RouteAdditions {
  const add = { ignore: [] as string[], typeOnly: [] as string[], unordered: [] as string[], accept: [] as AcceptRule[], tolerance: undefined as number | undefined }
  for (const p of s.proposals) {
    if (p.kind === 'ignore' || p.kind === 'typeOnly' || p.kind === 'unordered') add[p.kind].push(p.path)
    else if (p.kind === 'tolerance') add.tolerance = p.value
    else if (accept) add.accept.push(p.rule)
  }
  const { tolerance, ...lists } = add
  return { index: s.index, route: s.route, add: tolerance === undefined ? lists : { ...lists, tolerance } }
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const ruleKey = (r: AcceptRule): string => JSON.stringify([r.path, 'primary' in r ? r.primary : '\u0000', 'shadow' in r ? r.shadow : '\u0000'])

/** The additions a route's `compare` (as written in the file) lacks. */
function missing (compare: unknown, add: CompareAdditions): CompareAdditions | null {
  const cur = isObj(compare) ? compare : {}
  const list = (k: string): unknown[] => Array.isArray(cur[k]) ? cur[k] : []
  const fresh = (k: typeof LISTS[number]): string[] => [...new Set(add[k])].filter((p) => !list(k).includes(p))
  const known = new Set(list('accept').filter(isObj).map((r) => ruleKey(r as unknown as AcceptRule)))
  const accept: AcceptRule[] = []
  for (const r of add.accept) {
    if (known.has(ruleKey(r))) continue
    known.add(ruleKey(r))
    accept.push(r)
  }
  const now = typeof cur['tolerance'] === 'number' ? cur['tolerance'] : 0
  const tolerance = add.tolerance !== undefined && add.tolerance > now ? add.tolerance : undefined
  const out = { ignore: fresh('ignore'), typeOnly: fresh('typeOnly'), unordered: fresh('unordered'), accept }
  if (out.ignore.length + out.typeOnly.length + out.unordered.length + accept.length === 0 && tolerance === undefined) return null
  return tolerance === undefined ? out : { ...out, tolerance }
}

function count (a: CompareAdditions): number {
  return a.ignore.length + a.typeOnly.length + a.unordered.length + a.accept.length + (a.tolerance === undefined ? 0 : 1)
}

/** The file's `compare` of a route with the additions: what the new text must parse to. */
function applied (compare: unknown, a: CompareAdditions): Obj {
  const cur: Obj = isObj(compare) ? { ...compare } : {}
  for (const k of LISTS) if (a[k].length > 0) cur[k] = [...(Array.isArray(cur[k]) ? cur[k] : []), ...a[k]]
  if (a.tolerance !== undefined) cur['tolerance'] = a.tolerance
  if (a.accept.length > 0) cur['accept'] = [...(Array.isArray(cur['accept']) ? cur['accept'] : []), ...a.accept]
  return cur
}

interface Edit { readonly at: number; readonly to: number; readonly text: string }

/** Text edits for the additions of one route, or null for a layout the splice does not handle. */
class Splicer {
  readonly #text: string
  readonly #json: boolean
  readonly edits: Edit[] = []

  constructor (text: string, json: boolean) {
    this.#text = text
    this.#json = json
  }

  key (k: string): string { return this.#json ? JSON.stringify(k) : k }

  value (v: JsonValue | AcceptRule): string {
    if (isObj(v)) {
      const parts = Object.entries(v).map(([k, x]) => `${this.key(k)}: ${JSON.stringify(x)}`)
      return `{ ${parts.join(', ')} }`
    }
    return JSON.stringify(v)
  }

  #lineStart (at: number): number { return this.#text.lastIndexOf('\n', at - 1) + 1 }

  /** Where a line after the one holding `end` starts (past a trailing comment). */
  #lineEndAfter (end: number): number {
    if (end > 0 && this.#text[end - 1] === '\n') return end
    const nl = this.#text.indexOf('\n', end)
    return nl < 0 ? this.#text.length : nl + 1
  }

  #insertLines (at: number, lines: readonly string[]): void {
    const lead = at === this.#text.length && !this.#text.endsWith('\n') && this.#text.length > 0 ? '\n' : ''
    this.edits.push({ at, to: at, text: lead + lines.map((l) => l + '\n').join('') })
  }

  /** The indentation one level deeper than a block map's keys, from a nested block map of its own (else two spaces). */
  #step (map: YAMLMap): string {
    const own = this.#column(map)
    for (const p of map.items) {
      if (isMap(p.value) && p.value.flow !== true && p.value.items.length > 0) {
        const deeper = this.#column(p.value)
        if (deeper !== null && own !== null && deeper > own) return ' '.repeat(deeper - own)
      }
    }
    return '  '
  }

  #column (map: YAMLMap): number | null {
    const first = map.items[0]?.key as YamlNode | undefined
    const at = first?.range?.[0]
    return at === undefined ? null : at - this.#lineStart(at)
  }

  isFlow (n: YAMLMap | YAMLSeq): boolean {
    return n.flow === true || (n.range !== undefined && n.range !== null && '[{'.includes(this.#text[n.range[0]] ?? ''))
  }

  /** Add `key: value` (value lines: the first after the key, the rest indented one step under it) to a mapping. */
  addKey (map: YAMLMap, key: string, flowValue: string, blockValue: readonly string[] | null): boolean {
    if (map.range === undefined || map.range === null) return false
    if (this.isFlow(map)) {
      const last = map.items.at(-1)
      if (last === undefined) {
        this.edits.push({ at: map.range[0] + 1, to: map.range[0] + 1, text: ` ${this.key(key)}: ${flowValue} ` })
        return true
      }
      const end = lastEnd(last)
      if (end === null) return false
      this.edits.push({ at: end, to: end, text: `, ${this.key(key)}: ${flowValue}` })
      return true
    }
    const last = map.items.at(-1)
    const col = this.#column(map)
    if (last === undefined || col === null) return false
    const end = lastEnd(last)
    if (end === null) return false
    const indent = ' '.repeat(col)
    const step = this.#step(map)
    const lines = blockValue === null
      ? [`${indent}${key}: ${flowValue}`]
      : [`${indent}${key}:`, ...blockValue.map((l) => `${indent}${step}${l}`)]
    this.#insertLines(this.#lineEndAfter(end), lines)
    return true
  }

  /** Append items to a sequence, in its own style. */
  addItems (seq: YAMLSeq, items: readonly string[]): boolean {
    if (seq.range === undefined || seq.range === null) return false
    const last = seq.items.at(-1) as YamlNode | undefined
    if (this.isFlow(seq)) {
      if (last === undefined) {
        this.edits.push({ at: seq.range[0] + 1, to: seq.range[0] + 1, text: items.join(', ') })
        return true
      }
      const end = last.range?.[1]
      if (end === undefined) return false
      this.edits.push({ at: end, to: end, text: items.map((i) => `, ${i}`).join('') })
      return true
    }
    const start = last?.range?.[0]
    const end = last?.range?.[1]
    if (start === undefined || end === undefined) return false
    const prefix = this.#text.slice(this.#lineStart(start), start)
    if (!/^[ ]*-[ ]+$/.test(prefix)) return false
    this.#insertLines(this.#lineEndAfter(end), items.map((i) => prefix + i))
    return true
  }

  replaceScalar (node: YamlNode, text: string): boolean {
    const r = node.range
    if (r === undefined || r === null) return false
    this.edits.push({ at: r[0], to: r[1], text })
    return true
  }

  apply (): string {
    let out = this.#text
    for (const e of [...this.edits].sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.to)
    return out
  }
}

function lastEnd (p: Pair): number | null {
  const v = p.value as YamlNode | null
  return v?.range?.[1] ?? (p.key as YamlNode | null)?.range?.[1] ?? null
}

/** The entries of the additions as `key: value` texts, in the order lists, tolerance, accept. */
function entries (s: Splicer, a: CompareAdditions): { key: string; items?: string[]; value?: string }[] {
  const out: { key: string; items?: string[]; value?: string }[] = []
  for (const k of LISTS) if (a[k].length > 0) out.push({ key: k, items: a[k].map((p) => s.value(p)) })
  if (a.tolerance !== undefined) out.push({ key: 'tolerance', value: String(a.tolerance) })
  if (a.accept.length > 0) out.push({ key: 'accept', items: a.accept.map((r) => s.value(r)) })
  return out
}

function spliceRoute (s: Splicer, route: YAMLMap, a: CompareAdditions): boolean {
  const compare = route.get('compare', true) as unknown
  if (compare === undefined) {
    const list = entries(s, a)
    const flow = `{ ${list.map((e) => `${s.key(e.key)}: ${e.items !== undefined ? `[${e.items.join(', ')}]` : e.value!}`).join(', ')} }`
    const block = list.flatMap((e) => e.key === 'accept' ? ['accept:', ...e.items!.map((i) => `  - ${i}`)] : [`${e.key}: ${e.items !== undefined ? `[${e.items.join(', ')}]` : e.value!}`])
    return s.addKey(route, 'compare', flow, block)
  }
  if (!isMap(compare)) return false
  for (const e of entries(s, a)) {
    const node = compare.get(e.key, true) as unknown
    if (e.items !== undefined) {
      if (node === undefined) {
        // accept rules go one a line, the paths in one flow list (the style of DESIGN.md's examples)
        const block = e.key === 'accept' ? e.items.map((i) => `- ${i}`) : null
        if (!s.addKey(compare, e.key, `[${e.items.join(', ')}]`, block)) return false
      } else if (!isSeq(node) || !s.addItems(node, e.items)) {
        return false
      }
    } else if (node === undefined) {
      if (!s.addKey(compare, e.key, e.value!, null)) return false
    } else if (!isScalar(node) || !s.replaceScalar(node, e.value!)) {
      return false
    }
  }
  return true
}

/** Document API edit: keeps comments and order, lays the document out afresh. */
function documentEdit (doc: Document, index: number, a: CompareAdditions): void {
  const at = ['routes', index, 'compare']
  if (!isMap(doc.getIn(at, true))) doc.setIn(at, doc.createNode({}))
  for (const k of LISTS) {
    if (a[k].length === 0) continue
    const seq = doc.getIn([...at, k], true)
    if (isSeq(seq)) for (const p of a[k]) seq.add(doc.createNode(p))
    else doc.setIn([...at, k], doc.createNode([...a[k]], { flow: true }))
  }
  if (a.tolerance !== undefined) doc.setIn([...at, 'tolerance'], a.tolerance)
  if (a.accept.length > 0) {
    const seq = doc.getIn([...at, 'accept'], true)
    if (isSeq(seq)) for (const r of a.accept) seq.add(doc.createNode(r, { flow: true }))
    else doc.setIn([...at, 'accept'], doc.createNode(a.accept.map((r) => doc.createNode(r, { flow: true }))))
  }
}


/** Parsed to plain data, or undefined when the text does not parse. */
function dataOf (text: string): unknown {
  const p = parseRulesText(text)
  return p.errors.length > 0 ? undefined : p.raw
}

/**
 * The rules text with the additions written in. Throws when the text does
 * not parse, or when no edit gives exactly the expected document.
 */
export function writeSuggestions (text: string, routes: readonly RouteAdditions[]): WriteOutcome {
  const parsed = parseRulesText(text)
  if (parsed.errors.length > 0 || !isObj(parsed.raw)) throw new Error('the rules file does not parse')
  const json = isJsonText(text)
  const expected = structuredClone(parsed.raw)
  const list = Array.isArray(expected['routes']) ? expected['routes'] as unknown[] : []
  const routesNode = parsed.doc.get('routes', true)
  const splicer = new Splicer(text, json)
  const skipped: { route: string; why: string }[] = []
  const todo: { index: number; add: CompareAdditions }[] = []
  let added = 0
  let splices = true
  for (const r of routes) {
    const route = list[r.index]
    if (!isObj(route) || route['name'] !== r.route) {
      skipped.push({ route: r.route, why: `routes[${r.index}] of the file is no longer route ${r.route}` })
      continue
    }
    const add = missing(route['compare'], r.add)
    if (add === null) continue
    route['compare'] = applied(route['compare'], add)
    added += count(add)
    todo.push({ index: r.index, add })
    const node = isSeq(routesNode) ? routesNode.items[r.index] : undefined
    if (splices && (!isMap(node) || !spliceRoute(splicer, node, add))) splices = false
  }
  if (todo.length === 0) return { text, added: 0, skipped, relaidOut: false }
  if (splices) {
    const out = splicer.apply()
    if (isDeepStrictEqual(dataOf(out), expected)) return { text: out, added, skipped, relaidOut: false }
  }
  let out: string
  if (json) {
    const indent = /^\{\s*\n([ \t]+)/.exec(text)?.[1] ?? '  '
    out = JSON.stringify(expected, null, indent) + '\n'
  } else {
    try {
      for (const t of todo) documentEdit(parsed.doc, t.index, t.add)
      out = parsed.doc.toString({ lineWidth: 0 })
    } catch {
      out = ''
    }
  }
  if (!isDeepStrictEqual(dataOf(out), expected)) throw new Error('the additions could not be written into the rules file as they are (an alias or an unusual layout?): add them by hand')
  return { text: out, added, skipped, relaidOut: true }
}
