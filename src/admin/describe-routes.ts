import { formatDuration } from '../config/duration.js'
import type { Rules, ServeTarget } from '../config/types.js'
import type { RouteParity } from '../record/parity-tracker.js'
import type { LastFlip } from '../report/last-flip.js'

export interface RouteDescription {
  readonly name: string
  readonly stage: string
  readonly methods: readonly string[] | null
  readonly path: string
  readonly serve: string | Readonly<Record<string, number>>
  readonly shadow: string | null
  readonly fallback: string | null
  readonly parity: RouteParity | null
  /** paths noise calibration found for this route (`shadow.calibrate`), sorted */
  readonly noise: readonly string[]
  /** the route's flip gates (its own merged over the top-level ones); `window` as the rules write it */
  readonly gates: { readonly minPairs: number; readonly parity: number; readonly maxShadowErrors: number; readonly window: string }
  /** its last entry in the audit log (a promote, rollback or rollout step), or null */
  readonly lastFlip: LastFlip | null
}

function serveOf (s: ServeTarget): string | Record<string, number> {
  if (s.kind === 'single') return s.upstream
  return Object.fromEntries(s.targets.map((t) => [t.upstream, t.weight]))
}

/** What GET /routes answers: each route in file order with its stage, live parity, gates and last flip. */
export function describeRoutes (
  rules: Rules,
  parity: (route: string) => RouteParity | null,
  noise: (route: string) => readonly string[] = () => [],
  flips: ReadonlyMap<string, LastFlip> = new Map()
): { default: string; routes: RouteDescription[] } {
  return {
    default: rules.serve,
    routes: rules.routes.map((r) => ({
      name: r.name,
      stage: r.stage,
      methods: r.match.methods,
      path: r.match.path.source,
      serve: serveOf(r.serve),
      shadow: r.shadow,
      fallback: r.fallback?.upstream ?? null,
      parity: parity(r.name),
      noise: noise(r.name),
      gates: { minPairs: r.gates.minPairs, parity: r.gates.parity, maxShadowErrors: r.gates.maxShadowErrors, window: formatDuration(r.gates.windowMs) },
      lastFlip: flips.get(r.name) ?? null
    }))
  }
}
