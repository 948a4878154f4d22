import type { Difference, JsonValue } from '../store/difference.js'

/** Longest value a stored difference keeps, in JSON characters. */
export const MAX_STORED_VALUE_CHARS = 2048

function clip (v: JsonValue, max: number): JsonValue {
  if (typeof v === 'string') return v.length <= max ? v : `${v.slice(0, max)}…[+${v.length - max} chars]`
  if (v === null || typeof v !== 'object') return v
  const json = JSON.stringify(v)
  if (json.length <= max) return v
  const what = Array.isArray(v) ? `array of ${v.length} items` : `object of ${Object.keys(v).length} keys`
  return `[omitted: ${what}, ${json.length} chars of JSON]`
}

/**
 * Differences as stored: a value larger than `max` characters (a whole added
 * list, a long text) is replaced by a short description, so one record stays
 * small whatever the bodies. Applied after redaction, which needs the values.
 */
export function clipDifferences (diffs: readonly Difference[], max = MAX_STORED_VALUE_CHARS): Difference[] {
  return diffs.map((d): Difference => {
    switch (d.kind) {
      case 'changed': return { ...d, primary: clip(d.primary, max), shadow: clip(d.shadow, max) }
      case 'added': return { ...d, shadow: clip(d.shadow, max) }
      case 'removed': return { ...d, primary: clip(d.primary, max) }
      case 'type': return d.primaryValue === undefined ? d : { ...d, primaryValue: clip(d.primaryValue, max), shadowValue: clip(d.shadowValue ?? null, max) }
      default: return d
    }
  })
}
