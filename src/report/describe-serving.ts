/** Who answers a route's clients: one upstream, or weights by upstream (the audit log's and admin's form). */
export type Serving = string | Readonly<Record<string, number>>

/** A weight as a percentage of the total, to at most one decimal: `10%`, `33.3%`. */
function percentOf (weight: number, total: number): string {
  const p = total > 0 ? Math.round((weight / total) * 1000) / 10 : 0
  return `${p}%`
}

/** `legacy`; `orders 10% · legacy 90%` (weights as shares of their total, in the file's order). */
export function describeServing (serving: Serving): string {
  if (typeof serving === 'string') return serving
  const entries = Object.entries(serving)
  const total = entries.reduce((sum, [, w]) => sum + w, 0)
  return entries.map(([upstream, w]) => `${upstream} ${percentOf(w, total)}`).join(' · ')
}
