/**
 * A route's compare config split by the paths records print: `$status`,
 * `$headers['name']`, `$body` and JSON paths (DESIGN "Known differences").
 * Compiled once per (frozen) config object and kept in a WeakMap.
 */
import { parseComparePath } from '../config/compare-path.js'
import type { CompareConfig } from '../config/types.js'
import type { AcceptValues } from './accept-values.js'
import { DEFAULT_MAX_DIFFERENCES, compileDiffOptions, type CompiledDiffOptions, type JsonAcceptRule } from './diff-json.js'

/** What the config says about one of the non-JSON places: the status, a header, the body. */
export interface PlaceRules {
  readonly ignore: boolean
  readonly typeOnly: boolean
  readonly accept: readonly AcceptValues[]
}

export interface CompiledCompare {
  readonly status: PlaceRules
  /** by lower-case header name; absent: nothing special */
  readonly headers: ReadonlyMap<string, PlaceRules>
  readonly body: PlaceRules
  /** the JSON paths, for the structural diff (and the `type` difference at `$`) */
  readonly json: CompiledDiffOptions
}

export const NO_RULES: PlaceRules = Object.freeze({ ignore: false, typeOnly: false, accept: [] })

const cache = new WeakMap<CompareConfig, CompiledCompare>()

/** The config compiled (cached per config object); throws JsonPathSyntaxError on a bad path. */
export function compileCompare (cfg: CompareConfig): CompiledCompare {
  let c = cache.get(cfg)
  if (c === undefined) {
    c = build(cfg)
    cache.set(cfg, c)
  }
  return c
}

interface MutablePlace { ignore: boolean; typeOnly: boolean; accept: AcceptValues[] }

function build (cfg: CompareConfig): CompiledCompare {
  const place = (): MutablePlace => ({ ignore: false, typeOnly: false, accept: [] })
  const status = place()
  const body = place()
  const headers = new Map<string, MutablePlace>()
  const header = (name: string): MutablePlace => {
    let h = headers.get(name)
    if (h === undefined) { h = place(); headers.set(name, h) }
    return h
  }
  const jsonIgnore: string[] = []
  const jsonTypeOnly: string[] = []
  const jsonAccept: JsonAcceptRule[] = []

  for (const source of cfg.ignore) {
    const p = parseComparePath(source)
    if (p.kind === 'status') status.ignore = true
    else if (p.kind === 'header') header(p.name).ignore = true
    else if (p.kind === 'body') body.ignore = true
    else jsonIgnore.push(source)
  }
  for (const source of cfg.typeOnly ?? []) {
    const p = parseComparePath(source)
    if (p.kind === 'status') status.typeOnly = true
    else if (p.kind === 'header') header(p.name).typeOnly = true
    else if (p.kind === 'body') { body.typeOnly = true; jsonTypeOnly.push('$') }
    else jsonTypeOnly.push(source)
  }
  for (const rule of cfg.accept ?? []) {
    const p = parseComparePath(rule.path)
    const values: AcceptValues = sides(rule.primary, rule.shadow)
    if (p.kind === 'status') status.accept.push(values)
    // a header absent on a side is null in the record: null and left out both mean absent
    else if (p.kind === 'header') header(p.name).accept.push(sides(rule.primary ?? undefined, rule.shadow ?? undefined))
    else if (p.kind === 'body') body.accept.push(values)
    else jsonAccept.push({ path: p.path, ...values })
  }
  return {
    status,
    headers,
    body,
    json: compileDiffOptions({
      ignore: jsonIgnore,
      unordered: cfg.unordered,
      tolerance: cfg.tolerance,
      typeOnly: jsonTypeOnly,
      accept: jsonAccept,
      maxDifferences: DEFAULT_MAX_DIFFERENCES
    })
  }
}

/** Only the sides given: a key set to undefined would read as "given". */
function sides (primary: AcceptValues['primary'], shadow: AcceptValues['shadow']): AcceptValues {
  const out: { primary?: AcceptValues['primary']; shadow?: AcceptValues['shadow'] } = {}
  if (primary !== undefined) out.primary = primary
  if (shadow !== undefined) out.shadow = shadow
  return out
}
