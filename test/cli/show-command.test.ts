import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startProxyFixture, type ProxyFixture } from '../helpers/proxy-fixture.js'
import { runCli } from '../helpers/cli.js'
import type { DiffRecord } from '../../src/store/record.js'

let sp: ProxyFixture
let record: DiffRecord
let rulesFile: string
const SECRET = 'sk-live-4242-secret-value'

beforeAll(async () => {
  sp = await startProxyFixture({
    upstreams: {
      legacy: (_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ total: 10, password: SECRET, items: ['a'] })) },
      orders: (_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ total: 11, password: SECRET, items: ['a'] })) }
    },
    rules: `
serve: legacy
shadow: { sample: 1.0, timeout: 2s, maxPairsPerMinute: 3 }
redact: { paths: ["$..password"] }
routes:
  - { name: totals, match: { path: "/api/totals" }, serve: legacy, shadow: orders, shadowWrites: true }
`,
    options: { store: 'disk' }
  })
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${sp.proxy.url}/api/totals?page=${i}&token=${SECRET}`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify({ q: 'x', password: SECRET }) })
    await res.arrayBuffer()
  }
  await sp.proxy.settled()
  await sp.proxy.store.flush()
  const records = await sp.records()
  record = records.find((r) => r.pair === true)!
  rulesFile = join(sp.dir, 'rules-for-show.yaml')
  await writeFile(rulesFile, sp.rules(`
serve: legacy
routes: []
`))
})
afterAll(async () => { await sp.close() })

describe('kept pairs and strangler show', () => {
  it('keeps mismatched pairs beside their records, at most maxPairsPerMinute per route, counted', async () => {
    const records = await sp.records()
    expect(records.filter((r) => r.outcome === 'mismatch')).toHaveLength(5)
    expect(records.filter((r) => r.pair === true)).toHaveLength(3)
    expect(await sp.proxy.metrics.text()).toMatch(/strangler_pairs_total\{result="dropped"\} 2/)
  })

  it('stores no secret in the pair files', async () => {
    const dir = join(sp.proxy.storeDir, 'pairs')
    const files = await readdir(dir)
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) expect(await readFile(join(dir, f), 'utf8')).not.toContain(SECRET)
  })

  it('shows the record, both responses side by side, the differences and curl lines (child process, short id)', async () => {
    const r = await runCli(['show', record.id.slice(0, 8), '--store', sp.proxy.storeDir, '--rules', rulesFile])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`record ${record.id}`)
    expect(r.stdout).toMatch(/changed\s+\$\.total: 10 → 11/)
    expect(r.stdout).toContain('POST /api/totals?page=')
    expect(r.stdout).toMatch(/"total": 10,\s+≠\s+"total": 11,/)
    expect(r.stdout).toMatch(/primary: curl -X POST '.*\/api\/totals\?page=\d&token=\[redacted\]' .*-H 'authorization: \[redacted\]'/)
    expect(r.stdout).toContain('secrets are [redacted]')
    expect(r.stdout).not.toContain(SECRET)
  })

  it('replays each side at the path and query the proxy sent there: the route\'s transform for that upstream', async () => {
    const transformed = join(sp.dir, 'rules-transformed.yaml')
    await writeFile(transformed, sp.rules(`
serve: legacy
routes:
  - name: totals
    match: { path: "/api/totals" }
    serve: legacy
    shadow: orders
    transform:
      orders:
        request: { path: "/v2/order-totals", query: { rename: { page: pageNumber }, set: { v: 2 } } }
`))
    const r = await runCli(['show', record.id.slice(0, 8), '--store', sp.proxy.storeDir, '--rules', transformed])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/primary: curl -X POST '[^']*\/api\/totals\?page=\d&token=\[redacted\]'/)
    expect(r.stdout).toMatch(/shadow: {2}curl -X POST '[^']*\/v2\/order-totals\?pageNumber=\d&token=\[redacted\]&v=2'/)
    expect(r.stdout).not.toContain(SECRET)
  })

  it('answers json, and exit 1 for an unknown id, 2 for a too short one', async () => {
    const json = await runCli(['show', record.id, '--store', sp.proxy.storeDir, '--format', 'json'])
    expect(json.code).toBe(0)
    const doc = JSON.parse(json.stdout) as { record: DiffRecord; pair: { primary: { status: number } } }
    expect(doc.record.id).toBe(record.id)
    expect(doc.pair.primary.status).toBe(200)
    expect((await runCli(['show', 'ffffffff-0000', '--store', sp.proxy.storeDir])).code).toBe(1)
    expect((await runCli(['show', 'abc', '--store', sp.proxy.storeDir])).code).toBe(2)
  })
})
