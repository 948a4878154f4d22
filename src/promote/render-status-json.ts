/**
 * `strangler status --format json`: a stable, versioned document (`v`).
 * Fields are only ever added within a version; renaming or removing one
 * bumps `v`. The schema is in README ("Status board").
 */
import { lastFlipJson } from '../report/render-json.js'
import type { StatusBoard, StatusRow } from './status-board.js'
import { headlineText } from './status-headline.js'

function rowJson (r: StatusRow): Record<string, unknown> {
  return {
    route: r.route,
    stage: r.stage,
    serving: r.serving,
    serve: typeof r.serve === 'string' ? r.serve : { ...r.serve },
    shadow: r.shadow,
    parity: r.parity,
    pairs: r.pairs,
    compared: r.compared,
    matched: r.matched,
    errors: r.errors,
    errorRate: r.errorRate,
    verdict: r.verdict,
    gates: { ...r.gates },
    heldBy: r.heldBy === null ? null : { ...r.heldBy },
    next: { action: r.next.action, says: r.next.says, command: r.next.command, gated: r.next.gated },
    rollout: r.rollout === null ? null : { ...r.rollout, steps: [...r.rollout.steps] },
    lastFlip: r.lastFlip === null ? null : lastFlipJson(r.lastFlip)
  }
}

/** The board as the JSON document of version 1 (an object; see renderStatusJson for the text). */
export function toStatusJson (board: StatusBoard): Record<string, unknown> {
  const h = board.headline
  return {
    v: board.v,
    generatedAt: board.generatedAt,
    rules: board.rules,
    store: board.store,
    headline: {
      text: headlineText(h),
      routes: h.routes,
      migrated: h.migrated,
      verifying: h.verifying,
      share: h.share,
      canary: h.canary,
      canaryWeights: h.canaryWeights.map(w => ({ ...w })),
      shadowing: h.shadowing,
      shadowingReady: h.shadowingReady,
      legacy: h.legacy,
      operations: h.operations === null ? null : { ...h.operations, byStage: { ...h.operations.byStage } }
    },
    routes: board.routes.map(rowJson)
  }
}

export function renderStatusJson (board: StatusBoard): string {
  return JSON.stringify(toStatusJson(board), null, 2) + '\n'
}
