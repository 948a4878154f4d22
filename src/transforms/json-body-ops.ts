/**
 * JSON body operations of a transform (`BodyOp`, config/types.ts), run in
 * order on a parsed body for every request or answer. They walk the path
 * steps directly (no closures, no regexes) and change the body in place.
 *
 * - Reading (`rename`/`copy` `from`, the presence test of `default`) follows key
 *   and index steps: a key reads an object's own property, an index an existing
 *   array element. Anything else, wildcards included, reads as absent.
 * - Writing (`set`, `default`, `rename`/`copy` `to`) takes key and index steps
 *   only. A missing intermediate is created (`{}` before a key, `[]` before an
 *   index, which must then be 0); an existing one of the wrong kind (a scalar,
 *   null, an array before a key, an object before an index) makes the op do
 *   nothing. An index replaces an element or appends at exactly the end; past
 *   the end it does nothing. A write at `$` replaces the document. Writes are
 *   all or nothing: nothing is created when the final write is refused.
 * - `rename` moves the value (no copy): it is taken out of `from`, then `to` is
 *   written in what remains (so `$.a` to `$.a.b` wraps). When `to` cannot be
 *   written the value stays at `from`. A `from` of `$`, or equal to `to`, does nothing.
 * - `remove` drops every match, wildcards and `..name` included; array
 *   elements are spliced out, the others keeping their order. `$` is kept.
 * - `default` writes only when the path reads as absent (`null` is present).
 * - `set`/`default` write a fresh copy of the rule's value each time, `copy` a
 *   deep copy of the document's value; `rename` and `map` reuse values in place.
 * - `map` runs its ops on each value its path matches (the elements of an array
 *   or the property values of an object for a final `[*]`), that value being
 *   `$`; a result that replaced it is put back in its place.
 * - The key names `__proto__`, `constructor` and `prototype` are defined as
 *   own data properties, so a body cannot reach Object.prototype.
 * - Nothing throws on the document's shape; a shape that does not fit, even one
 *   nested deeper than the stack, leaves that op without effect.
 */

import type { BodyOp, JsonValue } from '../config/types.js'
import type { JsonPathStep } from '../config/json-path.js'
import { samePrefix } from './same-path-prefix.js'

type JsonObject = { [key: string]: JsonValue }
type Steps = readonly JsonPathStep[]

/** Apply `ops` in order to `doc` (mutated in place where possible); returns the new document (a `set` at `$` replaces the root). Never throws for data shapes: an op whose source is absent does nothing. */
export function applyBodyOps (doc: JsonValue, ops: readonly BodyOp[]): JsonValue {
  let root = doc
  for (let i = 0; i < ops.length; i++) root = applyOp(root, ops[i]!)
  return root
}

function applyOp (root: JsonValue, op: BodyOp): JsonValue {
  switch (op.op) {
    case 'rename': return rename(root, op.from.steps, op.to.steps)
    case 'remove': remove(root, op.path.steps); return root
    case 'set': return write(root, op.path.steps, copyRuleValue(op.value))
    case 'default': {
      const steps = op.path.steps
      if (steps.length === 0 ? root !== undefined : read(root, steps, steps.length) !== undefined) return root
      return write(root, steps, copyRuleValue(op.value))
    }
    case 'copy': {
      const value = read(root, op.from.steps, op.from.steps.length)
      if (value === undefined) return root
      let dup: JsonValue
      try {
        dup = copyJson(value)
      } catch {
        return root // deeper than the stack: leave it
      }
      return write(root, op.to.steps, dup)
    }
    case 'map': map(root, op.path.steps, op.ops); return root
    default: return root
  }
}

function isObject (v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function isSpecialKey (name: string): boolean {
  return name === '__proto__' || name === 'constructor' || name === 'prototype'
}

/** Set an own property; the special names are defined, never assigned (no prototype setter runs). */
function putKey (obj: JsonObject, name: string, value: JsonValue): void {
  if (isSpecialKey(name)) Object.defineProperty(obj, name, { value, writable: true, enumerable: true, configurable: true })
  else obj[name] = value
}

/** The value after the first `end` steps; undefined when absent or when a step is not key/index. */
function read (root: JsonValue, steps: Steps, end: number): JsonValue | undefined {
  let node: JsonValue | undefined = root
  for (let i = 0; i < end; i++) {
    const step = steps[i]!
    if (step.t === 'key') {
      if (!isObject(node) || !Object.hasOwn(node, step.name)) return undefined
      node = node[step.name]
    } else if (step.t === 'index') {
      if (!Array.isArray(node) || step.n >= node.length) return undefined
      node = node[step.n]
    } else {
      return undefined
    }
  }
  return node
}

/** Write `value` at the last step of `node`; false (and nothing changed) when that step does not fit. */
function putStep (node: JsonValue, step: JsonPathStep, value: JsonValue, dry: boolean): boolean {
  if (step.t === 'key') {
    if (!isObject(node)) return false
    if (!dry) putKey(node, step.name, value)
    return true
  }
  if (step.t === 'index') {
    if (!Array.isArray(node) || step.n > node.length) return false
    if (!dry) {
      if (step.n === node.length) node.push(value)
      else node[step.n] = value
    }
    return true
  }
  return false
}

/**
 * Place `value` at the concrete path `steps` (at least one step), creating
 * missing intermediates. The missing part is built detached and attached by
 * one final write, so a refusal leaves the document as it was. `dry`: only
 * tell whether the write would succeed.
 */
function place (root: JsonValue, steps: Steps, value: JsonValue, dry: boolean): boolean {
  const last = steps.length - 1
  let node = root
  for (let i = 0; i < last; i++) {
    const step = steps[i]!
    let child: JsonValue | undefined
    if (step.t === 'key') {
      if (!isObject(node)) return false
      child = Object.hasOwn(node, step.name) ? node[step.name] : undefined
    } else if (step.t === 'index') {
      if (!Array.isArray(node)) return false
      child = step.n < node.length ? node[step.n] : undefined
    } else {
      return false
    }
    if (child === undefined) {
      // build steps i+1..last bottom up, then attach at step i
      let built = value
      for (let j = last; j > i; j--) {
        const s = steps[j]!
        if (s.t === 'key') {
          if (!dry) { const o: JsonObject = {}; putKey(o, s.name, built); built = o }
        } else if (s.t === 'index' && s.n === 0) {
          if (!dry) built = [built]
        } else {
          return false
        }
      }
      return putStep(node, step, built, dry)
    }
    if (child === null || typeof child !== 'object') return false
    node = child
  }
  return putStep(node, steps[last]!, value, dry)
}

/** A write op's result: `$` replaces the root, otherwise the root is kept (changed or not). */
function write (root: JsonValue, steps: Steps, value: JsonValue): JsonValue {
  if (steps.length === 0) return value
  place(root, steps, value, false)
  return root
}

function rename (root: JsonValue, from: Steps, to: Steps): JsonValue {
  const fl = from.length
  if (fl === 0) return root
  const parent = read(root, from, fl - 1)
  const last = from[fl - 1]!
  let value: JsonValue | undefined
  if (last.t === 'key') {
    if (isObject(parent) && Object.hasOwn(parent, last.name)) value = parent[last.name]
  } else if (last.t === 'index') {
    if (Array.isArray(parent) && last.n < parent.length) value = parent[last.n]
  }
  if (value === undefined) return root
  if (to.length === fl && samePrefix(from, to, fl)) return root
  // taking the value out changes what `to` meets when `to` goes through the
  // moved value or into the same array (indexes shift): no dry check then
  const throughFrom = to.length > fl && samePrefix(from, to, fl)
  const sameArray = last.t === 'index' && to.length >= fl && samePrefix(from, to, fl - 1)
  if (to.length > 0 && !throughFrom && !sameArray && !place(root, to, value, true)) return root
  if (last.t === 'key') delete (parent as JsonObject)[last.name]
  else if (last.t === 'index') (parent as JsonValue[]).splice(last.n, 1)
  if (to.length === 0) return value
  if (!place(root, to, value, false)) {
    // put it back (an object key then comes last; only after a skipped dry check)
    if (last.t === 'key') putKey(parent as JsonObject, last.name, value)
    else if (last.t === 'index') (parent as JsonValue[]).splice(last.n, 0, value)
  }
  return root
}

// remove: matches are gathered first, then applied. Array elements are marked
// with GONE and each marked array compacted once, which removes several
// indexes of one array as deleting from the highest down would.
const GONE = Object.freeze({}) as unknown as JsonValue
const scratch: (JsonValue | string | number)[] = []

function remove (root: JsonValue, steps: Steps): void {
  if (steps.length === 0) return
  const hits = scratch
  hits.length = 0
  try {
    collect(root, steps, 0, hits)
  } catch {
    hits.length = 0 // deeper than the stack: leave the document as it is
    return
  }
  for (let i = 0; i < hits.length; i += 2) {
    const c = hits[i] as JsonValue
    const k = hits[i + 1] as string | number
    if (typeof k === 'string') delete (c as JsonObject)[k]
    else (c as JsonValue[])[k] = GONE
  }
  for (let i = 0; i < hits.length; i += 2) {
    const c = hits[i] as JsonValue
    const k = hits[i + 1] as string | number
    if (typeof k === 'number' && (c as JsonValue[])[k] === GONE) compact(c as JsonValue[])
  }
  hits.length = 0
}

function compact (arr: JsonValue[]): void {
  let w = 0
  for (let r = 0; r < arr.length; r++) {
    const v = arr[r]!
    if (v !== GONE) arr[w++] = v
  }
  arr.length = w
}

/** Push [container, key or index] for every value `steps` (from `si` on) matches under `node`. */
function collect (node: JsonValue, steps: Steps, si: number, out: (JsonValue | string | number)[]): void {
  const step = steps[si]!
  const last = si === steps.length - 1
  if (step.t === 'key') {
    if (!isObject(node) || !Object.hasOwn(node, step.name)) return
    if (last) out.push(node, step.name)
    else collect(node[step.name]!, steps, si + 1, out)
  } else if (step.t === 'index') {
    if (!Array.isArray(node) || step.n >= node.length) return
    if (last) out.push(node, step.n)
    else collect(node[step.n]!, steps, si + 1, out)
  } else if (step.t === 'wild') {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        if (last) out.push(node, i)
        else collect(node[i]!, steps, si + 1, out)
      }
    } else if (isObject(node)) {
      for (const k in node) {
        if (last) out.push(node, k)
        else collect(node[k]!, steps, si + 1, out)
      }
    }
  } else {
    collectDesc(node, step.name, steps, si, last, out)
  }
}

/** `..name`: the key `name` on this object or on any object below it. */
function collectDesc (node: JsonValue, name: string, steps: Steps, si: number, last: boolean, out: (JsonValue | string | number)[]): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v = node[i]!
      if (v !== null && typeof v === 'object') collectDesc(v, name, steps, si, last, out)
    }
  } else if (isObject(node)) {
    if (Object.hasOwn(node, name)) {
      if (last) out.push(node, name)
      else collect(node[name]!, steps, si + 1, out)
    }
    for (const k in node) {
      const v = node[k]!
      if (v !== null && typeof v === 'object') collectDesc(v, name, steps, si, last, out)
    }
  }
}

function map (root: JsonValue, steps: Steps, ops: readonly BodyOp[]): void {
  const n = steps.length
  if (n === 0 || ops.length === 0) return
  if (steps[n - 1]!.t === 'wild' && isConcrete(steps, n - 1)) {
    // the usual `$.items[*]`: no gathering
    const container = read(root, steps, n - 1)
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        const el = container[i]!
        const out = applyBodyOps(el, ops)
        if (out !== el) container[i] = out
      }
    } else if (isObject(container)) {
      for (const k in container) {
        const el = container[k]!
        const out = applyBodyOps(el, ops)
        if (out !== el) putKey(container, k, out)
      }
    }
    return
  }
  const hits: (JsonValue | string | number)[] = []
  try {
    collect(root, steps, 0, hits)
  } catch {
    return
  }
  for (let i = 0; i < hits.length; i += 2) {
    const c = hits[i] as JsonValue
    const k = hits[i + 1] as string | number
    if (typeof k === 'string') {
      const el = (c as JsonObject)[k]
      if (el === undefined) continue
      const out = applyBodyOps(el, ops)
      if (out !== el) putKey(c as JsonObject, k, out)
    } else {
      const arr = c as JsonValue[]
      if (k >= arr.length) continue
      const el = arr[k]!
      const out = applyBodyOps(el, ops)
      if (out !== el) arr[k] = out
    }
  }
}

function isConcrete (steps: Steps, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const t = steps[i]!.t
    if (t !== 'key' && t !== 'index') return false
  }
  return true
}

/** Rule values are shared by every call: scalars as they are, containers copied. */
function copyRuleValue (v: JsonValue): JsonValue {
  return v !== null && typeof v === 'object' ? copyJson(v) : v
}

function copyJson (v: JsonValue): JsonValue {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) {
    const out: JsonValue[] = new Array<JsonValue>(v.length)
    for (let i = 0; i < v.length; i++) out[i] = copyJson(v[i]!)
    return out
  }
  const out: JsonObject = {}
  for (const k in v) {
    if (Object.hasOwn(v, k)) putKey(out, k, copyJson(v[k]!))
  }
  return out
}
