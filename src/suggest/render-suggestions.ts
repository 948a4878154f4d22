/**
 * How `strangler suggest` prints its proposals: per route, each proposal with
 * its evidence (pairs, share, why, example values with record ids), and the
 * YAML to add under each route's `compare:`.
 */
import type { AcceptRule, JsonValue } from '../config/types.js'
import type { Example, Proposal, RouteSuggestions } from './proposal.js'

const EXAMPLE_WIDTH = 48

function short (v: JsonValue | undefined): string {
  if (v === undefined) return '(absent)'
  const s = JSON.stringify(v)
  return s.length <= EXAMPLE_WIDTH ? s : s.slice(0, EXAMPLE_WIDTH - 1) + '…'
}

function exampleLine (e: Example): string {
  return `${e.id.slice(0, 8)}  ${e.path}: ${short(e.primary)} → ${short(e.shadow)}`
}

function label (p: Proposal): string {
  switch (p.kind) {
    case 'ignore': return `ignore     ${p.path}${p.reason === 'noise' ? '  (calibration noise)' : ''}`
    case 'typeOnly': return `typeOnly   ${p.path}`
    case 'unordered': return `unordered  ${p.path}`
    case 'tolerance': return `tolerance  ${p.value}`
    case 'accept': return `accept?    ${p.rule.path}: ${short(p.rule.primary)} → ${short(p.rule.shadow)}`
  }
}

/** The proposals with their evidence, route by route. */
export function renderProposals (routes: readonly RouteSuggestions[]): string {
  const out: string[] = []
  for (const r of routes) {
    const head = `route ${r.route} (routes[${r.index}]): ${r.compared} compared pair${r.compared === 1 ? '' : 's'}, ${r.keptPairs} kept whole`
    if (r.proposals.length === 0) { out.push(`${head}: nothing to propose`, ''); continue }
    out.push(head)
    for (const p of r.proposals) {
      const e = p.evidence // its counts are in `why`
      out.push(`  ${label(p)}`)
      out.push(`      ${e.why}`)
      for (const x of e.examples) out.push(`      e.g. ${exampleLine(x)}`)
    }
    if (r.keptPairs === 0) out.push('  (no kept pairs: `unordered` needs them; set shadow.keepPairs: all for a while)')
    out.push('')
  }
  return out.join('\n')
}

const str = (s: string): string => JSON.stringify(s)

function ruleText (r: AcceptRule): string {
  const parts = [`path: ${str(r.path)}`]
  if ('primary' in r) parts.push(`primary: ${JSON.stringify(r.primary)}`)
  if ('shadow' in r) parts.push(`shadow: ${JSON.stringify(r.shadow)}`)
  return `{ ${parts.join(', ')} }`
}

/**
 * The YAML to add, per route, under `routes[i].compare`. The accept
 * questions are commented out unless `accept`.
 */
export function renderYamlToAdd (routes: readonly RouteSuggestions[], accept: boolean): string {
  const out: string[] = []
  for (const r of routes) {
    if (r.proposals.length === 0) continue
    const list = (kind: 'ignore' | 'typeOnly' | 'unordered'): string[] => r.proposals.flatMap((p) => p.kind === kind ? [p.path] : [])
    const lines: string[] = []
    for (const kind of ['ignore', 'typeOnly', 'unordered'] as const) {
      const paths = list(kind)
      if (paths.length > 0) lines.push(`${kind}: [${paths.map(str).join(', ')}]`)
    }
    for (const p of r.proposals) if (p.kind === 'tolerance') lines.push(`tolerance: ${p.value}`)
    const rules = r.proposals.flatMap((p) => p.kind === 'accept' ? [p.rule] : [])
    if (rules.length > 0) {
      if (accept) lines.push('accept:', ...rules.map((x) => `  - ${ruleText(x)}`))
      else lines.push('# a question: accept these known differences? (--write adds them only with --accept)', '# accept:', ...rules.map((x) => `#   - ${ruleText(x)}`))
    }
    out.push(`# routes[${r.index}] (name: ${r.route})`, 'compare:', ...lines.map((l) => `  ${l}`), '')
  }
  return out.join('\n')
}
