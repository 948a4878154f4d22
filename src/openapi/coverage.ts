import type { RouteConfig, Rules, ServeTarget, Stage } from '../config/types.js'
import type { DiffRecord } from '../store/record.js'
import type { Operation, OperationsIndex } from './operations-index.js'
import { hasAudience } from '../routing/match-audience.js'
import { describeAudience } from './describe-audience.js'
import { routeCoversOperation, routeCoversOperationPath, routeOverlapsOperation } from './route-operation-match.js'
import { configuredTransforms, hintTarget, TransformHintCounter, type TransformHints } from './transform-hints.js'

export const STAGES: readonly Stage[] = ['legacy', 'shadowing', 'canary', 'migrated', 'verifying']

/** Comparison counts of one operation's records (those of the route serving it now). */
export interface ParityCounts {
  /** matched + mismatched */
  readonly compared: number
  readonly matched: number
  readonly mismatched: number
  /** shadow errors: not part of parity, counted */
  readonly errors: number
  /** pairs not compared (too large, concurrency, ...): not part of parity, counted */
  readonly skipped: number
  /** records with at least one `contract` difference */
  readonly contractViolations: number
  /** matched ÷ compared, 0..1; null when nothing was compared */
  readonly parity: number | null
}

export interface OperationCoverage {
  readonly method: string
  /** full path (base path + template), what requests carry */
  readonly path: string
  /** the spec's template, as written under `paths` */
  readonly template: string
  readonly operationId: string | null
  readonly tags: readonly string[]
  readonly stage: Stage
  /**
   * the first route that takes every request of the operation (a route with
   * audience conditions takes only some: see `audiences`); null: the default
   * serves it. `stage` and `servedBy` are this route's: what everybody
   * outside the audiences gets.
   */
  readonly route: string | null
  /** who answers clients: an upstream name, or weights like "orders 10 / legacy 90" */
  readonly servedBy: string
  /** earlier routes that take some of its requests (a /users/me before /users/{id}) */
  readonly partial: readonly string[]
  /**
   * earlier routes that take the operation's method and path for an audience
   * only (`match.headers`, `query`, `host`), in file order: a canary for one
   * tenant, say; empty when none
   */
  readonly audiences: readonly AudienceCoverage[]
  /** null when no records were read, or none for this operation */
  readonly parity: ParityCounts | null
  /** the route's transforms, and the ones its mismatches point at */
  readonly transforms: TransformHints
}

/** A route that takes an operation for one audience only. */
export interface AudienceCoverage {
  readonly route: string
  /** its conditions in words: `x-tenant=acme, ?beta=1, host *.example.com` (describe-audience.ts) */
  readonly audience: string
  readonly stage: Stage
  /** who answers that audience: an upstream name, or weights */
  readonly servedBy: string
  /** the records of this route for the operation; null when none */
  readonly parity: ParityCounts | null
}

export interface UnmatchedRoute {
  readonly route: string
  readonly methods: readonly string[] | null
  readonly path: string
  /** 1-based line in the rules file, when known */
  readonly line: number | null
}

export interface CoverageTotals {
  readonly operations: number
  readonly byStage: Readonly<Record<Stage, number>>
  /** operations no route takes any request of */
  readonly defaultOnly: number
  /** records of shadowing operations, summed: the headline's parity */
  readonly shadowing: ParityCounts
  /** records of all operations (of their `route`, not their audience routes), summed */
  readonly all: ParityCounts
}

export interface CoverageReport {
  /** spec file */
  readonly spec: string
  /** rules file */
  readonly rules: string
  readonly defaultUpstream: string
  /** in spec order */
  readonly operations: readonly OperationCoverage[]
  readonly totals: CoverageTotals
  /** routes that match no operation of the spec (stale, or a path outside it) */
  readonly unmatchedRoutes: readonly UnmatchedRoute[]
  /** operations matched by no route at all: served only by the default */
  readonly defaultOnly: readonly OperationCoverage[]
  /** records read from the store; null when none were given */
  readonly records: { readonly read: number; readonly unattributed: number } | null
}

interface MutableCounts { matched: number; mismatched: number; errors: number; skipped: number; contractViolations: number }

/**
 * Each operation of the spec with its stage, the route serving it and its
 * parity. The route serving an operation is the first route (file order, as
 * the proxy matches) whose match covers the operation's method and template;
 * its stage is the operation's; with no such route the default serves it
 * (stage legacy: the default is the monolith). A route with audience
 * conditions before it takes the operation for that audience only: it is
 * listed in `audiences`, and the stage is the one everybody else gets.
 * Records count for an operation when their route is its serving route (or
 * one of its audience routes, counted apart), attributed by the record's
 * `operation` template, else by looking its method and url up in the index.
 */
export async function computeCoverage (rules: Rules, index: OperationsIndex, records?: AsyncIterable<DiffRecord>): Promise<CoverageReport> {
  const placed = index.operations.map(op => place(rules.routes, op))

  const counts = new Map<Operation, MutableCounts>()
  /** by operation position, then audience route name */
  const audienceCounts = new Map<number, Map<string, MutableCounts>>()
  const hints = new Map<Operation, TransformHintCounter>()
  let read = 0
  let unattributed = 0
  if (records !== undefined) {
    const byKey = new Map<string, number>()
    index.operations.forEach((op, i) => {
      byKey.set(`${op.method} ${op.template}`, i)
      byKey.set(`${op.method} ${op.path}`, i)
    })
    const position = new Map(index.operations.map((op, i) => [op, i]))
    for await (const r of records) {
      read++
      // the reader checks only `at` and `route`: older or foreign lines may lack the rest
      const method = typeof r.method === 'string' ? r.method.toUpperCase() : ''
      let i = typeof r.operation === 'string' ? byKey.get(`${method} ${r.operation}`) : undefined
      if (i === undefined && typeof r.url === 'string') {
        const op = index.lookup(method, r.url)
        i = op === null ? undefined : position.get(op)
      }
      if (i === undefined) { unattributed++; continue }
      const op = index.operations[i]!
      let c: MutableCounts | undefined
      if (placed[i]!.route?.name === r.route) {
        c = counts.get(op)
        if (c === undefined) { c = newCounts(); counts.set(op, c) }
      } else if (placed[i]!.audiences.some(a => a.name === r.route)) {
        let byRoute = audienceCounts.get(i)
        if (byRoute === undefined) { byRoute = new Map(); audienceCounts.set(i, byRoute) }
        c = byRoute.get(r.route)
        if (c === undefined) { c = newCounts(); byRoute.set(r.route, c) }
      } else {
        unattributed++
        continue
      }
      switch (r.outcome) {
        case 'match': c.matched++; break
        case 'mismatch': c.mismatched++; break
        case 'shadow-error': c.errors++; break
        case 'skipped': c.skipped++; break
      }
      if (r.outcome === 'mismatch' && placed[i]!.route?.name === r.route && hintTarget(placed[i]!.route) !== null) {
        let h = hints.get(op)
        if (h === undefined) { h = new TransformHintCounter(); hints.set(op, h) }
        h.add(r)
      }
      // findings are in `contract`; records written before it kept them among the differences
      if ((Array.isArray(r.contract) && r.contract.length > 0) || (Array.isArray(r.differences) && r.differences.some(d => d?.kind === 'contract'))) c.contractViolations++
    }
  }

  const operations: OperationCoverage[] = index.operations.map((op, i) => {
    const { route, partial, audiences } = placed[i]!
    const c = counts.get(op)
    const ac = audienceCounts.get(i)
    return {
      method: op.method,
      path: op.path,
      template: op.template,
      operationId: op.operationId,
      tags: op.tags,
      stage: route?.stage ?? 'legacy',
      route: route?.name ?? null,
      servedBy: route === null ? rules.serve : describeServe(route.serve),
      partial,
      audiences: audiences.map(a => {
        const n = ac?.get(a.name)
        return { route: a.name, audience: describeAudience(a.match), stage: a.stage, servedBy: describeServe(a.serve), parity: n === undefined ? null : finish(n) }
      }),
      parity: c === undefined ? null : finish(c),
      transforms: {
        configured: configuredTransforms(route),
        suggested: (hints.get(op)?.hints() ?? []).map((h) => `${hintTarget(route)!}: ${h}`)
      }
    }
  })

  const byStage = Object.fromEntries(STAGES.map(s => [s, 0])) as Record<Stage, number>
  for (const o of operations) byStage[o.stage]++
  const defaultOnly = operations.filter(o => o.route === null && o.partial.length === 0 && o.audiences.length === 0)
  const unmatchedRoutes: UnmatchedRoute[] = rules.routes
    .filter(r => !index.operations.some(op => routeOverlapsOperation(r.match, op)))
    .map(r => ({ route: r.name, methods: r.match.methods, path: r.match.path.source, line: r.line }))

  return {
    spec: index.source,
    rules: rules.source,
    defaultUpstream: rules.serve,
    operations,
    totals: {
      operations: operations.length,
      byStage,
      defaultOnly: defaultOnly.length,
      shadowing: sum(operations.filter(o => o.stage === 'shadowing')),
      all: sum(operations)
    },
    unmatchedRoutes,
    defaultOnly,
    records: records === undefined ? null : { read, unattributed }
  }
}

/** The route serving the operation for everybody, the audience routes before it, and the routes taking part of its paths. */
function place (routes: readonly RouteConfig[], op: Operation): { route: RouteConfig | null; partial: string[]; audiences: RouteConfig[] } {
  const partial: string[] = []
  const audiences: RouteConfig[] = []
  for (const r of routes) {
    if (routeCoversOperation(r.match, op)) return { route: r, partial, audiences }
    if (hasAudience(r.match) && routeCoversOperationPath(r.match, op)) audiences.push(r)
    else if (routeOverlapsOperation(r.match, op)) partial.push(r.name)
  }
  return { route: null, partial, audiences }
}

function newCounts (): MutableCounts {
  return { matched: 0, mismatched: 0, errors: 0, skipped: 0, contractViolations: 0 }
}

function describeServe (serve: ServeTarget): string {
  if (serve.kind === 'single') return serve.upstream
  return serve.targets.map(t => `${t.upstream} ${t.weight}`).join(' / ')
}

function finish (c: MutableCounts): ParityCounts {
  const compared = c.matched + c.mismatched
  return { compared, ...c, parity: compared === 0 ? null : c.matched / compared }
}

function sum (ops: readonly OperationCoverage[]): ParityCounts {
  const c: MutableCounts = { matched: 0, mismatched: 0, errors: 0, skipped: 0, contractViolations: 0 }
  for (const o of ops) {
    if (o.parity === null) continue
    c.matched += o.parity.matched
    c.mismatched += o.parity.mismatched
    c.errors += o.parity.errors
    c.skipped += o.parity.skipped
    c.contractViolations += o.parity.contractViolations
  }
  return finish(c)
}
