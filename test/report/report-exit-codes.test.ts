import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runReport, type ReportOptions } from '../../src/cli/run-report.js'
import { makeRecord, writeStore } from './ground-truth-store.js'

// regression (issue 12): `report` exited 0 on a missing store, a file given
// as the store, and an unknown --route; --out created missing folders
let store: string
let scratch: string

async function run (opts: ReportOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runReport({ store, ...opts }, { stdout: s => out.push(s), stderr: s => err.push(s) })
  return { code, stdout: out.join(''), stderr: err.join('') }
}

beforeAll(async () => {
  const records = []
  for (let i = 0; i < 3; i++) records.push(makeRecord({ route: 'list-orders', outcome: 'match', i }))
  for (let i = 0; i < 2; i++) records.push(makeRecord({ route: 'get-order', outcome: 'match', i: 10 + i }))
  store = await writeStore(records)
  scratch = await mkdtemp(join(tmpdir(), 'strangler-report-exit-'))
})
afterAll(async () => {
  await rm(store, { recursive: true, force: true })
  await rm(scratch, { recursive: true, force: true })
})

describe('report exit codes', () => {
  it('a store folder that does not exist: exit 1 naming it', async () => {
    const missing = join(scratch, 'no-such-store')
    const r = await run({ store: missing })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`strangler report: no store at ${missing}: no such folder (serve creates it on its first record; pass the folder given to \`serve --store\`)\n`)
  })

  it('a file given as the store: exit 1 saying it is a file', async () => {
    const file = join(scratch, 'records.ndjson')
    await writeFile(file, '')
    const r = await run({ store: file, format: 'json' })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`${file} is a file, not a store folder`)
  })

  it('an unknown --route: exit 1 listing the known routes, with a suggestion', async () => {
    const r = await run({ route: 'list-order' })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`strangler report: no route "list-order" in ${store} (known: get-order, list-orders); did you mean "list-orders"?\n`)
  })

  it('a route the rules know, without records yet, is not unknown', async () => {
    const r = await run({ route: 'new-route', stages: new Map([['new-route', 'shadowing']]) })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`no records in ${store} for route new-route\n`)
  })

  it('--out into a folder that does not exist: exit 1 naming the folder, nothing created', async () => {
    const folder = join(scratch, 'reports', 'today')
    const r = await run({ format: 'md', out: join(folder, 'parity.md') })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`strangler report: cannot write ${join(folder, 'parity.md')}: the folder ${folder} does not exist (create it first)\n`)
    expect(await readdir(scratch)).not.toContain('reports')
  })

  it('--out into an existing folder still writes', async () => {
    const r = await run({ format: 'md', out: join(scratch, 'parity.md') })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('wrote md report to')
  })
})
