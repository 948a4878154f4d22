/**
 * A route's last entry in the audit log (a promote, a rollback, a rollout
 * step or a rollout's rollback), as reports, `status` and the admin's
 * /routes show it. Audit lines are read back as parsed JSON: every field is
 * checked before it is used.
 */
import type { AuditAction, AuditEntry, AuditRouting } from '../store/audit-entry.js'
import { describeServing } from './describe-serving.js'

export interface LastFlip {
  /** when (ISO) */
  readonly at: string
  readonly by: string
  readonly action: AuditAction
  readonly from: AuditRouting
  readonly to: AuditRouting
  /** a gate failed and `--force` went past it */
  readonly forced: boolean
  readonly reason: string | null
}

const ACTIONS: readonly string[] = ['promote', 'rollback', 'rollout-step', 'rollout-rollback']
const STAGES: readonly string[] = ['legacy', 'shadowing', 'canary', 'migrated', 'verifying']

function routingOf (v: unknown): AuditRouting | null {
  if (v === null || typeof v !== 'object') return null
  const r = v as Record<string, unknown>
  if (typeof r.stage !== 'string' || !STAGES.includes(r.stage)) return null
  let serve: AuditRouting['serve']
  if (typeof r.serve === 'string') serve = r.serve
  else if (r.serve !== null && typeof r.serve === 'object' && Object.values(r.serve).every(w => typeof w === 'number' && Number.isFinite(w))) serve = { ...(r.serve as Record<string, number>) }
  else return null
  return { stage: r.stage as AuditRouting['stage'], serve, shadow: typeof r.shadow === 'string' ? r.shadow : null }
}

/** The entry as a LastFlip, or null when the line does not have an audit entry's shape. */
export function lastFlipOf (e: AuditEntry): LastFlip | null {
  const raw = e as unknown as Record<string, unknown>
  if (typeof raw.action !== 'string' || !ACTIONS.includes(raw.action)) return null
  const from = routingOf(raw.from)
  const to = routingOf(raw.to)
  if (from === null || to === null || typeof raw.at !== 'string') return null
  return {
    at: raw.at,
    by: typeof raw.by === 'string' ? raw.by : '(unknown)',
    action: raw.action as AuditAction,
    from,
    to,
    forced: raw.forced === true,
    reason: typeof raw.reason === 'string' && raw.reason !== '' ? raw.reason : null
  }
}

/**
 * The last entry of each route in an audit log read oldest first. Memory is
 * one entry per route name; with `routes`, only those names are kept (the
 * routes of the rules in force).
 */
export async function lastFlips (entries: AsyncIterable<AuditEntry>, routes?: ReadonlySet<string>): Promise<Map<string, LastFlip>> {
  const out = new Map<string, LastFlip>()
  for await (const e of entries) {
    if (routes !== undefined && !routes.has(e.route)) continue
    const flip = lastFlipOf(e)
    if (flip !== null) out.set(e.route, flip)
  }
  return out
}

/** `shadowing → canary (orders 10% · legacy 90%)`: the stages, and the new serving when it is weighted. */
export function describeFlipMove (f: LastFlip): string {
  const to = typeof f.to.serve === 'string' ? '' : ` (${describeServing(f.to.serve)})`
  const shadow = f.to.stage === f.from.stage && f.to.shadow !== f.from.shadow ? `, shadow ${f.from.shadow ?? 'none'} → ${f.to.shadow ?? 'none'}` : ''
  return `${f.from.stage} → ${f.to.stage}${to}${shadow}`
}

/** `2026-11-21T10:00:00.000Z promote by alice: shadowing → canary (orders 10% · legacy 90%), forced: "why"` */
export function describeFlip (f: LastFlip): string {
  const forced = f.forced ? `, forced${f.reason !== null ? `: ${JSON.stringify(f.reason)}` : ''}` : f.reason !== null ? ` (${JSON.stringify(f.reason)})` : ''
  return `${f.at} ${f.action} by ${f.by}: ${describeFlipMove(f)}${forced}`
}
