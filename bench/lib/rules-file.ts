import { writeFileSync } from 'node:fs'

export interface BenchRules {
  readonly primaryPort: number
  /** the shadow upstream's port; null: a pass-through route */
  readonly shadowPort: number | null
  /**
   * learned correlation (needs shadowPort): a shadowed `login` route on two
   * token backends (bench/token-backend.mjs) teaching `$.user.token`, and
   * two more `correlate` entries that apply to every route, `items` too
   */
  readonly correlate?: { readonly primaryTokenPort: number, readonly shadowTokenPort: number } | null
  /** `shadow.keepPairs` and `shadow.maxPairsPerMinute` (needs shadowPort); left out: the defaults (mismatches, 60) */
  readonly pairs?: BenchPairs | null
  /**
   * a transform on the served route: `head` changes status and headers only
   * (the body streams), `body` adds five JSON body operations (the body is
   * buffered and rewritten); null: none
   */
  readonly transform?: 'head' | 'body' | null
}

/** The five body operations of the `body` transform (bench/transform.ts), on fixedJsonBody's shape. */
const BODY_OPS = [
  '            - rename: { "$.page": "$.pageNumber" }',
  '            - remove: ["$.pad"]',
  '            - set: { "$.apiVersion": 2 }',
  '            - default: { "$.next": null }',
  '            - copy: { "$.items[0].sku": "$.firstSku" }'
]

export interface BenchPairs {
  readonly keepPairs: 'none' | 'mismatches' | 'all'
  readonly maxPairsPerMinute?: number
}

/** A rules file with one GET route: pass-through, or shadowed with compare on (and, with `correlate`, a login route after it). */
export function writeRulesFile (file: string, r: BenchRules): void {
  const corr = r.shadowPort !== null ? r.correlate ?? null : null
  const pairs = r.pairs ?? null
  const keep = pairs === null ? '' : `, keepPairs: ${pairs.keepPairs}${pairs.maxPairsPerMinute !== undefined ? `, maxPairsPerMinute: ${pairs.maxPairsPerMinute}` : ''}`
  const lines = [
    'version: 1',
    'upstreams:',
    `  legacy: { url: "http://127.0.0.1:${r.primaryPort}", timeout: 30s }`,
    ...(r.shadowPort !== null ? [`  orders: { url: "http://127.0.0.1:${r.shadowPort}", timeout: 5s }`] : []),
    ...(corr !== null
      ? [
          `  login-legacy: { url: "http://127.0.0.1:${corr.primaryTokenPort}", timeout: 30s }`,
          `  login-new: { url: "http://127.0.0.1:${corr.shadowTokenPort}", timeout: 5s }`
        ]
      : []),
    'serve: legacy',
    ...(r.shadowPort !== null ? [`shadow: { sample: 1.0, timeout: 5s, maxConcurrent: 64, maxBodyBytes: 1mb${keep} }`, 'compare: { headers: [content-type] }'] : []),
    ...(corr !== null
      ? [
          'correlate:',
          '  - name: session-token',
          '    learn: ["$.user.token"]',
          '    routes: [login]',
          '  - name: article-slug',
          '    learn: ["$.article.slug"]',
          '  - name: order-id',
          '    learn: ["$.order.id"]'
        ]
      : []),
    'routes:',
    '  - name: items',
    '    match: { method: GET, path: /api/items }',
    '    serve: legacy',
    ...(r.shadowPort !== null ? ['    shadow: orders'] : []),
    ...(r.transform != null
      ? [
          '    transform:',
          '      legacy:',
          '        response:',
          '          status: { 201: 200 }',
          '          headers: { set: { x-api-version: "2" }, remove: [x-powered-by] }',
          ...(r.transform === 'body' ? ['          body:', ...BODY_OPS] : [])
        ]
      : []),
    // after items, so that the measured route matches as fast as without it
    ...(corr !== null
      ? [
          '  - name: login',
          '    match: { method: GET, path: /api/login }',
          '    serve: login-legacy',
          '    shadow: login-new'
        ]
      : [])
  ]
  writeFileSync(file, lines.join('\n') + '\n')
}
