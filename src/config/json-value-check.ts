/** Throws when a value from the rules file is not JSON: what YAML gives that JSON cannot hold (.inf, .nan), or too deep. */
export function checkJsonValue (v: unknown, depth = 0): void {
  if (depth > 64) throw new Error('the value is nested too deeply')
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`${String(v)} is not a JSON number`)
  if (Array.isArray(v)) for (const x of v) checkJsonValue(x, depth + 1)
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) checkJsonValue(x, depth + 1)
  else if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) throw new Error(`${JSON.stringify(v) ?? String(v)} is not a JSON value`)
}
