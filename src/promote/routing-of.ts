import type { RouteConfig } from '../config/types.js'
import type { AuditRouting } from '../store/audit-entry.js'

/** A route's routing as the audit log keeps it: its stage, `serve` (one upstream, or weights in file order) and `shadow`. */
export function routingOf (route: RouteConfig): AuditRouting {
  const serve = route.serve.kind === 'single'
    ? route.serve.upstream
    : Object.fromEntries(route.serve.targets.map((t) => [t.upstream, t.weight]))
  return { stage: route.stage, serve, shadow: route.shadow }
}
