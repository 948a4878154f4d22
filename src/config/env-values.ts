/**
 * `${NAME}` in a rules value: read from the environment when the rules are
 * loaded (and again on every reload), never written back anywhere. NAME is
 * letters, digits and `_`, not starting with a digit. `$${` is a literal
 * `${`; any other `$` is itself. An unset variable is a load error
 * (RULES_UNSET_ENV) naming it; a variable set to '' gives ''.
 * Today the values that take `${NAME}` are those of
 * `upstreams.NAME.headers.set` (see envPlaces).
 */
import { formatAt, isMapping, type Finding, type PathKey } from './finding.js'

export type Env = Readonly<Record<string, string | undefined>>

export type TemplatePart =
  | { readonly text: string }
  | { readonly env: string }

/** A value as written, split into literal text and variable references. */
export interface EnvTemplate {
  readonly parts: readonly TemplatePart[]
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Split a value into text and `${NAME}` references; throws on a `${` that is not one. */
export function parseEnvTemplate (source: string): EnvTemplate {
  const parts: TemplatePart[] = []
  let text = ''
  let i = 0
  while (i < source.length) {
    const at = source.indexOf('$', i)
    if (at === -1) { text += source.slice(i); break }
    text += source.slice(i, at)
    if (source.startsWith('$${', at)) { text += '${'; i = at + 3; continue }
    if (source[at + 1] !== '{') { text += '$'; i = at + 1; continue }
    const close = source.indexOf('}', at + 2)
    const name = close === -1 ? '' : source.slice(at + 2, close)
    if (!NAME.test(name)) {
      const ref = close === -1 ? source.slice(at) : source.slice(at, close + 1)
      throw new Error(`${JSON.stringify(ref)} is not a variable reference: write \${NAME} (letters, digits, _), or $\${ for a literal "\${"`)
    }
    if (text !== '') parts.push({ text })
    text = ''
    parts.push({ env: name })
    i = close + 1
  }
  if (text !== '') parts.push({ text })
  return { parts }
}

/** The variables a template reads, in order, without repeats. */
export function envNames (t: EnvTemplate): string[] {
  const names: string[] = []
  for (const p of t.parts) if ('env' in p && !names.includes(p.env)) names.push(p.env)
  return names
}

/** The value with every reference replaced; throws on an unset variable (checkEnvValues reports those first). */
export function expandEnv (t: EnvTemplate, env: Env): string {
  let out = ''
  for (const p of t.parts) {
    if ('text' in p) { out += p.text; continue }
    const v = env[p.env]
    if (v === undefined) throw new Error(`environment variable ${p.env} is not set`)
    out += v
  }
  return out
}

/** One value of the document that takes `${NAME}`, and a check of what it resolves to. */
interface EnvPlace {
  readonly path: readonly PathKey[]
  readonly value: string
  /** a reason the resolved value cannot be used, never quoting it; null when fine */
  readonly check: (resolved: string) => string | null
}

/** Characters a header value cannot hold (as undici and Node refuse them): controls but tab, and beyond latin1. */
export const BAD_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/

const headerValueProblem = (v: string): string | null =>
  BAD_HEADER_CHAR.test(v) ? 'a line break, control character or non-latin1 character, which a header value cannot hold' : null

/** The values of the raw document that take `${NAME}`: upstreams.*.headers.set.* (strings only). */
function envPlaces (raw: Record<string, unknown>): EnvPlace[] {
  const places: EnvPlace[] = []
  const upstreams = raw['upstreams']
  if (!isMapping(upstreams)) return places
  for (const [upstream, u] of Object.entries(upstreams)) {
    if (!isMapping(u) || !isMapping(u['headers'])) continue
    const set = u['headers']['set']
    if (!isMapping(set)) continue
    for (const [header, value] of Object.entries(set)) {
      if (typeof value !== 'string') continue
      places.push({
        path: ['upstreams', upstream, 'headers', 'set', header],
        value,
        check: headerValueProblem
      })
    }
  }
  return places
}

/**
 * Findings for `${NAME}` values against `env`: each unset variable
 * (RULES_UNSET_ENV; the place, `upstreams.orders.headers.set.authorization`,
 * names the upstream and the header), and a value
 * that resolves to something its place cannot take. Messages never quote a
 * variable's value. A value whose template is malformed is left to the schema.
 */
export function checkEnvValues (raw: unknown, env: Env): Finding[] {
  if (!isMapping(raw)) return []
  const findings: Finding[] = []
  for (const place of envPlaces(raw)) {
    let t: EnvTemplate
    try {
      t = parseEnvTemplate(place.value)
    } catch {
      continue
    }
    const names = envNames(t)
    if (names.length === 0) continue
    const unset = names.filter(n => env[n] === undefined)
    const label = formatAt(place.path)
    for (const name of unset) {
      findings.push({
        severity: 'error',
        code: 'RULES_UNSET_ENV',
        message: `${label}: environment variable ${name} is not set`,
        path: place.path,
        point: 'value'
      })
    }
    if (unset.length > 0) continue
    const why = place.check(expandEnv(t, env))
    if (why !== null) {
      findings.push({
        severity: 'error',
        code: 'RULES_INVALID_VALUE',
        message: `${label}: with ${names.join(', ')} from the environment, the value has ${why}`,
        path: place.path,
        point: 'value'
      })
    }
  }
  return findings
}
