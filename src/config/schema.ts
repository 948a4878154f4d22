/**
 * The rules file as written (DESIGN.md "Rules file"), as a zod schema. Strict: an
 * unknown key is an error. Values come out normalized: durations in ms, sizes in
 * bytes, methods upper case, header names lower case, path patterns parsed.
 * References between keys (upstream names, duplicate route names) are checked in
 * validate.ts, which sees the whole document.
 */
import { z } from 'zod'
import { checkJsonValue } from './json-value-check.js'
import { parseComparePath } from './compare-path.js'
import { parseJsonPath } from './json-path.js'
import { BAD_HEADER_CHAR, parseEnvTemplate } from './env-values.js'
import { editableHeaderName, type RawHeaderEdit } from './header-edit.js'
import { isMapping } from './finding.js'
import { parseDuration } from './duration.js'
import { parsePathPattern } from './path-pattern.js'
import { parseSize } from './size.js'
import { parseUpstreamUrl } from './url.js'
import { squashName } from './sensitive-names.js'
import { methodRefusal } from './http-methods.js'
import type { JsonValue } from './types.js'
import { anyValue, convert, either, HTTP_TOKEN, show, strict } from './zod-helpers.js'
import { routeTransform } from './transform-schema.js'
import { gatesSchema, matchHeaders, matchHost, matchQuery, rolloutSchema } from './flip-schema.js'

const RETRIABLE = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']
export const DEFAULT_FALLBACK_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS']

const notMapping = (v: unknown): boolean => !isMapping(v)

const duration = anyValue('RULES_BAD_DURATION', v => {
  if (typeof v === 'string') return parseDuration(v)
  if (typeof v === 'number') throw new Error(`${v} has no unit: use a unit, e.g. 5s or 500ms`)
  throw new Error(`expected a duration such as 5s or 500ms, got ${show(v)}`)
})
const positiveDuration = convert(duration, 'RULES_INVALID_VALUE', ms => {
  if (ms <= 0) throw new Error('a timeout must be more than 0')
  return ms
})
const size = anyValue('RULES_BAD_SIZE', v => {
  if (typeof v === 'string' || typeof v === 'number') return parseSize(v)
  throw new Error(`expected a size such as 1mb or 512kb, got ${show(v)}`)
})
const upstreamName = z.string().min(1)
const headerName = convert(z.string(), 'RULES_INVALID_VALUE', s => {
  if (!HTTP_TOKEN.test(s)) throw new Error(`${show(s)} is not a header name`)
  return s.toLowerCase()
})
const method = convert(z.string(), 'RULES_UNKNOWN_METHOD', s => {
  if (!HTTP_TOKEN.test(s)) throw new Error(`${show(s)} is not an HTTP method`)
  const upper = s.toUpperCase()
  const refusal = methodRefusal(upper)
  if (refusal !== null) throw new Error(refusal)
  return upper
})
const methods = either(Array.isArray, z.array(method).min(1), method.transform(m => [m]))
  .transform(list => [...new Set(list)])
const jsonPath = convert(z.string(), 'RULES_BAD_JSON_PATH', s => { parseJsonPath(s); return s })
/** a JSON path or one of the other paths records print: $status, $headers['name'], $body */
const comparePath = convert(z.string(), 'RULES_BAD_JSON_PATH', s => { parseComparePath(s); return s })

const headerValue = anyValue('RULES_INVALID_VALUE', v => {
  if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw new Error(`a header value is a string, got ${show(v)}`)
  const text = String(v)
  if (BAD_HEADER_CHAR.test(text)) throw new Error('a header value cannot hold a line break, a control character or a non-latin1 character')
  return parseEnvTemplate(text)
})
const setHeaders = z.record(z.string(), headerValue).transform((rec, ctx) => {
  const out: RawHeaderEdit['set'][number][] = []
  const seen = new Map<string, string>()
  for (const [key, value] of Object.entries(rec)) {
    const fail = (message: string): void => {
      ctx.addIssue({ code: 'custom', message, path: [key], params: { rulesCode: 'RULES_INVALID_VALUE', point: 'key' }, input: key })
    }
    let name: string
    try {
      name = editableHeaderName(key)
    } catch (err) {
      fail((err as Error).message)
      continue
    }
    const earlier = seen.get(name)
    if (earlier !== undefined) { fail(`${show(key)} is the same header as ${show(earlier)}: names are case-insensitive`); continue }
    seen.set(name, key)
    out.push({ name, value })
  }
  return out
})
const headerEdit = strict({
  set: setHeaders.default([]),
  remove: z.array(convert(z.string(), 'RULES_INVALID_VALUE', editableHeaderName)).default([])
}).transform((h, ctx): RawHeaderEdit => {
  h.remove.forEach((name, i) => {
    if (h.set.some(s => s.name === name)) {
      ctx.addIssue({ code: 'custom', message: `${name} is both set and removed: set already replaces every copy the client sent`, path: ['remove', i], params: { rulesCode: 'RULES_INVALID_VALUE' }, input: name })
    }
  })
  return { set: h.set, remove: [...new Set(h.remove)] }
})

const upstream = strict({
  url: convert(z.string(), 'RULES_INVALID_VALUE', s => { parseUpstreamUrl(s); return s }),
  timeout: positiveDuration.default(30_000),
  headers: headerEdit.optional()
})

const topServe = anyValue('RULES_INVALID_VALUE', v => {
  if (typeof v === 'string' && v !== '') return v
  if (v !== null && typeof v === 'object') throw new Error('the top-level serve is a single upstream name; weights belong in a route\'s serve')
  throw new Error(`serve must be an upstream name, got ${show(v)}`)
})

const shadowPolicy = strict({
  sample: z.number().min(0).max(1).default(1),
  timeout: positiveDuration.default(5_000),
  maxConcurrent: z.number().int().positive().default(64),
  maxBodyBytes: size.default(1024 ** 2),
  maxBufferedBytes: size.default(8 * 1024 ** 2),
  correlationEntries: z.number().int().positive().default(100_000),
  calibrate: z.number().min(0).max(1).default(0),
  keepPairs: z.enum(['none', 'mismatches', 'all']).default('mismatches'),
  maxPairsPerMinute: z.number().int().min(0).default(60)
})

const jsonValue = anyValue('RULES_INVALID_VALUE', v => { checkJsonValue(v); return v as JsonValue })

/** `{ path, primary, shadow }`; a side left out is a value absent on that side. */
const acceptRule = strict({
  path: comparePath,
  primary: jsonValue.optional(),
  shadow: jsonValue.optional()
}).superRefine((rule, ctx) => {
  const sides = (['primary', 'shadow'] as const).filter(k => rule[k] !== undefined)
  const issue = (message: string, at: readonly string[] = []): void =>
    ctx.addIssue({ code: 'custom', message, path: [...at], params: { rulesCode: 'RULES_INVALID_VALUE' }, input: rule })
  if (sides.length === 0) { issue('an accepted difference names the primary value, the shadow value or both'); return }
  const kind = parseComparePath(rule.path).kind
  for (const k of sides) {
    const v = rule[k]
    if (kind === 'status' && !(Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599)) issue(`a $status value is a status code such as 200, got ${show(v)}`, [k])
    if (kind === 'header' && typeof v !== 'string' && v !== null) issue(`a header value is a string (null: the header is absent), got ${show(v)}`, [k])
    if (kind === 'body' && typeof v !== 'string') issue(`a $body value is the description a record prints, a string; got ${show(v)}`, [k])
  }
  if (kind === 'status' && sides.length < 2) issue('a $status difference has both a primary and a shadow status')
})

const compare = strict({
  headers: z.array(headerName).optional(),
  ignore: z.array(comparePath).optional(),
  unordered: z.array(jsonPath).optional(),
  tolerance: z.number().min(0).optional(),
  typeOnly: z.array(comparePath).optional(),
  accept: z.array(acceptRule).optional()
})

/** A query parameter name for `redact.query`: compared squashed (sensitive-names.ts). */
const queryName = convert(z.string(), 'RULES_INVALID_VALUE', s => {
  if (s === '' || /[\s&;=#?]/.test(s)) throw new Error(`${show(s)} is not a query parameter name (no spaces, &, ;, =, # or ?)`)
  if (squashName(s) === '') throw new Error(`${show(s)} names nothing once -, _ and . are ignored`)
  return s
})

const redact = strict({
  headers: z.array(headerName).optional(),
  paths: z.array(jsonPath).optional(),
  query: z.array(queryName).optional(),
  keep: z.array(jsonPath).optional()
})

const limits = strict({
  requestBody: size.default(100 * 1024 ** 2),
  headersTimeout: positiveDuration.default(10_000),
  keepAliveTimeout: positiveDuration.default(65_000),
  transformBody: size.default(1024 ** 2)
})

const weight = anyValue('RULES_BAD_WEIGHTS', v => {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v
  throw new Error(`a weight must be a positive number, got ${show(v)}`)
})
const weights = convert(z.record(z.string(), weight), 'RULES_BAD_WEIGHTS', w => {
  if (Object.keys(w).length === 0) throw new Error('serve weights name no upstream; write e.g. { orders: 10, legacy: 90 }')
  return w
})
const routeServe = either(notMapping, upstreamName, weights)

const sticky = convert(z.string(), 'RULES_INVALID_VALUE', s => {
  const m = /^(header|cookie):(.+)$/.exec(s)
  if (m === null) throw new Error(`sticky ${show(s)} must be header:NAME or cookie:NAME`)
  const from = m[1] as 'header' | 'cookie'
  const name = m[2]!
  if (!HTTP_TOKEN.test(name)) throw new Error(`sticky ${show(s)}: ${show(name)} is not a ${from} name`)
  return { from, name: from === 'header' ? name.toLowerCase() : name }
})

const stripPrefix = convert(z.string(), 'RULES_INVALID_VALUE', s => {
  if (!s.startsWith('/')) throw new Error(`stripPrefix ${show(s)} must start with '/'`)
  if (/[?#*{}]/.test(s)) throw new Error(`stripPrefix ${show(s)} is a literal path prefix: no ?, #, * or braces`)
  const prefix = s.replace(/\/+$/, '')
  if (prefix === '') throw new Error('stripPrefix "/" strips nothing')
  return prefix
})

const fallbackMethod = convert(z.string(), 'RULES_INVALID_VALUE', s => {
  const m = s.toUpperCase()
  if (m === 'POST' || m === 'PATCH') throw new Error(`${m} is never retried: not idempotent`)
  if (!RETRIABLE.includes(m)) throw new Error(`${show(s)} is not retried; fallback methods are among ${RETRIABLE.join(', ')}`)
  return m
})
const fallback = either(
  notMapping,
  upstreamName.transform(name => ({ upstream: name, methods: DEFAULT_FALLBACK_METHODS })),
  strict({
    upstream: upstreamName,
    methods: z.array(fallbackMethod).min(1).transform(list => [...new Set(list)]).default([...DEFAULT_FALLBACK_METHODS])
  })
)

const route = strict({
  name: z.string().min(1),
  match: strict({
    method: methods.optional(),
    path: convert(z.string(), 'RULES_BAD_PATH_PATTERN', parsePathPattern),
    headers: matchHeaders.optional(),
    query: matchQuery.optional(),
    host: matchHost.optional()
  }),
  serve: routeServe,
  shadow: upstreamName.optional(),
  shadowWrites: z.boolean().default(false),
  calibrate: z.number().min(0).max(1).optional(),
  keepPairs: z.enum(['none', 'mismatches', 'all']).optional(),
  sticky: sticky.optional(),
  rewrite: strict({ stripPrefix }).optional(),
  fallback: fallback.optional(),
  compare: compare.optional(),
  redact: redact.optional(),
  allowEncodedPaths: z.boolean().default(false),
  transform: routeTransform.optional(),
  gates: gatesSchema.optional(),
  rollout: rolloutSchema.optional()
})

const correlateEntry = strict({
  name: z.string().min(1),
  learn: z.array(jsonPath).min(1),
  routes: z.array(z.string().min(1)).min(1).optional()
})

export const rulesSchema = strict({
  version: z.literal(1),
  upstreams: z.record(z.string().min(1), upstream),
  serve: topServe,
  shadow: shadowPolicy.prefault({}),
  compare: compare.optional(),
  redact: redact.optional(),
  limits: limits.prefault({}),
  correlate: z.array(correlateEntry).default([]),
  gates: gatesSchema.optional(),
  routes: z.array(route).default([])
})

export type RawRules = z.output<typeof rulesSchema>
export type RawRoute = RawRules['routes'][number]
export type RawCompare = z.output<typeof compare>
export type RawRedact = z.output<typeof redact>
