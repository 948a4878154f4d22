import type { Rules, ServeTarget } from '../config/types.js'
import type { RouteParity } from '../record/parity-tracker.js'

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
}

function serveOf (s: ServeTarget): string | Record<string, number> {
  if (s.kind === 'single') return s.upstream
  return Object.fromEntries(s.targets.map((t) => [t.upstream, t.weight]))
}

/** What GET /routes answers: each route in file order with its stage and live parity. */
export function describeRoutes (rules: Rules, parity: (route: string) => RouteParity | null, noise: (route: string) => readonly string[] = () => []): { default: string; routes: RouteDescription[] } {
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
      noise: noise(r.name)
    }))
  }
}
