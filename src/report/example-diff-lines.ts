/**
 * The json-diff rendering of one example difference: lines marked ' ' (same),
 * '-' (primary only) and '+' (shadow only), as `json-diff` prints them without
 * colours. The HTML report colours them; nothing here is escaped.
 */
import { createRequire } from 'node:module'
import type { DifferenceExample } from './parity-report.js'

interface JsonDiffModule {
  diff (a: unknown, b: unknown, options?: Record<string, unknown>): unknown
  colorizeToCallback (diff: unknown, options: Record<string, unknown>, output: (color: string, line: string) => void): void
}

const jsonDiff = createRequire(import.meta.url)('json-diff') as JsonDiffModule

export interface DiffLine {
  readonly sign: ' ' | '-' | '+'
  readonly text: string
}

/** At most this many lines are kept; a final ' ' line says how many were cut. */
export const MAX_DIFF_LINES = 80

function pretty (v: unknown): string[] {
  return (JSON.stringify(v, null, 2) ?? String(v)).split('\n')
}

function cap (lines: DiffLine[]): DiffLine[] {
  if (lines.length <= MAX_DIFF_LINES) return lines
  return [...lines.slice(0, MAX_DIFF_LINES), { sign: ' ', text: `… ${lines.length - MAX_DIFF_LINES} more lines` }]
}

export function exampleDiffLines (ex: DifferenceExample): DiffLine[] {
  const hasP = 'primary' in ex && ex.primary !== undefined
  const hasS = 'shadow' in ex && ex.shadow !== undefined
  if (hasP && hasS) {
    const lines: DiffLine[] = []
    try {
      const d = jsonDiff.diff(ex.primary, ex.shadow, { maxElisions: 1 })
      if (d !== undefined) {
        jsonDiff.colorizeToCallback(d, { maxElisions: 1 }, (color, line) => {
          lines.push({ sign: color === '-' || color === '+' ? color : ' ', text: line })
        })
      }
    } catch { /* fall back below */ }
    if (lines.length > 0) return cap(lines)
    return cap([...pretty(ex.primary).map(text => ({ sign: '-' as const, text })), ...pretty(ex.shadow).map(text => ({ sign: '+' as const, text }))])
  }
  if (hasP) return cap(pretty(ex.primary).map(text => ({ sign: '-' as const, text })))
  if (hasS) return cap(pretty(ex.shadow).map(text => ({ sign: '+' as const, text })))
  return []
}
