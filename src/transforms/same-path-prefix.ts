import type { JsonPathStep } from '../config/json-path.js'

function sameStep (a: JsonPathStep, b: JsonPathStep): boolean {
  if (a.t === 'key') return b.t === 'key' && a.name === b.name
  if (a.t === 'index') return b.t === 'index' && a.n === b.n
  return false
}

/** True when the first `n` steps of `a` and `b` are the same key/index steps (both body-ops engines ask it). */
export function samePrefix (a: readonly JsonPathStep[], b: readonly JsonPathStep[], n: number): boolean {
  if (a.length < n || b.length < n) return false
  for (let i = 0; i < n; i++) if (!sameStep(a[i]!, b[i]!)) return false
  return true
}
