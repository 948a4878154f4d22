import { writeFileSync } from 'node:fs'

export interface BenchRules {
  readonly primaryPort: number
  /** the shadow upstream's port; null: a pass-through route */
  readonly shadowPort: number | null
}

/** A rules file with one GET route: pass-through, or shadowed with compare on. */
export function writeRulesFile (file: string, r: BenchRules): void {
  const lines = [
    'version: 1',
    'upstreams:',
    `  legacy: { url: "http://127.0.0.1:${r.primaryPort}", timeout: 30s }`,
    ...(r.shadowPort !== null ? [`  orders: { url: "http://127.0.0.1:${r.shadowPort}", timeout: 5s }`] : []),
    'serve: legacy',
    ...(r.shadowPort !== null ? ['shadow: { sample: 1.0, timeout: 5s, maxConcurrent: 64, maxBodyBytes: 1mb }', 'compare: { headers: [content-type] }'] : []),
    'routes:',
    '  - name: items',
    '    match: { method: GET, path: /api/items }',
    '    serve: legacy',
    ...(r.shadowPort !== null ? ['    shadow: orders'] : [])
  ]
  writeFileSync(file, lines.join('\n') + '\n')
}
