/**
 * Small formatters shared by the text, Markdown and HTML renderers. JSON keeps
 * raw numbers; these are for people.
 */

/**
 * A fraction as a percentage with two decimals. Never rounds to a claim the
 * data does not make: 0.99999 shows `>99.99%`, not `100.00%`; only a route
 * where every pair matched shows `100%` (and `0%` only when none did).
 */
export function formatPercent (fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—'
  if (fraction >= 1) return '100%'
  if (fraction <= 0) return '0%'
  const rounded = Math.round(fraction * 10000) / 100
  if (rounded >= 100) return '>99.99%'
  if (rounded <= 0) return '<0.01%'
  return `${rounded.toFixed(2)}%`
}

/** Milliseconds, one decimal: `12.4 ms`; `—` when unknown. */
export function formatMs (ms: number | null): string {
  return ms === null ? '—' : `${ms.toFixed(1)} ms`
}

/** `1234567` → `1,234,567` (locale independent). */
export function formatCount (n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Skipped counts by reason: `concurrency 10, too-large 2`, or `0`. */
export function formatSkipped (skipped: Readonly<Record<string, number>>): string {
  const parts = Object.entries(skipped).map(([k, v]) => `${k} ${formatCount(v)}`)
  return parts.length === 0 ? '0' : parts.join(', ')
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/**
 * Text from records (paths, ids, messages) made safe for a terminal or a
 * Markdown file: control characters, escape sequences included, are shown as
 * `\u001b`-style escapes instead of being written raw.
 */
export function plainText (s: string): string {
  return s.replace(CONTROL, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A JSON value on one line for a table cell, cut to `max` characters. */
export function shortJson (v: unknown, max = 60): string {
  const s = v === undefined ? '(absent)' : JSON.stringify(v) ?? String(v)
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}
