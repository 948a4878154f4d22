import { describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/temp-dir.js'
import { readRecords } from '../../src/store/read-records.js'

describe('strangler demo (child process)', () => {
  it('runs to completion, prints a parity report and where the HTML report is, exit 0', async () => {
    const dir = await tempDir('strangler-demo-test-')
    const r = await runCli(['demo', '--dir', dir], { timeoutMs: 60_000 })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('540 requests, 0 answered with an error to the client')
    // one route per stage of interest shows up with its verdict
    expect(r.stdout).toMatch(/get-order\s+ready\s+canary/)
    expect(r.stdout).toMatch(/list-orders\s+\w+\s+shadowing/)
    expect(r.stdout).toMatch(/get-customer\s+broken\s+shadowing/)
    expect(r.stdout).toContain('$.phoneNumber')
    // the transformed route: the new billing API's path and fields adapted, every pair matches
    expect(r.stdout).toMatch(/get-invoice\s+\S+\s+shadowing\s+25\s+25\s+0\s/)
    // the blog: logged-in writes shadowed to a rewrite with its own tokens and slugs; learned correlation
    // maps them, so only the planted DELETE 200 -> 204 remains
    expect(r.stdout).toMatch(/CORRELATED/)
    expect(r.stdout).toMatch(/blog-login\s+\S+\s+shadowing\s+10\s+10\s+0\s+0\s+0\s+100%\s+10\s/)
    expect(r.stdout).toMatch(/blog-article\s+\S+\s+shadowing\s+40\s+30\s+10\s/)
    expect(r.stdout).toContain('200 → 204')
    expect(r.stdout).toContain(`HTML report: ${join(dir, 'report.html')}`)
    const html = await readFile(join(dir, 'report.html'), 'utf8')
    expect(html).toContain('get-customer')
    let n = 0
    for await (const rec of readRecords(join(dir, 'diffs'))) { if (rec.route) n++ }
    expect(n).toBeGreaterThan(300)
    // it ends with the status board and the flip of the route whose gates hold
    expect(r.stdout).toMatch(/Migrated: 1 of 11 routes/)
    expect(r.stdout).toMatch(/get-order\s+canary\s+orders 20% · legacy 80%\s+orders\s+100%\s+132\s+0%\s+ready/)
    expect(r.stdout).toContain('get-order: canary → canary (orders 25%, legacy 75%, shadow orders)')
    expect(r.stdout).toContain('get-order now serves orders 25 · legacy 75')
    const audit = (await readFile(join(dir, 'audit.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'promote', route: 'get-order', by: 'strangler demo', forced: false })
    expect(await readFile(join(dir, 'rules.yaml'), 'utf8')).toMatch(/serve: \{ ?orders: 25, legacy: 75 ?\}/)
  })
})
