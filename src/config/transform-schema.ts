/**
 * A route's `transform` key (DESIGN.md "Next: Stable interface: transforms"),
 * as a zod schema: keyed by upstream name, each with an optional `request`
 * and `response` part. Paths come out parsed and checked for what can be
 * written (keys and indexes only), status codes as numbers, header names
 * lower case. Checks that need the route (the match's params, the upstreams
 * the route sends to) are in transform-references.ts.
 */
import { z } from 'zod'
import { checkJsonValue } from './json-value-check.js'
import { editableHeaderName } from './header-edit.js'
import { BAD_HEADER_CHAR } from './env-values.js'
import { isMapping } from './finding.js'
import { parseJsonPath, type JsonPath } from './json-path.js'
import type { BodyOp, JsonValue, RequestTransform, ResponseTransform, UpstreamTransform } from './types.js'
import { anyValue, convert, show, strict } from './zod-helpers.js'


const OP_NAMES = ['rename', 'remove', 'set', 'default', 'copy', 'map'] as const

/** A path a value can be read from or written to: `$`, keys and indexes, no wildcard or `..`. */
function concrete (source: string, role: string): JsonPath {
  const p = parseJsonPath(source)
  const bad = p.steps.find((s) => s.t === 'wild' || s.t === 'desc')
  if (bad !== undefined) {
    throw new Error(`${role} ${show(source)} names no single place (${bad.t === 'wild' ? '[*] or .*' : '..'}): use map over the array, with paths relative to its element`)
  }
  return p
}

function sameOrInside (outer: JsonPath, inner: JsonPath): boolean {
  if (inner.steps.length < outer.steps.length) return false
  return outer.steps.every((s, i) => JSON.stringify(s) === JSON.stringify(inner.steps[i]))
}

/** `{from: to, …}` of rename or copy: one op per entry, in order. */
function moves (op: 'rename' | 'copy', v: unknown): BodyOp[] {
  if (!isMapping(v)) throw new Error(`${op} is a mapping of source path to target path, e.g. { "$.customerName": "$.name" }`)
  const out: BodyOp[] = []
  for (const [from, to] of Object.entries(v)) {
    if (typeof to !== 'string') throw new Error(`${op} ${show(from)}: the target is a JSON path string, got ${show(to)}`)
    const f = concrete(from, `${op} source`)
    const t = concrete(to, `${op} target`)
    if (f.steps.length === 0) throw new Error(`${op} cannot move the whole body ($): use set or map`)
    if (op === 'rename' && sameOrInside(f, t)) {
      throw new Error(f.source === t.source || JSON.stringify(f.steps) === JSON.stringify(t.steps)
        ? `rename ${show(from)} onto itself changes nothing`
        : `rename ${show(from)} to ${show(to)}: the target is inside the value being moved, a place that cannot exist once it moves`)
    }
    out.push({ op, from: f, to: t })
  }
  return out
}

/** `{path: value, …}` of set or default. */
function places (op: 'set' | 'default', v: unknown): BodyOp[] {
  if (!isMapping(v)) throw new Error(`${op} is a mapping of path to JSON value, e.g. { "$.apiVersion": 1 }`)
  return Object.entries(v).map(([path, value]) => {
    checkJsonValue(value)
    if (op === 'default' && path === '$') throw new Error('default at $ never applies: a body is always there')
    return { op, path: concrete(path, `${op} path`), value: value as JsonValue }
  })
}

/** One list item: `{ rename: {...} }`, `{ remove: [...] }`, `{ map: { "$.items[*]": [ ... ] } }`, … */
function bodyOps (list: unknown, depth = 0): BodyOp[] {
  if (!Array.isArray(list)) throw new Error(`body is a list of operations (${OP_NAMES.join(', ')}), applied in order`)
  if (depth > 8) throw new Error('map is nested too deeply')
  const out: BodyOp[] = []
  list.forEach((item, i) => {
    const at = (msg: string): Error => new Error(`body[${i}]: ${msg}`)
    if (!isMapping(item) || Object.keys(item).length !== 1) {
      throw at(`each operation is a mapping with one key among ${OP_NAMES.join(', ')}, e.g. - rename: { "$.a": "$.b" }`)
    }
    const [name, v] = Object.entries(item)[0]!
    try {
      switch (name) {
        case 'rename': case 'copy': out.push(...moves(name, v)); break
        case 'set': case 'default': out.push(...places(name, v)); break
        case 'remove': {
          const paths = typeof v === 'string' ? [v] : v
          if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) throw new Error('remove is a list of JSON paths')
          for (const p of paths as string[]) {
            const path = parseJsonPath(p)
            if (path.steps.length === 0) throw new Error('remove $ would leave no body')
            out.push({ op: 'remove', path })
          }
          break
        }
        case 'map': {
          if (!isMapping(v)) throw new Error('map is a mapping of an array path to a list of operations, e.g. { "$.items[*]": [ { rename: { "$.a": "$.b" } } ] }')
          for (const [p, inner] of Object.entries(v)) {
            const path = parseJsonPath(p)
            const last = path.steps[path.steps.length - 1]
            if (last?.t !== 'wild') throw new Error(`map path ${show(p)} ends with [*]: the operations apply to each element`)
            out.push({ op: 'map', path, ops: bodyOps(inner, depth + 1) })
          }
          break
        }
        default: throw new Error(`unknown operation ${show(name)}; known: ${OP_NAMES.join(', ')}`)
      }
    } catch (err) {
      throw at((err as Error).message)
    }
  })
  return out
}

const ops = anyValue('RULES_INVALID_VALUE', (v) => bodyOps(v))

const headerEdits = strict({
  set: anyValue('RULES_INVALID_VALUE', (v) => {
    if (!isMapping(v)) throw new Error('headers.set is a mapping of header name to value')
    const out: string[] = []
    for (const [k, value] of Object.entries(v)) {
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`headers.set ${show(k)}: a header value is a string, got ${show(value)}`)
      const text = String(value)
      if (BAD_HEADER_CHAR.test(text)) throw new Error(`headers.set ${show(k)}: a header value cannot hold a line break, a control character or a non-latin1 character`)
      out.push(editableHeaderName(k), text)
    }
    return out
  }).optional(),
  remove: z.array(convert(z.string(), 'RULES_INVALID_VALUE', editableHeaderName)).optional()
}).transform((h) => ({ set: h.set ?? [], remove: h.remove ?? [] }))

const QUERY_NAME = /^[^&=#\s]+$/
const queryName = convert(z.string(), 'RULES_INVALID_VALUE', (s) => {
  if (!QUERY_NAME.test(s)) throw new Error(`${show(s)} is not a query parameter name`)
  return s
})
const queryPairs = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).transform((rec, ctx) => {
  const out: Array<readonly [string, string]> = []
  for (const [k, v] of Object.entries(rec)) {
    if (!QUERY_NAME.test(k)) {
      ctx.addIssue({ code: 'custom', message: `${show(k)} is not a query parameter name`, path: [k], params: { rulesCode: 'RULES_INVALID_VALUE', point: 'key' }, input: k })
      continue
    }
    out.push([k, String(v)])
  }
  return out
})
const queryEdit = strict({
  rename: queryPairs.optional(),
  remove: z.array(queryName).optional(),
  set: queryPairs.optional()
}).transform((q, ctx) => {
  for (const [from, to] of q.rename ?? []) {
    if (from === to) ctx.addIssue({ code: 'custom', message: `rename ${show(from)} onto itself changes nothing`, path: ['rename', from], params: { rulesCode: 'RULES_INVALID_VALUE' }, input: to })
  }
  return { rename: q.rename ?? [], remove: q.remove ?? [], set: q.set ?? [] }
})

const pathTemplate = convert(z.string(), 'RULES_INVALID_VALUE', (s) => {
  if (!s.startsWith('/')) throw new Error(`path template ${show(s)} starts with '/'`)
  if (/[?#]/.test(s)) throw new Error(`path template ${show(s)}: a query belongs in query.set, a fragment is never sent`)
  const open = (s.match(/\{/g) ?? []).length
  const close = (s.match(/\}/g) ?? []).length
  if (open !== close || /\{[^}]*\{/.test(s)) throw new Error(`path template ${show(s)} has unbalanced braces`)
  for (const m of s.matchAll(/\{([^}]*)\}/g)) {
    if (m[1] !== '**' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(m[1]!)) throw new Error(`path template ${show(s)}: {${m[1]}} is neither a param name nor {**}`)
  }
  return s
})

const requestTransform = strict({
  path: pathTemplate.optional(),
  headers: headerEdits.optional(),
  query: queryEdit.optional(),
  body: ops.optional()
}).transform((r): RequestTransform => ({ path: r.path ?? null, headers: r.headers ?? null, query: r.query ?? null, body: r.body ?? [] }))

const statusCode = (v: unknown, what: string): number => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 200 || n > 599) throw new Error(`${what} ${show(v)} is not a final status code (200 to 599)`)
  return n
}
const statusMap = anyValue('RULES_INVALID_VALUE', (v) => {
  if (!isMapping(v)) throw new Error('status is a mapping of the upstream\'s status to the client\'s, e.g. { 201: 200 }')
  const m: Record<number, number> = {}
  for (const [from, to] of Object.entries(v)) {
    const f = statusCode(from, 'status')
    const t = statusCode(to, `status ${from} maps to`)
    if (f === t) throw new Error(`status ${from} maps onto itself`)
    m[f] = t
  }
  return m
})
const arrayPath = convert(z.string(), 'RULES_BAD_JSON_PATH', (s) => concrete(s, 'arrays path'))

const responseTransform = strict({
  status: statusMap.optional(),
  headers: headerEdits.optional(),
  body: ops.optional(),
  format: z.enum(['xml', 'json']).optional(),
  arrays: z.array(arrayPath).optional()
}).transform((r, ctx): ResponseTransform => {
  if (r.arrays !== undefined && r.format !== 'json' && r.format !== 'xml') {
    ctx.addIssue({ code: 'custom', message: 'arrays says how XML is read: it needs format: json or xml', path: ['arrays'], params: { rulesCode: 'RULES_INVALID_VALUE' }, input: r.arrays })
  }
  return { status: r.status ?? {}, headers: r.headers ?? null, body: r.body ?? [], format: r.format ?? null, arrays: r.arrays ?? [] }
})

/** `transform:` of a route: upstream name -> { request, response }. */
export const routeTransform = z.record(z.string().min(1), strict({
  request: requestTransform.optional(),
  response: responseTransform.optional()
}).transform((t): UpstreamTransform => ({ request: t.request ?? null, response: t.response ?? null })))
