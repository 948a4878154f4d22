import type { ErrorCode } from '../errors.js'

export type PathKey = string | number

/**
 * A problem before it is placed in the file: where it is as a path into the document,
 * and which part of that place to point at (`key` for an unknown key, `parent` for a
 * missing one, else the `value`). problem.ts turns it into a RulesProblem.
 */
export interface Finding {
  readonly severity: 'error' | 'warning'
  readonly code: ErrorCode
  readonly message: string
  readonly path: readonly PathKey[]
  readonly point: 'key' | 'value' | 'parent'
}

/** `routes[2].serve`, `upstreams.legacy.timeout`, `upstreams["my.svc"]`; '' for the document itself. */
export function formatAt (path: readonly PathKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) out += out === '' ? key : `.${key}`
    else out += `[${JSON.stringify(key)}]`
  }
  return out
}

/** The value at `path` in a plain JS document, or undefined. */
export function valueAt (root: unknown, path: readonly PathKey[]): unknown {
  let node = root
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<PathKey, unknown>)[key]
  }
  return node
}

export function isMapping (v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** Longer strings are cut in messages: a whole file read as one scalar is not echoed back. */
const SHOWN_CHARS = 60

/** How a value reads in a message: "ten", 3, null, a list, a mapping; a long string cut, with its length. */
export function describeValue (v: unknown): string {
  if (v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  if (isMapping(v)) return 'a mapping'
  if (typeof v === 'string' && v.length > SHOWN_CHARS) return `${JSON.stringify(v.slice(0, SHOWN_CHARS - 20))}… (a string of ${v.length} characters)`
  return JSON.stringify(v) ?? String(v)
}
