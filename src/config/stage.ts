import type { ServeTarget, Stage } from './types.js'

/**
 * A route's stage (DESIGN.md "Stages of a route"), from its serve and shadow, where
 * `legacy` is the top-level serve: the monolith. A shadow that is the one upstream
 * served mirrors nothing (a request is never mirrored to where it went;
 * RULES_SHADOW_SELF warns), so `serve: X` + `shadow: X` is X's stage without a shadow.
 */
export function deriveStage (serve: ServeTarget, shadow: string | null, legacy: string): Stage {
  if (serve.kind === 'weighted') return 'canary'
  const mirrored = shadow !== null && shadow !== serve.upstream
  if (serve.upstream === legacy) return mirrored ? 'shadowing' : 'legacy'
  return mirrored ? 'verifying' : 'migrated'
}
