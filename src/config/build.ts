import type { Env } from './env-values.js'
import { compileHeaderEdit } from './header-edit.js'
import { mergeCompare, mergeRedact } from './merge.js'
import type { RawRoute, RawRules } from './schema.js'
import { deriveStage } from './stage.js'
import type { GatesConfig, RolloutConfig, RouteConfig, Rules, ServeTarget, UpstreamConfig } from './types.js'
import { DEFAULT_GATES } from './flip-schema.js'
import { parseUpstreamUrl } from './url.js'

/**
 * The Rules model from a document the schema accepted and the references checked.
 * `lineOf(i)` is the line of route i in the file; `env` gives the `${NAME}`
 * values (checked beforehand). Not frozen here (see freeze.ts).
 */
export function buildRules (doc: RawRules, source: string, lineOf: (index: number) => number | null, env: Env): Rules {
  return {
    version: 1,
    source,
    upstreams: Object.fromEntries(Object.entries(doc.upstreams).map(([name, u]) => [name, buildUpstream(name, u, env)])),
    serve: doc.serve,
    shadow: { sample: doc.shadow.sample, timeoutMs: doc.shadow.timeout, maxConcurrent: doc.shadow.maxConcurrent, maxBodyBytes: doc.shadow.maxBodyBytes, maxBufferedBytes: doc.shadow.maxBufferedBytes, correlationEntries: doc.shadow.correlationEntries, calibrate: doc.shadow.calibrate, keepPairs: doc.shadow.keepPairs, maxPairsPerMinute: doc.shadow.maxPairsPerMinute },
    compare: mergeCompare(doc.compare, undefined),
    redact: mergeRedact(doc.redact, undefined),
    limits: { requestBodyBytes: doc.limits.requestBody, headersTimeoutMs: doc.limits.headersTimeout, keepAliveTimeoutMs: doc.limits.keepAliveTimeout, transformBodyBytes: doc.limits.transformBody },
    correlate: doc.correlate.map((c) => ({ name: c.name, learn: [...c.learn], routes: c.routes === undefined ? null : [...c.routes] })),
    gates: mergeGates(DEFAULT_GATES, doc.gates),
    routes: doc.routes.map((r, i) => buildRoute(doc, r, i, lineOf(i)))
  }
}

function buildUpstream (name: string, u: RawRules['upstreams'][string], env: Env): UpstreamConfig {
  const { origin, basePath } = parseUpstreamUrl(u.url)
  return { name, url: u.url, origin, basePath, timeoutMs: u.timeout, headers: compileHeaderEdit(u.headers, env) }
}

function buildRoute (doc: RawRules, r: RawRoute, index: number, line: number | null): RouteConfig {
  const serve = buildServe(r.serve)
  const shadow = r.shadow ?? null
  return {
    name: r.name,
    index,
    line,
    match: { methods: r.match.method ?? null, path: r.match.path, headers: r.match.headers ?? [], query: r.match.query ?? [], host: r.match.host ?? null },
    serve,
    shadow,
    shadowWrites: r.shadowWrites,
    calibrate: r.calibrate ?? doc.shadow.calibrate,
    keepPairs: r.keepPairs ?? doc.shadow.keepPairs,
    sticky: r.sticky ?? null,
    rewrite: { stripPrefix: r.rewrite?.stripPrefix ?? null },
    fallback: r.fallback === undefined ? null : { upstream: r.fallback.upstream, methods: [...r.fallback.methods] },
    compare: mergeCompare(doc.compare, r.compare),
    redact: mergeRedact(doc.redact, r.redact, setHeaderNames(doc, serve, shadow, r.fallback?.upstream)),
    allowEncodedPaths: r.allowEncodedPaths,
    learn: learnPathsOf(doc, r.name),
    transform: r.transform ?? {},
    gates: mergeGates(mergeGates(DEFAULT_GATES, doc.gates), r.gates),
    rollout: r.rollout === undefined ? null : buildRollout(r.rollout),
    stage: deriveStage(serve, shadow, doc.serve)
  }
}

/**
 * The names `headers.set` gives on the upstreams a route sends to (served,
 * mirrored, fallback): redacted in its records like authorization, since an
 * upstream may echo them back.
 */
function setHeaderNames (doc: RawRules, serve: ServeTarget, shadow: string | null, fallback: string | undefined): string[] {
  const names = serve.kind === 'single' ? [serve.upstream] : serve.targets.map(t => t.upstream)
  if (shadow !== null) names.push(shadow)
  if (fallback !== undefined) names.push(fallback)
  return names.flatMap(n => doc.upstreams[n]?.headers?.set.map(s => s.name) ?? [])
}

function buildServe (serve: RawRoute['serve']): ServeTarget {
  if (typeof serve === 'string') return { kind: 'single', upstream: serve }
  const targets = Object.entries(serve).map(([upstream, weight]) => ({ upstream, weight }))
  return { kind: 'weighted', targets, total: targets.reduce((sum, t) => sum + t.weight, 0) }
}

/** The learn paths of every `correlate` entry that learns from this route (deduplicated). */
function learnPathsOf (doc: RawRules, route: string): string[] {
  const paths = doc.correlate.filter((c) => c.routes === undefined || c.routes.includes(route)).flatMap((c) => c.learn)
  return [...new Set(paths)]
}

/** Gates as written (any key may be missing) merged over `base`. */
function mergeGates (base: GatesConfig, raw: RawRules['gates']): GatesConfig {
  if (raw === undefined) return base
  return {
    minPairs: raw.minPairs ?? base.minPairs,
    parity: raw.parity ?? base.parity,
    maxShadowErrors: raw.maxShadowErrors ?? base.maxShadowErrors,
    windowMs: raw.window ?? base.windowMs
  }
}

function buildRollout (r: NonNullable<RawRoute['rollout']>): RolloutConfig {
  return {
    to: r.to,
    steps: [...r.steps],
    everyMs: r.every,
    rollbackErrorRate: r.rollbackOn.errorRate ?? null,
    rollbackP99: r.rollbackOn.p99 ?? null,
    halted: r.halted ?? null
  }
}
