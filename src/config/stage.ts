import type { ServeTarget, Stage } from './types.js'

/**
 * A route's stage (DESIGN.md "Stages of a route"), from its serve and shadow, where
 * `legacy` is the top-level serve: the monolith.
 */
export function deriveStage (serve: ServeTarget, shadow: string | null, legacy: string): Stage {
  if (serve.kind === 'weighted') return 'canary'
  if (serve.upstream === legacy) return shadow === null ? 'legacy' : 'shadowing'
  return shadow === null ? 'migrated' : 'verifying'
}
