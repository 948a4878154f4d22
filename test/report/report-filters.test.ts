import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runReport, type ReportOptions } from '../../src/cli/run-report.js'
import { BASE_TIME, makeRecord, writeStore } from './ground-truth-store.js'

let dir: string
const now = new Date(BASE_TIME + 3 * 3_600_000) // 13:00

async function run (opts: ReportOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runReport({ store: dir, now, ...opts }, { stdout: s => out.push(s), stderr: s => err.push(s) })
  return { code, stdout: out.join(''), stderr: err.join('') }
}
async function json (opts: ReportOptions) {
  const r = await run({ ...opts, format: 'json' })
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout)
}

beforeAll(async () => {
  // a: 10 records at 10:00..10:09 (old), 10 at 12:30..12:39 (recent); b: 5 recent
  const records = []
  for (let i = 0; i < 10; i++) records.push(makeRecord({ route: 'a', outcome: 'match', i, atMs: BASE_TIME + i * 60_000 }))
  for (let i = 0; i < 10; i++) records.push(makeRecord({ route: 'a', outcome: i < 2 ? 'mismatch' : 'match', i: 100 + i, atMs: BASE_TIME + 150 * 60_000 + i * 60_000, differences: i < 2 ? [{ kind: 'changed', path: '$.x', primary: 1, shadow: 2 }] : [] }))
  for (let i = 0; i < 5; i++) records.push(makeRecord({ route: 'b', outcome: 'match', i, atMs: BASE_TIME + 160 * 60_000 + i * 1000 }))
  dir = await writeStore(records)
})
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

describe('report filters', () => {
  it('--route keeps one route', async () => {
    const doc = await json({ route: 'b' })
    expect(doc.filters.route).toBe('b')
    expect(doc.routes.map((r: { route: string }) => r.route)).toEqual(['b'])
    expect(doc.totals.records).toBe(5)
  })

  it('--since as a duration counts back from now', async () => {
    const doc = await json({ since: '1h' })
    expect(doc.filters.since).toBe(new Date(now.getTime() - 3_600_000).toISOString())
    const a = doc.routes.find((r: { route: string }) => r.route === 'a')
    expect(a).toMatchObject({ compared: 10, matched: 8, mismatched: 2, parity: 0.8 })
    expect(doc.totals.records).toBe(15)
    expect((await json({ since: '4h' })).totals.records).toBe(25)
    expect((await json({ since: '90m' })).totals.records).toBe(15)
    expect((await json({ since: '1d' })).totals.records).toBe(25)
  })

  it('--since as an ISO time, inclusive', async () => {
    const doc = await json({ since: new Date(BASE_TIME + 5 * 60_000).toISOString() })
    expect(doc.routes.find((r: { route: string }) => r.route === 'a').compared).toBe(15)
  })

  it('--route and --since together', async () => {
    const doc = await json({ route: 'a', since: '1h' })
    expect(doc.routes).toHaveLength(1)
    expect(doc.routes[0]).toMatchObject({ route: 'a', compared: 10, topDifferences: [{ path: '$.x', count: 2 }] })
  })

  it('a filter that matches nothing for a known route: exit 0 and says so', async () => {
    const r = await run({ route: 'b', since: '10m' })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`no records in ${dir} for route b since ${new Date(now.getTime() - 600_000).toISOString()}\n`)
    const j = await run({ route: 'b', since: '10m', format: 'json' })
    expect(j.code).toBe(0)
    expect(JSON.parse(j.stdout).routes).toEqual([])
    expect(j.stderr).toContain('no records in')
  })

  it('an empty store folder: exit 0 with "no records in <dir>"', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'strangler-empty-'))
    const out: string[] = []
    const code = await runReport({ store: empty }, { stdout: s => out.push(s), stderr: () => {} })
    expect(code).toBe(0)
    expect(out.join('')).toBe(`no records in ${empty}\n`)
    await rm(empty, { recursive: true, force: true })
  })

  it('bad --since or --format: exit 2 with a clear message, nothing on stdout', async () => {
    for (const since of ['yesterday', '1w', '-1h', '2026-13-45T00:00:00Z', '']) {
      const r = await run({ since })
      expect(r.code, since).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/--since .* is neither a duration .* nor an ISO time/)
    }
    const f = await run({ format: 'xml' })
    expect(f.code).toBe(2)
    expect(f.stdout).toBe('')
    expect(f.stderr).toBe('strangler report: unknown --format "xml"; use one of text, json, md, html\n')
  })

  it('--out writes the file and prints where', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'strangler-out-'))
    const file = join(outDir, 'report.md')
    const r = await run({ format: 'md', out: file })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`wrote md report to ${file} (2 routes, 25 records)\n`)
    expect(await readFile(file, 'utf8')).toMatch(/^# strangler parity report/)
    const bad = await run({ out: join(file, 'under-a-file.txt') })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('cannot write')
    await rm(outDir, { recursive: true, force: true })
  })
})
