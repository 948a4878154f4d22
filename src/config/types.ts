import type { JsonPath } from './json-path.js'

/**
 * The validated, frozen rules model. Everything past `config/load.ts` reads
 * this shape and never re-checks it: durations are milliseconds, sizes are
 * bytes, header names are lower case, methods upper case, path patterns parsed.
 */

export type Stage = 'legacy' | 'shadowing' | 'canary' | 'migrated' | 'verifying'

export interface UpstreamConfig {
  readonly name: string
  /** The url as written, e.g. http://127.0.0.1:3000/base */
  readonly url: string
  /** scheme://host:port, what an undici pool is keyed by */
  readonly origin: string
  /** path prefix from the url, '' when none (never ends with '/') */
  readonly basePath: string
  /** deadline for the upstream's response headers, and idle limit between body chunks */
  readonly timeoutMs: number
  /** `headers:` set and remove on every request to it, served or mirrored; null when none */
  readonly headers: HeaderEdit | null
}

/**
 * An upstream's `headers:`, compiled at load (config/header-edit.ts). Its
 * JSON form (toJSON) shows the names only: values may come from the
 * environment and are never logged, stored or shown.
 */
export interface HeaderEdit {
  /** flat [name, value, …] appended to the request: lower-case names, `${NAME}` resolved */
  readonly set: readonly string[]
  /** lower-case names dropped from the client's headers first (every copy): the set ones and the removed ones */
  readonly drop: ReadonlySet<string>
  /** the lengths of the dropped names: a header of another length is kept without lower-casing it */
  readonly dropLengths: ReadonlySet<number>
  /** the set names and the removed names as configured (lower-case) */
  readonly setNames: readonly string[]
  readonly removeNames: readonly string[]
}

export interface WeightedTarget {
  readonly upstream: string
  readonly weight: number
}

export type ServeTarget =
  | { readonly kind: 'single'; readonly upstream: string }
  | { readonly kind: 'weighted'; readonly targets: readonly WeightedTarget[]; readonly total: number }

/** One segment of a path pattern. `mixed` is a segment such as `{name}.{ext}` or `v{n}`. */
export type PatternSegment =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'mixed'; readonly source: string; readonly names: readonly string[]; readonly regex: RegExp }

export interface PathPattern {
  /** the pattern as written, e.g. /api/orders/{id} or /api/users/** */
  readonly source: string
  /** segments after the leading '/', without the final '**' */
  readonly segments: readonly PatternSegment[]
  /** true when the pattern ended with '/**': matches the prefix itself and everything below */
  readonly prefix: boolean
}

export interface RouteMatch {
  /** upper-case methods, or null for any method */
  readonly methods: readonly string[] | null
  readonly path: PathPattern
  /** `match.headers`: every one must hold (lower-case names); empty when none */
  readonly headers: readonly ValueCondition[]
  /** `match.query`: every one must hold (names exact); empty when none */
  readonly query: readonly ValueCondition[]
  /** `match.host`: the request's host (port left out) exactly, or any name ending in `suffix`; null = any host */
  readonly host: HostCondition | null
}

/** One `match.headers` or `match.query` entry: the value equals `equals`, or the name is present (or absent). */
export interface ValueCondition {
  readonly name: string
  readonly equals?: string
  readonly present?: boolean
}

export type HostCondition = { readonly exact: string } | { readonly suffix: string }

/** The flip gates (DESIGN.md "Flipping routes"): the top-level `gates`, a route's own merged over them. */
export interface GatesConfig {
  /** pairs (compared + shadow errors) in the window needed before any verdict */
  readonly minPairs: number
  /** matched ÷ compared at or above which a route is ready */
  readonly parity: number
  /** shadow errors ÷ pairs at or below which a route is ready */
  readonly maxShadowErrors: number
  /** how far back the evidence is read */
  readonly windowMs: number
}

/** A route's `rollout`: `to`'s weight raised through `steps` (percent), one step every `everyMs`, while gates hold. */
export interface RolloutConfig {
  readonly to: string
  readonly steps: readonly number[]
  readonly everyMs: number
  /** served error rate (5xx ÷ served) of `to` above which it rolls back; null: not watched */
  readonly rollbackErrorRate: number | null
  /** p99 of `to` above this multiple of the other side's rolls back; null: not watched */
  readonly rollbackP99: number | null
  /** set by the controller when it rolled back (why); a halted rollout does nothing until edited */
  readonly halted: string | null
}

export interface StickyConfig {
  readonly from: 'header' | 'cookie'
  /** header names are lower-cased; cookie names kept as written */
  readonly name: string
}

export interface FallbackConfig {
  readonly upstream: string
  /** upper-case methods that may be retried; GET, HEAD, OPTIONS by default; PUT, DELETE opt-in */
  readonly methods: readonly string[]
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/**
 * A known, accepted difference: at a path matching `path` (see compare-path.ts),
 * primary value `primary` and shadow value `shadow` (deep JSON equality). A key
 * left out stands for a value absent on that side (an `added` or `removed`
 * difference, a missing header).
 */
export interface AcceptRule {
  readonly path: string
  readonly primary?: JsonValue
  readonly shadow?: JsonValue
}

export interface CompareConfig {
  /** lower-case header names compared; all others ignored */
  readonly headers: readonly string[]
  /** paths (JSON paths, or `$status`, `$headers['name']`, `$body`) ignored when comparing */
  readonly ignore: readonly string[]
  /** JSON paths of arrays compared as multisets */
  readonly unordered: readonly string[]
  /** absolute tolerance for numbers; 0 = exact */
  readonly tolerance: number
  /** paths (as `ignore`) compared by presence and JSON type only */
  readonly typeOnly: readonly string[]
  /** known differences: recorded with `accepted: true`, not counted */
  readonly accept: readonly AcceptRule[]
}

export interface RedactConfig {
  /** lower-case header names; always includes authorization, cookie, set-cookie, proxy-authorization */
  readonly headers: readonly string[]
  /** JSON paths whose values are replaced by "[redacted]" */
  readonly paths: readonly string[]
  /**
   * query parameter names whose values are replaced by "[redacted]" in stored
   * urls and the access log: the defaults (config/sensitive-names.ts) and
   * `redact.query`, in squashed form (lower case, no `-`, `_`, `.`)
   */
  readonly query: readonly string[]
  /** JSON paths opted out of the default redaction (secret-named keys, JWT-shaped values) */
  readonly keep: readonly string[]
}

export interface ShadowPolicy {
  readonly sample: number
  readonly timeoutMs: number
  readonly maxConcurrent: number
  readonly maxBodyBytes: number
  /** bytes all mirror answers being read may hold together; past it, readers pause (see shadow/capture-budget) */
  readonly maxBufferedBytes: number
  /** learned correlation pairs kept in memory (LRU) */
  readonly correlationEntries: number
  /** fraction of mirrored GET/HEAD requests also sent a second time to the primary's upstream (noise calibration) */
  readonly calibrate: number
  /** which compared pairs are kept whole beside their records */
  readonly keepPairs: KeepPairs
  /** pairs kept per route per minute, at most */
  readonly maxPairsPerMinute: number
}

/** `none`, `mismatches` (the default) or `all` compared pairs kept whole. */
export type KeepPairs = 'none' | 'mismatches' | 'all'

/** A `correlate` entry: values each side generates for itself, learned from responses at these paths. */
export interface CorrelateConfig {
  readonly name: string
  /** JSON paths (DESIGN subset) in responses; the values at one concrete path on both sides form a pair */
  readonly learn: readonly string[]
  /** learn only from these routes; null = from every shadowed route */
  readonly routes: readonly string[] | null
}

export interface LimitsConfig {
  /** largest request body accepted from a client; larger gets 413 */
  readonly requestBodyBytes: number
  /** time a client has to send a request's headers, from its first byte (or the connection); past it 408 and closed */
  readonly headersTimeoutMs: number
  /** how long an idle keep-alive client connection is kept open */
  readonly keepAliveTimeoutMs: number
  /** largest body a transform buffers to change it; a larger one goes as it came (counted) */
  readonly transformBodyBytes: number
}

export interface RouteConfig {
  readonly name: string
  /** position in the file, 0-based */
  readonly index: number
  /** 1-based line of the route in the rules file, when known */
  readonly line: number | null
  readonly match: RouteMatch
  readonly serve: ServeTarget
  /** upstream that receives the mirror, or null */
  readonly shadow: string | null
  readonly shadowWrites: boolean
  /** noise calibration fraction: the route's `calibrate`, else `shadow.calibrate` */
  readonly calibrate: number
  /** the route's `keepPairs`, else `shadow.keepPairs` */
  readonly keepPairs: KeepPairs
  readonly sticky: StickyConfig | null
  readonly rewrite: { readonly stripPrefix: string | null }
  readonly fallback: FallbackConfig | null
  /** global compare merged with the route's (lists concatenated, scalars replaced) */
  readonly compare: CompareConfig
  /** global redact merged with the route's */
  readonly redact: RedactConfig
  /** double-encoded and Unicode-lookalike path forms are forwarded to this route (path-guard.ts) */
  readonly allowEncodedPaths: boolean
  /** the `correlate` learn paths that apply to this route's pairs (empty: it teaches nothing) */
  readonly learn: readonly string[]
  /** `transform`, keyed by upstream name: applied to requests to that upstream and its responses; empty when none */
  readonly transform: Readonly<Record<string, UpstreamTransform>>
  /** the top-level gates with the route's own `gates` merged over them */
  readonly gates: GatesConfig
  /** `rollout`, or null */
  readonly rollout: RolloutConfig | null
  readonly stage: Stage
}

/**
 * One JSON body operation of a transform, applied in order
 * (transforms/json-body-ops.ts). Paths are the JSONPath subset of
 * config/json-path.ts. Write paths (rename/copy `to`, set, default) and
 * rename/copy `from` are concrete: keys and indexes only. `remove` may use
 * wildcards and `..`. `map` runs its ops on every element of the array at
 * `path` (which ends in `[*]`), with `$` standing for the element.
 */
export type BodyOp =
  | { readonly op: 'rename'; readonly from: JsonPath; readonly to: JsonPath }
  | { readonly op: 'remove'; readonly path: JsonPath }
  | { readonly op: 'set'; readonly path: JsonPath; readonly value: JsonValue }
  | { readonly op: 'default'; readonly path: JsonPath; readonly value: JsonValue }
  | { readonly op: 'copy'; readonly from: JsonPath; readonly to: JsonPath }
  | { readonly op: 'map'; readonly path: JsonPath; readonly ops: readonly BodyOp[] }

/** `transform.UPSTREAM.request`: what is changed in a request sent to that upstream. */
export interface RequestTransform {
  /** the forwarded path, a template over the match's params (`{id}`) and `{**}` (the rest under a `/**` match); null: as routed */
  readonly path: string | null
  readonly headers: { readonly set: readonly string[]; readonly remove: readonly string[] } | null
  /** query parameters: renamed, then removed, then set (names exact) */
  readonly query: { readonly rename: ReadonlyArray<readonly [string, string]>; readonly remove: readonly string[]; readonly set: ReadonlyArray<readonly [string, string]> } | null
  /** JSON request body operations; empty when none */
  readonly body: readonly BodyOp[]
}

/** `transform.UPSTREAM.response`: what is changed in that upstream's answers. */
export interface ResponseTransform {
  /** status code map, e.g. { 201: 200 }; empty when none */
  readonly status: Readonly<Record<number, number>>
  /** headers set (flat [name, value, …], lower-case names) and removed (lower-case names) */
  readonly headers: { readonly set: readonly string[]; readonly remove: readonly string[] } | null
  /** JSON body operations; empty when none */
  readonly body: readonly BodyOp[]
  /** `xml`: answer XML built from the upstream's JSON; `json`: answer JSON read from its XML; null: as it came */
  readonly format: 'xml' | 'json' | null
  /** with `format`: JSON paths of XML elements always read as arrays, even when one element is present */
  readonly arrays: readonly JsonPath[]
}

export interface UpstreamTransform {
  readonly request: RequestTransform | null
  readonly response: ResponseTransform | null
}

export interface Rules {
  readonly version: 1
  /** absolute path of the file the rules came from, or '<inline>' */
  readonly source: string
  readonly upstreams: Readonly<Record<string, UpstreamConfig>>
  /** the default: where a request matching no route goes (the monolith) */
  readonly serve: string
  readonly shadow: ShadowPolicy
  readonly compare: CompareConfig
  readonly redact: RedactConfig
  readonly limits: LimitsConfig
  readonly correlate: readonly CorrelateConfig[]
  /** the top-level `gates` with defaults filled in */
  readonly gates: GatesConfig
  readonly routes: readonly RouteConfig[]
}

/** A problem found while loading rules. Errors block; warnings do not. */
export interface RulesProblem {
  readonly severity: 'error' | 'warning'
  /** stable code from src/errors.ts */
  readonly code: string
  readonly message: string
  /** file path as given by the user */
  readonly file: string
  /** 1-based, when known */
  readonly line: number | null
  readonly column: number | null
  /** the route the problem belongs to, when any */
  readonly route: string | null
  /** dotted location inside the document, e.g. routes[2].serve */
  readonly at: string
}

export type LoadResult =
  | { readonly ok: true; readonly rules: Rules; readonly warnings: readonly RulesProblem[] }
  | { readonly ok: false; readonly errors: readonly RulesProblem[]; readonly warnings: readonly RulesProblem[] }
