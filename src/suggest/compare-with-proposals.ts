import type { AcceptRule, CompareConfig } from '../config/types.js'
import type { Proposal } from './proposal.js'

const sameRule = (a: AcceptRule, b: AcceptRule): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * A route's compare settings with proposals added: list entries appended
 * (never twice), the larger tolerance kept. `accept` false leaves the accept
 * questions out.
 */
export function compareWithProposals (cfg: CompareConfig, proposals: readonly Proposal[], accept = true): CompareConfig {
  const ignore = [...cfg.ignore]
  const typeOnly = [...cfg.typeOnly]
  const unordered = [...cfg.unordered]
  const rules = [...cfg.accept]
  let tolerance = cfg.tolerance
  const add = (list: string[], path: string): void => { if (!list.includes(path)) list.push(path) }
  for (const p of proposals) {
    if (p.kind === 'ignore') add(ignore, p.path)
    else if (p.kind === 'typeOnly') add(typeOnly, p.path)
    else if (p.kind === 'unordered') add(unordered, p.path)
    else if (p.kind === 'tolerance') tolerance = Math.max(tolerance, p.value)
    else if (accept && !rules.some((r) => sameRule(r, p.rule))) rules.push(p.rule)
  }
  return { ...cfg, ignore, typeOnly, unordered, tolerance, accept: rules }
}
