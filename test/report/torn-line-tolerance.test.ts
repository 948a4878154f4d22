import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { runReport } from '../../src/cli/run-report.js'
import { makeRecord, writeStore } from './ground-truth-store.js'

let dir: string

beforeAll(async () => {
  const records = []
  for (let i = 0; i < 40; i++) records.push(makeRecord({ route: 'r', outcome: i % 4 === 0 ? 'mismatch' : 'match', i, differences: i % 4 === 0 ? [{ kind: 'changed', path: '$.v', primary: 1, shadow: 2 }] : [] }))
  dir = await writeStore(records, undefined, 2)
  const files = (await readdir(dir)).sort()
  // a malformed complete line in the first file, a torn last line (a crash mid-write) in the second
  await appendFile(join(dir, files[0]!), '{"v":1,"id":"x","route":"r", this is not json\n')
  const torn = JSON.stringify(makeRecord({ route: 'r', outcome: 'match', i: 999 }))
  await appendFile(join(dir, files[1]!), torn.slice(0, torn.length / 2))
})
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

describe('a store with torn and malformed lines', () => {
  it('reports every good record, counts the unreadable lines, and exits 0', async () => {
    const out: string[] = []
    const err: string[] = []
    const code = await runReport({ store: dir, format: 'json' }, { stdout: s => out.push(s), stderr: s => err.push(s) })
    expect(code).toBe(0)
    const doc = JSON.parse(out.join(''))
    expect(doc.totals).toMatchObject({ records: 40, unreadableLines: 2 })
    expect(doc.routes[0]).toMatchObject({ route: 'r', compared: 40, matched: 30, mismatched: 10, parity: 0.75 })
    expect(err.join('')).toBe(`strangler report: skipped 2 unreadable lines (torn or malformed) in ${dir}\n`)
  })
})
