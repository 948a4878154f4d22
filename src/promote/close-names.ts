import { editDistance } from '../config/suggest.js'

/**
 * The names of `names` close to `name` (a typo, a missing or extra word
 * part), closest first, at most `max`: within an edit distance of a third of
 * the name (at least 2), or containing it, or contained in it.
 */
export function closeNames (name: string, names: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3))
  const lower = name.toLowerCase()
  return names
    .map((n) => ({ n, d: editDistance(name, n) }))
    .filter(({ n, d }) => d <= limit || (lower.length >= 3 && (n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase()))))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, max)
    .map(({ n }) => n)
}
