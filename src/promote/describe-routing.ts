import type { AuditRouting } from '../store/audit-entry.js'

const share = (n: number): string => `${Number(n.toFixed(2))}%`

/**
 * A routing for people: `serve legacy, shadow orders`, or for weights the
 * share of each side, `orders 10%, legacy 90%` (with `, shadow orders` when
 * it mirrors too).
 */
export function describeRouting (r: Pick<AuditRouting, 'serve' | 'shadow'>): string {
  let out: string
  if (typeof r.serve === 'string') {
    out = `serve ${r.serve}`
  } else {
    const total = Object.values(r.serve).reduce((a, b) => a + b, 0)
    out = Object.entries(r.serve).map(([u, w]) => `${u} ${share(total > 0 ? (w / total) * 100 : 0)}`).join(', ')
  }
  return r.shadow === null ? out : `${out}, shadow ${r.shadow}`
}
