import type { OpenAPIV2, OpenAPIV3 } from 'openapi-types'
import { mediaType } from '../compare/body-kind.js'
import type { PathPattern, PatternSegment } from '../config/types.js'
import type { LoadedSpec, SpecVersion } from './load-spec.js'
import { escapePointer } from './json-pointer.js'
import { parseTemplate, segmentShape } from './path-template.js'

/** One media type a response declares, with its schema (dereferenced) or null. */
export interface ResponseMedia {
  /** lower case, without parameters: application/json, application/*, *\/* */
  readonly type: string
  readonly schema: object | null
  /** JSON pointer of the schema in the spec, e.g. #/paths/~1users/get/responses/200/content/application~1json/schema */
  readonly pointer: string
}

export interface OperationResponse {
  /** as written: '200', '2XX' (any case in the spec, upper-cased here), 'default' */
  readonly status: string
  readonly media: readonly ResponseMedia[]
}

export interface Operation {
  /** upper case */
  readonly method: string
  /** the key under `paths`, as written: /users/{id} */
  readonly template: string
  /** base path + template: the path a request carries, /api/v1/users/{id} */
  readonly path: string
  /** `path` parsed like a rules pattern */
  readonly pattern: PathPattern
  readonly operationId: string | null
  readonly tags: readonly string[]
  readonly summary: string | null
  /** JSON pointer of the operation: #/paths/~1users~1{id}/get */
  readonly pointer: string
  readonly responses: readonly OperationResponse[]
}

export interface OperationsIndex {
  /** absolute path of the spec file */
  readonly source: string
  readonly version: SpecVersion
  /** the document's base path ('' or /api/v1); see buildOperationsIndex */
  readonly basePath: string
  /** in spec order */
  readonly operations: readonly Operation[]
  /**
   * The operation a request is for, or null. `concretePath` may carry a query
   * string (ignored). Static segments beat mixed ones (`{name}.json`), which beat
   * parameters: /users/me finds `/users/me` before `/users/{id}`. HEAD falls back
   * to GET. Cost grows with the path's length, not the number of operations.
   */
  lookup (method: string, concretePath: string): Operation | null
}

export interface OperationsIndexOptions {
  /** overrides the base path taken from the document */
  readonly basePath?: string
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

/**
 * Index every (method, path template) of a loaded spec.
 *
 * Base path: requests reaching the proxy carry the server's path prefix, so
 * each operation's `path` is prefixed with it: Swagger 2.0 `basePath`; for
 * OpenAPI 3 the path of the first `servers` url (server variables replaced by
 * their defaults; an operation's or path item's own `servers` win over the
 * document's). A server url with only a host (https://api.example.com) adds
 * nothing. `options.basePath` overrides the document's.
 */
export function buildOperationsIndex (spec: LoadedSpec, options: OperationsIndexOptions = {}): OperationsIndex {
  const doc = spec.document as unknown as Record<string, unknown>
  const docBase = options.basePath !== undefined ? normalizeBase(options.basePath) : documentBasePath(spec)
  const paths = (doc.paths ?? {}) as Record<string, Record<string, unknown> | undefined>
  const operations: Operation[] = []
  const trie = newNode()
  for (const [template, item] of Object.entries(paths)) {
    if (item === null || typeof item !== 'object') continue
    for (const m of METHODS) {
      const op = item[m] as Record<string, unknown> | undefined
      if (op === undefined || op === null || typeof op !== 'object') continue
      const base = options.basePath !== undefined || spec.version === 'swagger2'
        ? docBase
        : serversBase(op.servers) ?? serversBase(item.servers) ?? docBase
      const path = joinPath(base, template)
      const pointer = `#/paths/${escapePointer(template)}/${m}`
      const operation: Operation = {
        method: m.toUpperCase(),
        template,
        path,
        pattern: parseTemplate(path),
        operationId: typeof op.operationId === 'string' && op.operationId !== '' ? op.operationId : null,
        tags: Array.isArray(op.tags) ? op.tags.filter((t): t is string => typeof t === 'string') : [],
        summary: typeof op.summary === 'string' ? op.summary : null,
        pointer,
        responses: responsesOf(spec, op, pointer)
      }
      operations.push(operation)
      insert(trie, operation)
    }
  }
  return {
    source: spec.file,
    version: spec.version,
    basePath: docBase,
    operations,
    lookup (method, concretePath) {
      const q = concretePath.indexOf('?')
      const p = q === -1 ? concretePath : concretePath.slice(0, q)
      const segs = p === '/' || p === '' ? [] : p.slice(p.startsWith('/') ? 1 : 0).split('/')
      const m = method.toUpperCase()
      return find(trie, segs, 0, m) ?? (m === 'HEAD' ? find(trie, segs, 0, 'GET') : null)
    }
  }
}

// ---- the lookup trie -------------------------------------------------------

interface TrieNode {
  readonly statics: Map<string, TrieNode>
  /** segments mixing literals and parameters, by source ({name}.json) */
  readonly mixed: Array<{ readonly seg: Extract<PatternSegment, { kind: 'mixed' }>; readonly node: TrieNode }>
  param: TrieNode | null
  /** operations ending here, by method; the first one declared wins */
  readonly ops: Map<string, Operation>
}

function newNode (): TrieNode {
  return { statics: new Map(), mixed: [], param: null, ops: new Map() }
}

function insert (root: TrieNode, op: Operation): void {
  let node = root
  for (const seg of op.pattern.segments) {
    if (seg.kind === 'static') {
      let next = node.statics.get(seg.value)
      if (next === undefined) { next = newNode(); node.statics.set(seg.value, next) }
      node = next
    } else if (seg.kind === 'param') {
      node.param ??= newNode()
      node = node.param
    } else {
      const shape = segmentShape(seg.source)
      let entry = node.mixed.find(e => segmentShape(e.seg.source) === shape)
      if (entry === undefined) {
        entry = { seg, node: newNode() }
        node.mixed.push(entry)
        // more literal text first: {name}.tar.gz before {name}.{ext}
        node.mixed.sort((a, b) => literalLength(b.seg.source) - literalLength(a.seg.source))
      }
      node = entry.node
    }
  }
  if (!node.ops.has(op.method)) node.ops.set(op.method, op)
}

function literalLength (source: string): number {
  return source.replace(/\{[^}]*\}/g, '').length
}

function find (node: TrieNode, segs: readonly string[], i: number, method: string): Operation | null {
  if (i === segs.length) return node.ops.get(method) ?? null
  const s = segs[i]!
  const stat = node.statics.get(s)
  if (stat !== undefined) {
    const hit = find(stat, segs, i + 1, method)
    if (hit !== null) return hit
  }
  if (s === '') return null
  for (const { seg, node: next } of node.mixed) {
    if (seg.regex.test(s)) {
      const hit = find(next, segs, i + 1, method)
      if (hit !== null) return hit
    }
  }
  if (node.param !== null) return find(node.param, segs, i + 1, method)
  return null
}

// ---- responses -------------------------------------------------------------

function responsesOf (spec: LoadedSpec, op: Record<string, unknown>, opPointer: string): OperationResponse[] {
  const responses = (op.responses ?? {}) as Record<string, unknown>
  const out: OperationResponse[] = []
  for (const [rawStatus, response] of Object.entries(responses)) {
    if (rawStatus.startsWith('x-') || response === null || typeof response !== 'object') continue
    const status = rawStatus === 'default' ? 'default' : rawStatus.toUpperCase()
    const rPointer = `${opPointer}/responses/${escapePointer(rawStatus)}`
    const media: ResponseMedia[] = []
    if (spec.version === 'swagger2') {
      const r = response as OpenAPIV2.ResponseObject
      const doc = spec.document
      const produces = (op.produces as string[] | undefined) ?? doc.produces ?? ['application/json']
      for (const type of produces) {
        media.push({ type: mediaType(type), schema: (r.schema as object | undefined) ?? null, pointer: `${rPointer}/schema` })
      }
    } else {
      const content = (response as OpenAPIV3.ResponseObject).content ?? {}
      for (const [type, m] of Object.entries(content)) {
        const schema = (m as OpenAPIV3.MediaTypeObject | undefined)?.schema
        media.push({ type: mediaType(type), schema: (schema as object | undefined) ?? null, pointer: `${rPointer}/content/${escapePointer(type)}/schema` })
      }
    }
    out.push({ status, media })
  }
  return out
}

// ---- base paths ------------------------------------------------------------

function documentBasePath (spec: LoadedSpec): string {
  if (spec.version === 'swagger2') return normalizeBase(spec.document.basePath ?? '')
  return serversBase((spec.document as { servers?: unknown }).servers) ?? ''
}

function serversBase (servers: unknown): string | null {
  if (!Array.isArray(servers) || servers.length === 0) return null
  const server = servers[0] as { url?: unknown; variables?: Record<string, { default?: unknown }> }
  if (typeof server?.url !== 'string') return null
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => String(server.variables?.[name]?.default ?? ''))
  let path: string
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(url)
  if (scheme !== null || url.startsWith('//')) {
    try {
      path = new URL(url, 'http://placeholder').pathname
    } catch {
      return ''
    }
  } else {
    path = url.split(/[?#]/)[0] ?? ''
  }
  return normalizeBase(path)
}

function normalizeBase (base: string): string {
  let b = base.trim()
  if (b === '' || b === '/') return ''
  if (!b.startsWith('/')) b = '/' + b
  return b.replace(/\/+$/, '')
}

function joinPath (base: string, template: string): string {
  const t = template.startsWith('/') ? template : '/' + template
  if (base === '') return t
  return t === '/' ? base : base + t
}
