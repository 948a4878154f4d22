/**
 * The body operations of json-body-ops.ts, run on JSON text instead of a
 * parsed document, with the same results. The text is read as a lazy tree: a
 * node is raw (a slice of some text, not looked into) or a container
 * expanded one level (its keys and values, each again a node). Operations
 * expand only what their paths walk into, and what they did not change is
 * written back as the slice it came from, byte for byte.
 *
 * - Validity: the whole input is checked once, by the pass that expands an
 *   object root (or skips any other root): a scanner without recursion that
 *   follows the JSON grammar exactly (strings, escapes, numbers, literals,
 *   commas, nesting, trailing text), so text JSON.parse rejects throws
 *   SyntaxError and nothing is written. It reads the text as bytes.
 * - Arrays are scanned on demand: `[0]` reads the first element only.
 * - A changed container is written compactly, except that runs of its members
 *   that still stand together in the text are copied as one slice; an
 *   unchanged one is its slice, blanks included.
 * - Repeated keys: the first place, the last value (as JSON.parse).
 * - `..name` builds the subtrees it visits in one pass, and skips a raw one
 *   whose text cannot hold the key.
 */

import type { BodyOp, JsonValue } from '../config/types.js'
import type { JsonPathStep } from '../config/json-path.js'
import { samePrefix } from './same-path-prefix.js'

type Steps = readonly JsonPathStep[]

const RAW = 0
const OBJ = 1
const ARR = 2

/**
 * A text nodes are slices of, held as a byte string: each character is one
 * byte of the UTF-8 text (its latin1 reading), so positions are byte offsets
 * and a slice is written out by copying bytes. Its bytes are also kept as an
 * array for scanning (a typed array reads about twice as fast as charCodeAt),
 * with a final 0, which no JSON token accepts, to stop every loop. Bytes
 * from 0x80 up (parts of non-ASCII characters) are plain inside a string and
 * invalid outside, as the characters they encode.
 */
class Src {
  /** length in bytes */
  readonly n: number
  /** the byte string; for the input, made only when a whole-text search needs it */
  private s: string | null
  private c: Uint8Array | null
  /** the bytes, for writing (the input's own buffer, else made when first written) */
  private b: Buffer | null
  constructor (t: string | null, c: Uint8Array | null = null, b: Buffer | null = null) {
    this.s = t
    this.n = t !== null ? t.length : b!.length
    this.c = c
    this.b = b
  }

  get t (): string {
    if (this.s === null) this.s = this.b!.toString('latin1')
    return this.s
  }

  /** whether the byte string is made (slicing it is then cheapest) */
  hasText (): boolean {
    return this.s !== null
  }

  /** t.slice(from, to), read from the bytes while the whole string is not made */
  slice (from: number, to: number): string {
    return this.s !== null ? this.s.slice(from, to) : this.b!.toString('latin1', from, to)
  }

  codes (): Uint8Array {
    if (this.c === null) {
      const c = new Uint8Array(this.n + 1)
      Buffer.from(c.buffer, c.byteOffset, this.n).write(this.t, 0, 'latin1')
      this.c = c
    }
    return this.c
  }

  bytes (): Buffer {
    if (this.b === null) this.b = Buffer.from(this.t, 'latin1')
    return this.b
  }
}

const NON_ASCII = /[^\u0000-\u007f]/

/** A JavaScript string as a byte string (its UTF-8 bytes, one character each). */
function byteString (s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s
}

/** A byte string read back as the UTF-8 it holds. */
function fromBytes (t: string): string {
  return NON_ASCII.test(t) ? Buffer.from(t, 'latin1').toString('utf8') : t
}

// the input's bytes go into a reused array (a new one per call costs more
// than the scan); very large inputs get their own
const SCRATCH_MAX = 1 << 22
let scratch = new Uint8Array(0)

function inputCodes (body: Buffer): Uint8Array {
  const n = body.length
  let into = scratch
  if (n >= SCRATCH_MAX) {
    into = new Uint8Array(n + 1)
  } else if (scratch.length <= n) {
    scratch = into = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(n + 1, 2 * scratch.length, 4096)))
  }
  into.set(body)
  into[n] = 0
  return into
}

const NO_STRINGS: string[] = []
const NO_NUMBERS: number[] = []
const NO_NODES: Node[] = []

class Node {
  /** RAW, OBJ or ARR */
  k: number
  /** the text this node's slice (and its keys' raw text) is in */
  src: Src
  s: number
  e: number
  // OBJ: keys, and where each key's text starts in src: kp >= 0 plain, kp <= -2
  // at -kp - 2 with escapes, -1 created here (written with JSON.stringify)
  keys: string[] = NO_STRINGS
  kp: number[] = NO_NUMBERS
  // OBJ and ARR: values; the shared empty arrays above are replaced on expansion, never written
  vals: Node[] = NO_NODES
  /** ARR: start of the first unscanned element, -1 when all are scanned; RAW: TOO_DEEP or -1 */
  next = -1
  /** entries were added, removed or replaced since expansion (always for containers built here) */
  dirty = false

  constructor (k: number, src: Src, s: number, e: number) {
    this.k = k
    this.src = src
    this.s = s
    this.e = e
  }
}

/**
 * `ops` applied to the UTF-8 JSON text in `body` as applyBodyOps would apply
 * them to JSON.parse of it; returns the new bytes, where unchanged parts are
 * copied from `body` (`body` itself when nothing changed). Throws
 * SyntaxError when `body` is not one JSON value (positions are byte offsets).
 */
export function applyBodyOpsToBytes (body: Buffer, ops: readonly BodyOp[]): Buffer {
  inputLength = body.length
  changed = false
  const first = readRoot(new Src(null, inputCodes(body), body))
  let root = first
  for (let i = 0; i < ops.length; i++) root = applyOp(root, ops[i]!)
  if (root === first && !changed) return body
  serialize(root)
  if (root === first && wroteSlice) { releasePieces(); return body }
  return piecesToBuffer()
}

/** The same on a string: the text's UTF-8 bytes changed, read back (`text` itself when nothing changed). */
export function applyBodyOpsToText (text: string, ops: readonly BodyOp[]): string {
  const body = Buffer.from(text, 'utf8')
  const out = applyBodyOpsToBytes(body, ops)
  return out === body ? text : out.toString('utf8')
}

// ---------------------------------------------------------------- scanning

/** length of the input being read, for error messages (only the input can be invalid) */
let inputLength = 0

function bad (i: number): SyntaxError {
  return new SyntaxError(i >= inputLength ? 'Unexpected end of JSON input' : `Unexpected token in JSON at position ${i}`)
}

function ws (c: Uint8Array, i: number): number {
  let ch = c[i]!
  while (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) ch = c[++i]!
  return i
}

/** code units a string runs on through (not a quote, backslash or control character) */
const PLAIN = new Uint8Array(256).fill(1)
PLAIN.fill(0, 0, 0x20)
PLAIN[0x22] = 0
PLAIN[0x5c] = 0

/** set by skipEscape; cleared by the callers that want to know (keys) */
let sawEscape = false

/** `i` at the opening quote; returns the index after the closing one. */
function skipString (c: Uint8Array, i: number): number {
  let ch: number
  do ch = c[++i]!
  while (PLAIN[ch] === 1)
  if (ch !== 0x22) i = stringRest(c, i)
  return i + 1
}

/** `i` at a backslash or control character in a string; returns the index of the closing quote. */
function stringRest (c: Uint8Array, i: number): number {
  for (;;) {
    const ch = c[i]!
    if (ch === 0x22) return i
    if (ch < 0x20) throw bad(i) // control character, or the final 0
    if (ch === 0x5c) i = skipEscape(c, i)
    i++
  }
}

/** `i` at a backslash; returns the index of the escape's last character. */
function skipEscape (c: Uint8Array, i: number): number {
  sawEscape = true
  const d = c[i + 1]!
  if (d === 0x75) {
    if (!isHex(c[i + 2]!) || !isHex(c[i + 3]!) || !isHex(c[i + 4]!) || !isHex(c[i + 5]!)) throw bad(i + 1)
    return i + 5
  }
  if (d === 0x22 || d === 0x5c || d === 0x2f || d === 0x62 || d === 0x66 || d === 0x6e || d === 0x72 || d === 0x74) return i + 1
  throw bad(i + 1)
}

function isHex (ch: number): boolean {
  return (ch >= 0x30 && ch <= 0x39) || (ch >= 0x61 && ch <= 0x66) || (ch >= 0x41 && ch <= 0x46)
}

/** A number at `i` (a minus or a digit); returns its end. What follows is checked by the caller. */
function skipNumber (c: Uint8Array, i: number): number {
  let ch = c[i]!
  if (ch === 0x2d) ch = c[++i]!
  if (ch === 0x30) {
    ch = c[++i]!
  } else {
    if (ch - 0x31 >>> 0 > 8) throw bad(i)
    do ch = c[++i]!
    while (ch - 0x30 >>> 0 < 10)
  }
  if (ch === 0x2e) {
    ch = c[++i]!
    if (ch - 0x30 >>> 0 > 9) throw bad(i)
    do ch = c[++i]!
    while (ch - 0x30 >>> 0 < 10)
  }
  if ((ch | 0x20) === 0x65) {
    ch = c[++i]!
    if (ch === 0x2b || ch === 0x2d) ch = c[++i]!
    if (ch - 0x30 >>> 0 > 9) throw bad(i)
    do ch = c[++i]!
    while (ch - 0x30 >>> 0 < 10)
  }
  return i
}

/** true, false or null at `i`; returns its end. */
function skipLiteral (c: Uint8Array, i: number): number {
  const ch = c[i]
  if (ch === 0x74 && c[i + 1] === 0x72 && c[i + 2] === 0x75 && c[i + 3] === 0x65) return i + 4
  if (ch === 0x66 && c[i + 1] === 0x61 && c[i + 2] === 0x6c && c[i + 3] === 0x73 && c[i + 4] === 0x65) return i + 5
  if (ch === 0x6e && c[i + 1] === 0x75 && c[i + 2] === 0x6c && c[i + 3] === 0x6c) return i + 4
  throw bad(i)
}

/** `i` at a key's quote: checks `"key" :` and returns the start of the value. */
function skipKey (c: Uint8Array, i: number): number {
  if (c[i] !== 0x22) throw bad(i)
  i = skipString(c, i)
  if (c[i] !== 0x3a) {
    i = ws(c, i)
    if (c[i] !== 0x3a) throw bad(i)
  }
  return c[++i]! <= 0x20 ? ws(c, i) : i
}

/** per open container below the current one: 1 when it is an object */
const outer: number[] = []
/** the deepest nesting skipValue met (below where it started) */
let maxDepth = 0

/** `i` at the first character of a value; checks the whole value and returns its end. No recursion. */
function skipValue (c: Uint8Array, i: number): number {
  const st = outer
  let depth = 0
  let inObj = false
  for (;;) {
    const ch = c[i]!
    if (ch === 0x22) {
      i = skipString(c, i)
    } else if (ch === 0x7b || ch === 0x5b) {
      const j = c[i + 1]! <= 0x20 ? ws(c, i + 1) : i + 1
      if (c[j] === ch + 2) { // `{}` or `[]`
        i = j + 1
      } else {
        st[depth++] = inObj ? 1 : 0
        if (depth > maxDepth) maxDepth = depth
        inObj = ch === 0x7b
        i = inObj ? skipKey(c, j) : j
        continue
      }
    } else if (ch === 0x2d || ch - 0x30 >>> 0 < 10) {
      i = skipNumber(c, i)
    } else {
      i = skipLiteral(c, i)
    }
    // after a value: a comma goes on with the next member, a closer ends a container
    for (;;) {
      if (depth === 0) return i
      const d = c[i]!
      if (d === 0x2c) {
        if (c[++i]! <= 0x20) i = ws(c, i)
        if (inObj) i = skipKey(c, i)
        break
      }
      if (d <= 0x20) {
        const j = ws(c, i)
        if (j > i) { i = j; continue }
      }
      if (d !== (inObj ? 0x7d : 0x5d)) throw bad(i)
      i++
      inObj = st[--depth] === 1
    }
  }
}

/** The root node; the whole text is checked here. An object root comes back expanded. */
function readRoot (src: Src): Node {
  const c = src.codes()
  maxDepth = 0
  const s = ws(c, 0)
  let node: Node
  if (c[s] === 0x7b) {
    node = new Node(RAW, src, s, 0)
    expandObject(node)
  } else {
    node = new Node(RAW, src, s, skipValue(c, s))
  }
  const end = ws(c, node.e)
  if (end !== src.n) throw bad(end)
  deepInput = maxDepth + 2 > PRUNE_DEPTH
  return node
}

// ---------------------------------------------------------------- expansion

/** The key whose quoted text is t[k0, k1); `escaped` when it holds a backslash or a non-ASCII byte. */
function keyOf (src: Src, k0: number, k1: number, escaped: boolean): string {
  if (escaped) return JSON.parse(fromBytes(src.slice(k0, k1))) as string
  // a short key from its bytes (plain ASCII here): cheaper than a call into Buffer#toString
  if (k1 - k0 <= 18 && !src.hasText()) {
    const c = src.codes()
    let key = ''
    for (let i = k0 + 1; i < k1 - 1; i++) key += String.fromCharCode(c[i]!)
    return key
  }
  return src.slice(k0 + 1, k1 - 1)
}

/** A key's text from k0 to k1 holds a byte from 0x80 up (it is then read as UTF-8, like an escaped one). */
function wideKey (c: Uint8Array, k0: number, k1: number): boolean {
  for (let i = k0 + 1; i < k1; i++) if (c[i]! >= 0x80) return true
  return false
}

// entries being gathered by expandAll, copied out into arrays of the exact
// size when a container is complete (growing arrays per container costs much
// more memory, and garbage collection, on large documents); SK/SP hold object
// entries up to kTop, SV values up to vTop
const SK: string[] = []
const SP: number[] = []
const SV: Node[] = []
let kTop = 0
let vTop = 0

/** The position code of a key (see Node.kp). */
function keyPos (k0: number, escaped: boolean): number {
  return escaped ? -k0 - 2 : k0
}

/** Expand a raw object one level (checking its top level) and set its end. Fields are set at the end only. */
function expandObject (n: Node): void {
  const src = n.src
  const c = src.codes()
  const keys: string[] = []
  const kp: number[] = []
  const vals: Node[] = []
  let i = ws(c, n.s + 1)
  if (c[i] !== 0x7d) {
    for (;;) {
      const k0 = i
      if (c[i] !== 0x22) throw bad(i)
      sawEscape = false
      const k1 = skipString(c, i)
      const esc = sawEscape || wideKey(c, k0, k1)
      i = ws(c, k1)
      if (c[i] !== 0x3a) throw bad(i)
      const vs = ws(c, i + 1)
      const ve = skipValue(c, vs)
      const key = keyOf(src, k0, k1, esc)
      const v = new Node(RAW, src, vs, ve)
      // a repeated key keeps its first place and takes the new value (as JSON.parse)
      const at = keys.length < 32 ? keys.indexOf(key) : repeatAt(keys, key)
      if (at >= 0) {
        vals[at] = v
      } else {
        keys.push(key)
        kp.push(keyPos(k0, esc))
        vals.push(v)
      }
      i = ws(c, ve)
      const d = c[i]
      if (d === 0x2c) { i = ws(c, i + 1); continue }
      if (d === 0x7d) break
      throw bad(i)
    }
  }
  n.e = i + 1
  n.keys = keys
  n.kp = kp
  n.vals = vals
  n.k = OBJ
}

const repeatIndex = new WeakMap<string[], Map<string, number>>()

/** indexOf for a large object being expanded, through a map kept beside it (the key is then added at the end) */
function repeatAt (keys: string[], key: string): number {
  let m = repeatIndex.get(keys)
  if (m === undefined) {
    m = new Map()
    for (let i = 0; i < keys.length; i++) m.set(keys[i]!, i)
    repeatIndex.set(keys, m)
  }
  const at = m.get(key)
  if (at !== undefined) return at
  m.set(key, keys.length)
  return -1
}

/**
 * Add an entry to the object gathered from `base` (values from `baseV`) on;
 * a repeated key keeps its first place and takes the new value (as
 * JSON.parse). Large objects look repeats up in a map, returned for the next call.
 */
function addEntry (base: number, baseV: number, index: Map<string, number> | null, key: string, kp: number, v: Node): Map<string, number> | null {
  let at = -1
  if (index === null && kTop - base < 32) {
    for (let i = base; i < kTop; i++) if (SK[i] === key) { at = i; break }
  } else {
    if (index === null) {
      index = new Map()
      for (let i = base; i < kTop; i++) index.set(SK[i]!, i)
    }
    at = index.get(key) ?? -1
    if (at < 0) index.set(key, kTop)
  }
  if (at >= 0) {
    SV[baseV + at - base] = v
  } else {
    SK[kTop] = key
    SP[kTop++] = kp
    SV[vTop++] = v
  }
  return index
}

/** Expand a raw array: no element is scanned yet. */
function expandArray (n: Node): void {
  const c = n.src.codes()
  const i = ws(c, n.s + 1)
  n.next = c[i] === 0x5d ? -1 : i
  n.vals = []
  n.k = ARR
}

/** Scan one more element of an array; false when all are scanned. */
function scanNext (n: Node): boolean {
  const vs = n.next
  if (vs < 0) return false
  const c = n.src.codes()
  const ve = skipValue(c, vs)
  const i = ws(c, ve)
  const d = c[i]
  let next: number
  if (d === 0x2c) next = ws(c, i + 1)
  else if (d === 0x5d) next = -1
  else throw bad(i)
  const v = new Node(RAW, n.src, vs, ve)
  n.vals.push(v)
  n.next = next
  return true
}

function isObj (n: Node): boolean {
  return n.k === OBJ || (n.k === RAW && n.src.codes()[n.s] === 0x7b)
}

function isArr (n: Node): boolean {
  return n.k === ARR || (n.k === RAW && n.src.codes()[n.s] === 0x5b)
}

function isContainer (n: Node): boolean {
  if (n.k !== RAW) return true
  const ch = n.src.codes()[n.s]
  return ch === 0x7b || ch === 0x5b
}

/** `n` known to be an object: expanded. */
function obj (n: Node): Node {
  if (n.k === RAW) expandObject(n)
  return n
}

/** `n` known to be an array: expanded (maybe partly scanned). */
function arr (n: Node): Node {
  if (n.k === RAW) expandArray(n)
  return n
}

/** Element `i` of an expanded array, scanning as far as needed; undefined past the end. */
function arrAt (a: Node, i: number): Node | undefined {
  while (i >= a.vals.length) if (!scanNext(a)) return undefined
  return a.vals[i]
}

function arrAll (a: Node): Node[] {
  while (scanNext(a));
  return a.vals
}

/**
 * How many levels expandAll builds; below, containers stay raw, marked
 * TOO_DEEP (in `next`), and `..` stops there as if out of stack (its recursion,
 * like that of json-body-ops.ts, gives out well before this depth, so the
 * result is the same; the mark only bounds the work on absurd nesting).
 */
const DEEP = 1 << 14
const TOO_DEEP = -2

/**
 * Expand a raw container and everything below it in one pass (used by `..`;
 * expanding level by level would rescan a deep document once per level). No
 * recursion; the node's fields are set at the end only.
 */
function expandAll (target: Node): void {
  const src = target.src
  const c = src.codes()
  // per open container: the node, where its entries start in SK/SP and SV, its repeat map
  const open: Node[] = []
  const bases: number[] = []
  const basesV: number[] = []
  const maps: (Map<string, number> | null)[] = []
  const base0 = kTop
  const baseV0 = vTop
  let cur = new Node(c[target.s] === 0x7b ? OBJ : ARR, src, target.s, target.e)
  let base = base0
  let baseV = baseV0
  let index: Map<string, number> | null = null
  let i = ws(c, target.s + 1)
  try {
    let done = c[i] === (cur.k === OBJ ? 0x7d : 0x5d)
    if (done) i++
    while (!done) {
      // at the start of a member of cur
      let key = ''
      let kp = -1
      if (cur.k === OBJ) {
        const k0 = i
        sawEscape = false
        const k1 = skipString(c, i)
        const esc = sawEscape || wideKey(c, k0, k1)
        key = keyOf(src, k0, k1, esc)
        kp = keyPos(k0, esc)
        i = ws(c, ws(c, k1) + 1) // past the colon
      }
      const ch = c[i]!
      let child: Node
      let opened = false
      if ((ch === 0x7b || ch === 0x5b) && open.length < DEEP) {
        child = new Node(ch === 0x7b ? OBJ : ARR, src, i, i)
        const j = ws(c, i + 1)
        if (c[j] === ch + 2) {
          i = j + 1
          child.e = i
          if (ch === 0x7b) { child.keys = []; child.kp = [] }
          child.vals = []
        } else {
          i = j
          opened = true
        }
      } else {
        const e = skipValue(c, i)
        child = new Node(RAW, src, i, e)
        if (ch === 0x7b || ch === 0x5b) child.next = TOO_DEEP
        i = e
      }
      if (cur.k === OBJ) index = addEntry(base, baseV, index, key, kp, child)
      else SV[vTop++] = child
      if (opened) {
        open.push(cur)
        bases.push(base)
        basesV.push(baseV)
        maps.push(index)
        cur = child
        base = kTop
        baseV = vTop
        index = null
        continue
      }
      // after a value: commas and closers
      for (;;) {
        i = ws(c, i)
        if (c[i] === 0x2c) { i = ws(c, i + 1); break }
        i++
        cur.e = i
        if (cur.k === OBJ) {
          cur.keys = SK.slice(base, kTop)
          cur.kp = SP.slice(base, kTop)
          kTop = base
        }
        cur.vals = SV.slice(baseV, vTop)
        vTop = baseV
        const up = open.pop()
        if (up === undefined) { done = true; break }
        cur = up
        base = bases.pop()!
        baseV = basesV.pop()!
        index = maps.pop()!
      }
    }
  } finally {
    kTop = base0
    vTop = baseV0
    // drop what the scratch holds (it would keep the text alive)
    if (kTop === 0) { SK.length = 0; SP.length = 0 }
    if (vTop === 0) SV.length = 0
  }
  if (cur.k === OBJ && cur.keys === NO_STRINGS) { cur.keys = []; cur.kp = [] }
  if (cur.vals === NO_NODES) cur.vals = []
  target.keys = cur.keys
  target.kp = cur.kp
  target.vals = cur.vals
  target.next = -1
  target.k = cur.k
}

/**
 * `..` skips raw subtrees that cannot hold its key only in documents nested
 * less than this: json-body-ops.ts walks every subtree, and gives up (no
 * effect) when one is deeper than its stack, which skipping would hide.
 */
const PRUNE_DEPTH = 512
let deepInput = false

/** Expand `n` (a container) and everything below it that `..name` may find a match in. */
function expandFor (n: Node, name: string): void {
  const stack = [n]
  let needle = ''
  for (;;) {
    const x = stack.pop()
    if (x === undefined) return
    if (x.k === RAW) {
      if (!isContainer(x) || x.next === TOO_DEEP) continue
      if (!deepInput) {
        // without a backslash the key can only be written "name"
        const text = x.src.t.slice(x.s, x.e)
        if (needle === '') needle = byteString(`"${name}"`)
        if (!text.includes(needle) && !text.includes('\\')) continue
      }
      expandAll(x)
      continue
    }
    const vals = x.k === ARR ? arrAll(x) : x.vals
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i]!
      if (v.k !== RAW || isContainer(v)) stack.push(v)
    }
  }
}

// ---------------------------------------------------------------- writing

/** set when serialize wrote the node's own slice */
let wroteSlice = false

// what serialize wrote: pieces, each a slice [P0, P1) of the text of PS
const PS: Src[] = []
const P0: number[] = []
const P1: number[] = []
let pn = 0

function piece (src: Src, s: number, e: number): void {
  PS[pn] = src
  P0[pn] = s
  P1[pn++] = e
}

// `{`, `}`, `[`, `]`, `,` and `:` are slices of this
const PUNCT = new Src('{}[],:')
const OPEN_OBJ = 0
const OPEN_ARR = 2
const COMMA = 4
const COLON = 5

/**
 * The JSON text of a node, as pieces (PS, P0, P1; pn of them). An expanded
 * container that did not change, with nothing changed below it, is written
 * as its slice. No recursion.
 */
function serialize (root: Node): void {
  pn = 0
  wroteSlice = true
  if (root.k === RAW) { piece(root.src, root.s, root.e); return }
  // one frame per open container: the node, the next member, its first
  // piece, and whether everything below was written as it came
  const fn: Node[] = [root]
  const fi: number[] = [0]
  const fstart: number[] = [0]
  const fclean: boolean[] = [true]
  let d = 0
  const open = root.k === OBJ ? OPEN_OBJ : OPEN_ARR
  piece(PUNCT, open, open + 1)
  for (;;) {
    const n = fn[d]!
    const i = fi[d]!
    if (i < n.vals.length) {
      if (i > 0) piece(PUNCT, COMMA, COMMA + 1)
      const v = n.vals[i]!
      const j = v.k === RAW && v.src === n.src ? runEnd(n, i) : i
      if (j > i) {
        // members that still stand in the text as they are here: one slice
        fi[d] = j
        piece(n.src, n.k === OBJ ? n.kp[i]! : v.s, n.vals[j - 1]!.e)
        continue
      }
      fi[d] = i + 1
      if (n.k === OBJ) {
        keyPiece(n, i)
        piece(PUNCT, COLON, COLON + 1)
      }
      if (v.k === RAW) {
        piece(v.src, v.s, v.e)
      } else {
        d++
        fn[d] = v
        fi[d] = 0
        fstart[d] = pn
        fclean[d] = true
        const o = v.k === OBJ ? OPEN_OBJ : OPEN_ARR
        piece(PUNCT, o, o + 1)
      }
      continue
    }
    if (n.k === ARR && n.next >= 0) {
      // the unscanned rest, as it is (less the blanks before the bracket)
      const c = n.src.codes()
      let end = n.e - 1
      for (let ch = c[end - 1]; ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09; ch = c[--end - 1]);
      if (n.vals.length > 0) piece(PUNCT, COMMA, COMMA + 1)
      piece(n.src, n.next, end)
    }
    const clean = fclean[d]! && !n.dirty
    if (clean) {
      pn = fstart[d]!
      piece(n.src, n.s, n.e)
    } else {
      const close = n.k === OBJ ? OPEN_OBJ + 1 : OPEN_ARR + 1
      piece(PUNCT, close, close + 1)
    }
    if (d === 0) {
      wroteSlice = clean
      return
    }
    d--
    if (!clean) fclean[d] = false
  }
}

/** The pieces serialize wrote, as one byte string (they are let go). */
function piecesToText (): string {
  let out = ''
  for (let k = 0; k < pn; k++) out += PS[k]!.slice(P0[k]!, P1[k]!)
  releasePieces()
  return out
}

// bodies up to SLAB_PIECE bytes are written into slices of a shared slab, as
// Node's own pool does for small buffers: one allocation per SLAB bytes
// rather than one per body (each a new ArrayBuffer the GC must track). A
// slab lives as long as any body cut from it is still held (being written
// to a socket, or captured for a comparison).
const SLAB = 128 * 1024
const SLAB_PIECE = 16 * 1024
let slab = Buffer.allocUnsafeSlow(0)
let slabAt = 0

function outputBuffer (size: number): Buffer {
  if (size > SLAB_PIECE) return Buffer.allocUnsafe(size)
  if (slabAt + size > slab.length) {
    slab = Buffer.allocUnsafeSlow(SLAB)
    slabAt = 0
  }
  const out = slab.subarray(slabAt, slabAt + size)
  slabAt = (slabAt + size + 7) & ~7
  return out
}

/** The pieces serialize wrote, copied into one new buffer (they are let go). */
function piecesToBuffer (): Buffer {
  let total = 0
  for (let k = 0; k < pn; k++) total += P1[k]! - P0[k]!
  const out = outputBuffer(total)
  let at = 0
  for (let k = 0; k < pn; k++) {
    const b = PS[k]!.bytes()
    const s = P0[k]!
    const e = P1[k]!
    // a few bytes (punctuation, keys) by hand: Buffer#copy's checks cost more
    if (e - s <= 16) for (let i = s; i < e; i++) out[at++] = b[i]!
    else at += b.copy(out, at, s, e)
  }
  releasePieces()
  return out
}

/** the pieces would keep the texts they slice alive */
function releasePieces (): void {
  PS.fill(PUNCT, 0, pn)
  pn = 0
}

/** Key `i` of an object, as a piece: as it came, or JSON.stringify for a created one. */
function keyPiece (n: Node, i: number): void {
  const kp = n.kp[i]!
  if (kp >= 0) {
    piece(n.src, kp, kp + n.keys[i]!.length + 2)
  } else if (kp === -1) {
    const q = quoted(n.keys[i]!)
    piece(q, 0, q.n)
  } else {
    piece(n.src, -kp - 2, skipString(n.src.codes(), -kp - 2))
  }
}

/**
 * The end of the run of members from `i` on that are raw, from the container's
 * text, and follow each other there (only blanks and a comma between, and for
 * an object each value right after its own key and colon): `i` when member
 * `i` itself is not such. Written as one slice of the text.
 */
function runEnd (n: Node, i: number): number {
  const c = n.src.codes()
  const vals = n.vals
  const obj = n.k === OBJ
  let end = -1
  for (; i < vals.length; i++) {
    const v = vals[i]!
    if (v.k !== RAW || v.src !== n.src) break
    let start = v.s
    if (obj) {
      start = n.kp[i]!
      if (start < 0 || !between(c, start + n.keys[i]!.length + 2, v.s, 0x3a)) break
    }
    if (end >= 0 && !between(c, end, start, 0x2c)) break
    end = v.e
  }
  return i
}

/** True when the text from `from` to `to` is blanks, `sep`, blanks. */
function between (c: Uint8Array, from: number, to: number, sep: number): boolean {
  if (from >= to) return false
  let i = ws(c, from)
  if (c[i] !== sep) return false
  i = ws(c, i + 1)
  return i === to
}

// created keys come from the rules' paths: their JSON text is kept
const quotedKeys = new Map<string, Src>()

function quoted (key: string): Src {
  let q = quotedKeys.get(key)
  if (q === undefined) {
    if (quotedKeys.size >= 4096) quotedKeys.clear()
    q = new Src(byteString(JSON.stringify(key)))
    quotedKeys.set(key, q)
  }
  return q
}

/** A fresh node with the same value (a deep copy: later changes to one do not reach the other). */
function cloneNode (n: Node): Node {
  if (n.k === RAW) return new Node(RAW, n.src, n.s, n.e)
  serialize(n)
  const text = piecesToText()
  return new Node(RAW, new Src(text), 0, text.length)
}

const ruleSrc = new WeakMap<BodyOp, Src>()

/** A fresh node for a `set`/`default` value; its text is made once per op. */
function ruleNode (op: BodyOp & { readonly value: JsonValue }): Node {
  let src = ruleSrc.get(op)
  if (src === undefined) {
    src = new Src(byteString(JSON.stringify(op.value)))
    ruleSrc.set(op, src)
  }
  return new Node(RAW, src, 0, src.n)
}

const BUILT = new Src('')

/** set when some node of the document was changed in this call */
let changed = false

function touch (n: Node): void {
  n.dirty = true
  changed = true
}

function newObject (name: string, value: Node): Node {
  const n = new Node(OBJ, BUILT, 0, 0)
  n.keys = [name]
  n.kp = [-1]
  n.vals = [value]
  n.dirty = true
  return n
}

function newArray (value: Node): Node {
  const n = new Node(ARR, BUILT, 0, 0)
  n.vals = [value]
  n.dirty = true
  return n
}

/** Set key `name` of an expanded object: replaced in place, else added last. */
function putKey (o: Node, name: string, value: Node, kp = -1): void {
  const at = o.keys.indexOf(name)
  if (at >= 0) {
    o.vals[at] = value
  } else {
    o.keys.push(name)
    o.kp.push(kp)
    o.vals.push(value)
  }
  touch(o)
}

function deleteAt (o: Node, at: number): void {
  // shifting by hand: splice costs more on these small arrays
  const { keys, kp, vals } = o
  const n = keys.length - 1
  for (let i = at; i < n; i++) {
    keys[i] = keys[i + 1]!
    kp[i] = kp[i + 1]!
    vals[i] = vals[i + 1]!
  }
  keys.pop()
  kp.pop()
  vals.pop()
  touch(o)
}

// ---------------------------------------------------------------- operations (as in json-body-ops.ts)

function applyOps (root: Node, ops: readonly BodyOp[]): Node {
  for (let i = 0; i < ops.length; i++) root = applyOp(root, ops[i]!)
  return root
}

function applyOp (root: Node, op: BodyOp): Node {
  switch (op.op) {
    case 'rename': return rename(root, op.from.steps, op.to.steps)
    case 'remove': remove(root, op.path.steps); return root
    case 'set': return write(root, op.path.steps, ruleNode(op))
    case 'default': {
      const steps = op.path.steps
      if (steps.length === 0 || read(root, steps, steps.length) !== undefined) return root
      return write(root, steps, ruleNode(op))
    }
    case 'copy': {
      const value = read(root, op.from.steps, op.from.steps.length)
      if (value === undefined) return root
      let dup: Node
      try {
        dup = cloneNode(value)
      } catch (err) {
        if (err instanceof RangeError) return root // longer than a string can be: leave it
        throw err
      }
      return write(root, op.to.steps, dup)
    }
    case 'map': map(root, op.path.steps, op.ops); return root
    default: return root
  }
}

/** The node after the first `end` steps; undefined when absent or when a step is not key/index. */
function read (root: Node, steps: Steps, end: number): Node | undefined {
  let node: Node | undefined = root
  for (let i = 0; i < end; i++) {
    const step = steps[i]!
    if (step.t === 'key') {
      if (!isObj(node)) return undefined
      const o = obj(node)
      const at = o.keys.indexOf(step.name)
      if (at < 0) return undefined
      node = o.vals[at]!
    } else if (step.t === 'index') {
      if (!isArr(node)) return undefined
      node = arrAt(arr(node), step.n)
      if (node === undefined) return undefined
    } else {
      return undefined
    }
  }
  return node
}

function putStep (node: Node, step: JsonPathStep, value: Node, dry: boolean): boolean {
  if (step.t === 'key') {
    if (!isObj(node)) return false
    if (!dry) putKey(obj(node), step.name, value)
    return true
  }
  if (step.t === 'index') {
    if (!isArr(node)) return false
    const a = arr(node)
    if (arrAt(a, step.n) !== undefined) {
      if (!dry) { a.vals[step.n] = value; touch(a) }
      return true
    }
    if (step.n > a.vals.length) return false
    if (!dry) { a.vals.push(value); touch(a) }
    return true
  }
  return false
}

function place (root: Node, steps: Steps, value: Node, dry: boolean): boolean {
  const last = steps.length - 1
  let node = root
  for (let i = 0; i < last; i++) {
    const step = steps[i]!
    let child: Node | undefined
    if (step.t === 'key') {
      if (!isObj(node)) return false
      const o = obj(node)
      const at = o.keys.indexOf(step.name)
      child = at >= 0 ? o.vals[at] : undefined
    } else if (step.t === 'index') {
      if (!isArr(node)) return false
      child = arrAt(arr(node), step.n)
    } else {
      return false
    }
    if (child === undefined) {
      let built = value
      for (let j = last; j > i; j--) {
        const s = steps[j]!
        if (s.t === 'key') {
          if (!dry) built = newObject(s.name, built)
        } else if (s.t === 'index' && s.n === 0) {
          if (!dry) built = newArray(built)
        } else {
          return false
        }
      }
      return putStep(node, step, built, dry)
    }
    if (!isContainer(child)) return false
    node = child
  }
  return putStep(node, steps[last]!, value, dry)
}

function write (root: Node, steps: Steps, value: Node): Node {
  if (steps.length === 0) return value
  place(root, steps, value, false)
  return root
}

function rename (root: Node, from: Steps, to: Steps): Node {
  const fl = from.length
  if (fl === 0) return root
  const parent = read(root, from, fl - 1)
  if (parent === undefined) return root
  const last = from[fl - 1]!
  let value: Node | undefined
  if (last.t === 'key') {
    if (isObj(parent)) {
      const o = obj(parent)
      const at = o.keys.indexOf(last.name)
      if (at >= 0) value = o.vals[at]
    }
  } else if (last.t === 'index') {
    if (isArr(parent)) value = arrAt(arr(parent), last.n)
  }
  if (value === undefined) return root
  if (to.length === fl && samePrefix(from, to, fl)) return root
  const throughFrom = to.length > fl && samePrefix(from, to, fl)
  const sameArray = last.t === 'index' && to.length >= fl && samePrefix(from, to, fl - 1)
  if (to.length > 0 && !throughFrom && !sameArray && !place(root, to, value, true)) return root
  let kp = -1
  if (last.t === 'key') {
    const at = parent.keys.indexOf(last.name)
    kp = parent.kp[at]!
    deleteAt(parent, at)
  } else if (last.t === 'index') {
    parent.vals.splice(last.n, 1)
    touch(parent)
  }
  if (to.length === 0) return value
  if (!place(root, to, value, false)) {
    // put it back (an object key then comes last)
    if (last.t === 'key') putKey(parent, last.name, value, kp)
    else if (last.t === 'index') parent.vals.splice(last.n, 0, value)
  }
  return root
}

// remove: hits gathered first, then applied; array elements marked GONE and
// each marked array compacted once
const GONE = new Node(RAW, new Src('null'), 0, 4)

type Hits = (Node | string | number)[]

function remove (root: Node, steps: Steps): void {
  if (steps.length === 0) return
  const hits: Hits = []
  if (!gather(root, steps, hits)) return
  for (let i = 0; i < hits.length; i += 2) {
    const c = hits[i] as Node
    const k = hits[i + 1] as string | number
    if (typeof k === 'string') {
      const at = c.keys.indexOf(k)
      if (at >= 0) deleteAt(c, at)
    } else {
      c.vals[k] = GONE
    }
  }
  for (let i = 0; i < hits.length; i += 2) {
    const c = hits[i] as Node
    const k = hits[i + 1]
    if (typeof k === 'number' && c.vals[k] === GONE) {
      c.vals = c.vals.filter((v) => v !== GONE)
      touch(c)
    }
  }
}

/** collect, or false when the document is nested deeper than the stack (the op then does nothing). */
function gather (root: Node, steps: Steps, out: Hits): boolean {
  try {
    collect(root, steps, 0, out)
    return true
  } catch (err) {
    if (err instanceof RangeError) return false
    throw err
  }
}

/** Push [container, key or index] for every value `steps` (from `si` on) matches under `node`. */
function collect (node: Node, steps: Steps, si: number, out: Hits): void {
  const step = steps[si]!
  const last = si === steps.length - 1
  if (step.t === 'key') {
    if (!isObj(node)) return
    const o = obj(node)
    const at = o.keys.indexOf(step.name)
    if (at < 0) return
    if (last) out.push(o, step.name)
    else collect(o.vals[at]!, steps, si + 1, out)
  } else if (step.t === 'index') {
    if (!isArr(node)) return
    const el = arrAt(arr(node), step.n)
    if (el === undefined) return
    if (last) out.push(node, step.n)
    else collect(el, steps, si + 1, out)
  } else if (step.t === 'wild') {
    if (isArr(node)) {
      const vals = arrAll(arr(node))
      for (let i = 0; i < vals.length; i++) {
        if (last) out.push(node, i)
        else collect(vals[i]!, steps, si + 1, out)
      }
    } else if (isObj(node)) {
      const o = obj(node)
      for (let i = 0; i < o.vals.length; i++) {
        if (last) out.push(o, o.keys[i]!)
        else collect(o.vals[i]!, steps, si + 1, out)
      }
    }
  } else {
    if (!isContainer(node)) return
    expandFor(node, step.name)
    collectDesc(node, step.name, steps, si, last, out)
  }
}

/**
 * `..name` after expandFor. A container still raw was pruned (its text cannot
 * hold the key; one expanded since by a continuation lies inside a pruned
 * one), or is TOO_DEEP: then give up as on a stack overflow.
 */
function collectDesc (node: Node, name: string, steps: Steps, si: number, last: boolean, out: Hits): void {
  if (node.k === ARR) {
    const vals = arrAll(node)
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i]!
      if (v.k !== RAW) collectDesc(v, name, steps, si, last, out)
      else if (v.next === TOO_DEEP) throw new RangeError('nested too deep')
    }
  } else if (node.k === OBJ) {
    const at = node.keys.indexOf(name)
    if (at >= 0) {
      if (last) out.push(node, name)
      else collect(node.vals[at]!, steps, si + 1, out)
    }
    for (let i = 0; i < node.vals.length; i++) {
      const v = node.vals[i]!
      if (v.k !== RAW) collectDesc(v, name, steps, si, last, out)
      else if (v.next === TOO_DEEP) throw new RangeError('nested too deep')
    }
  }
}

function map (root: Node, steps: Steps, ops: readonly BodyOp[]): void {
  const n = steps.length
  if (n === 0 || ops.length === 0) return
  if (steps[n - 1]!.t === 'wild' && isConcrete(steps, n - 1)) {
    const c = read(root, steps, n - 1)
    if (c === undefined) return
    if (isArr(c)) {
      const a = arr(c)
      for (let i = 0; ; i++) {
        const el = arrAt(a, i)
        if (el === undefined) break
        const out = applyOps(el, ops)
        if (out !== el) { a.vals[i] = out; touch(a) }
      }
    } else if (isObj(c)) {
      const o = obj(c)
      for (let i = 0; i < o.vals.length; i++) {
        const el = o.vals[i]!
        const out = applyOps(el, ops)
        if (out !== el) { o.vals[i] = out; touch(o) }
      }
    }
    return
  }
  const hits: Hits = []
  if (!gather(root, steps, hits)) return
  for (let i = 0; i < hits.length; i += 2) {
    const c = hits[i] as Node
    const k = hits[i + 1] as string | number
    const at = typeof k === 'string' ? c.keys.indexOf(k) : k
    const el = typeof k === 'string' ? (at >= 0 ? c.vals[at] : undefined) : arrAt(c, k)
    if (el === undefined) continue
    const out = applyOps(el, ops)
    if (out !== el) { c.vals[at] = out; touch(c) }
  }
}

function isConcrete (steps: Steps, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const t = steps[i]!.t
    if (t !== 'key' && t !== 'index') return false
  }
  return true
}
