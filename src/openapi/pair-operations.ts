import type { Operation, OperationsIndex } from './operations-index.js'

/** The new service's side of a legacy operation, as `init --new-spec` writes it. */
export interface NewSide {
  readonly op: Operation
  /** the new path as a transform template over the legacy route's params (names taken by position); null: the paths are the same */
  readonly path: string | null
  /** the new service's success status and the legacy one it maps to, when they differ: [201, 200] */
  readonly status: readonly [number, number] | null
  /** why part of the transform is left to write by hand */
  readonly note: string | null
}

/**
 * Pair each operation of the monolith's spec with the new service's: the same
 * operationId, else the same method and template. `legacyPath` is the path
 * the legacy route matches (params renamed to valid names, init-rules.ts).
 */
export function pairOperations (legacy: OperationsIndex, next: OperationsIndex, legacyPath: (op: Operation) => string): Map<Operation, NewSide> {
  const byId = new Map<string, Operation>()
  const byShape = new Map<string, Operation>()
  for (const op of next.operations) {
    if (op.operationId !== null && !byId.has(op.operationId)) byId.set(op.operationId, op)
    const key = `${op.method} ${shape(op.template)}`
    if (!byShape.has(key)) byShape.set(key, op)
  }
  const out = new Map<Operation, NewSide>()
  for (const op of legacy.operations) {
    const other = (op.operationId !== null ? byId.get(op.operationId) : undefined) ??
      byShape.get(`${op.method} ${shape(op.template)}`)
    if (other === undefined || other.method !== op.method) continue
    const mine = legacyPath(op)
    const params = [...mine.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!)
    const theirs = [...other.path.matchAll(/\{([^}]*)\}/g)]
    let path: string | null = null
    let note: string | null = null
    if (shape(other.path) !== shape(op.path)) {
      if (theirs.length === params.length) {
        let i = 0
        path = other.path.replace(/\{[^}]*\}/g, () => `{${params[i++]!}}`)
      } else {
        note = `its path ${other.path} has ${theirs.length} param${theirs.length === 1 ? '' : 's'}, ${op.path} has ${params.length}: write transform.request.path by hand`
      }
    }
    const a = success(op)
    const b = success(other)
    out.set(op, { op: other, path, status: a !== null && b !== null && a !== b ? [b, a] : null, note })
  }
  return out
}

/** A path with its params blanked: /users/{id} -> /users/{} */
function shape (path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}')
}

/** The lowest 2xx status an operation declares, or null. */
function success (op: Operation): number | null {
  const codes = op.responses.map((r) => Number(r.status)).filter((n) => n >= 200 && n < 300)
  return codes.length === 0 ? null : Math.min(...codes)
}
