/**
 * A route's transform for one upstream, compiled once from the frozen rules
 * (config/transform-schema.ts) into what the forwarder and the mirror run per
 * request. Compiled lazily per UpstreamTransform object and cached: a reload
 * brings new rule objects, so the new table gets its own.
 */
import type { HeaderEdit, RequestTransform, RouteConfig, UpstreamTransform } from '../config/types.js'
import { editHeaders } from '../upstream/edit-headers.js'
import type { BodyPlan } from './body-codec.js'
import { compilePathTemplate, fillPathTemplate, type PathTemplate } from './path-template.js'
import { editQuery } from './query-edit.js'

export interface CompiledRequest {
  readonly template: PathTemplate | null
  readonly query: RequestTransform['query']
  readonly headers: HeaderEdit | null
  /** JSON body operations (empty: the body goes as it came) */
  readonly body: BodyPlan | null
}

export interface CompiledResponse {
  readonly status: Readonly<Record<number, number>>
  /** names removed, and [name, value, …] set, lower case */
  readonly remove: ReadonlySet<string>
  readonly set: readonly string[]
  /** null: the body streams as it came */
  readonly body: BodyPlan | null
}

export interface CompiledTransform {
  readonly request: CompiledRequest | null
  readonly response: CompiledResponse | null
}

const cache = new WeakMap<UpstreamTransform, CompiledTransform>()

/** The compiled transform of `route` for requests to `upstream`, or null when it has none. */
export function transformFor (route: RouteConfig | null, upstream: string): CompiledTransform | null {
  if (route === null) return null
  const t = route.transform[upstream]
  if (t === undefined) return null
  let c = cache.get(t)
  if (c === undefined) {
    c = compile(t)
    cache.set(t, c)
  }
  return c
}

function compile (t: UpstreamTransform): CompiledTransform {
  const req = t.request
  const res = t.response
  return {
    request: req === null
      ? null
      : {
          template: req.path === null ? null : compilePathTemplate(req.path),
          query: req.query,
          headers: req.headers === null ? null : headerEdit(req.headers.set, req.headers.remove),
          body: req.body.length === 0 ? null : { ops: req.body, format: null, arrays: [] }
        },
    response: res === null
      ? null
      : {
          status: res.status,
          remove: new Set(res.headers?.remove ?? []),
          set: res.headers?.set ?? [],
          body: res.body.length === 0 && res.format === null ? null : { ops: res.body, format: res.format, arrays: res.arrays }
        }
  }
}

function headerEdit (set: readonly string[], remove: readonly string[]): HeaderEdit {
  const setNames: string[] = []
  for (let i = 0; i < set.length; i += 2) setNames.push(set[i]!)
  const drop = [...new Set([...setNames, ...remove])]
  return { set, drop: new Set(drop), dropLengths: new Set(drop.map((n) => n.length)), setNames, removeNames: [...remove] }
}

/** The path sent upstream (before its base path): the template filled, or `routed` (stripPrefix applied) without one. */
export function requestPath (req: CompiledRequest, route: RouteConfig, path: string, routed: string): string {
  return req.template === null ? routed : fillPathTemplate(req.template, route.match.path, path)
}

export function requestQuery (req: CompiledRequest, query: string): string {
  return req.query === null ? query : editQuery(query, req.query)
}

export function requestHeaders (req: CompiledRequest, headers: string[]): string[] {
  return req.headers === null ? headers : editHeaders(headers, req.headers)
}

/** The status a client gets for `status`. */
export function responseStatus (res: CompiledResponse, status: number): number {
  return res.status[status] ?? status
}

/** A response header list (flat, lower-case names) with the transform's removes and sets. */
export function responseHeaders (res: CompiledResponse, list: readonly string[]): string[] {
  const out: string[] = []
  const { remove, set } = res
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!
    if (remove.has(name)) continue
    if (set.length > 0 && setsName(set, name)) continue
    out.push(name, list[i + 1]!)
  }
  for (let i = 0; i < set.length; i++) out.push(set[i]!)
  return out
}

function setsName (set: readonly string[], name: string): boolean {
  for (let i = 0; i < set.length; i += 2) if (set[i] === name) return true
  return false
}

/** A header list with every copy of `name` replaced by one `value` (null: removed). */
export function replaceHeader (list: readonly string[], name: string, value: string | null): string[] {
  const out: string[] = []
  for (let i = 0; i < list.length; i += 2) {
    const n = list[i]!
    if (n.length === name.length && n.toLowerCase() === name) continue
    out.push(n, list[i + 1]!)
  }
  if (value !== null) out.push(name, value)
  return out
}

/** The first value of `name` in a flat list (names compared lower-case). */
export function headerOf (list: readonly string[], name: string): string | undefined {
  for (let i = 0; i < list.length; i += 2) {
    const n = list[i]!
    if (n.length === name.length && n.toLowerCase() === name) return list[i + 1]
  }
  return undefined
}
