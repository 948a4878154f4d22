import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { NdjsonStore } from '../../src/store/ndjson-store.js'
import { readRecords, type SkippedLine } from '../../src/store/read-records.js'
import { collect, makeRecord } from './make-record.js'
import { useFixtureRunner } from './run-fixture.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()
const runFixture = useFixtureRunner()

it('processes writing into one directory each get their own files; no line is interleaved', async () => {
  const dir = await tempDir()
  const n = 3_000
  const runs = [runFixture(dir, n, 'handler'), runFixture(dir, n, 'handler'), runFixture(dir, n, 'handler')]
  await Promise.all(runs.map((r) => r.ready))
  for (const r of runs) r.child.kill('SIGTERM')
  for (const r of runs) expect((await r.exited).code).toBe(0)

  const files = await readdir(dir)
  const pids = runs.map((r) => String(r.child.pid).padStart(7, '0'))
  expect(files).toHaveLength(3)
  for (const pid of pids) expect(files.filter((f) => f.includes(`-${pid}-`))).toHaveLength(1)

  const skips: SkippedLine[] = []
  const records = await collect(readRecords(dir, { onSkip: (s) => skips.push(s) }))
  expect(skips).toEqual([])
  expect(records).toHaveLength(3 * n)
  for (const r of runs) {
    const own = records.filter((rec) => rec.id.startsWith(`${r.child.pid}-`)).map((rec) => rec.id)
    expect(own).toEqual(Array.from({ length: n }, (_, i) => `${r.child.pid}-${i}`))
  }
})

it('two stores of one process in one directory never write into the same file', async () => {
  const dir = await tempDir()
  const a = new NdjsonStore({ dir, onError: (e) => { throw e } })
  const b = new NdjsonStore({ dir, onError: (e) => { throw e } })
  for (let i = 0; i < 100; i++) {
    a.append(makeRecord(i, { id: `a${i}` }))
    b.append(makeRecord(i, { id: `b${i}` }))
    if (i % 10 === 0) await Promise.all([a.flush(), b.flush()])
  }
  await Promise.all([a.close(), b.close()])
  const files = await readdir(dir)
  expect(files).toHaveLength(2)
  for (const f of files) {
    const ids = (await readFile(join(dir, f), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l).id as string)
    expect(new Set(ids.map((id) => id[0])).size).toBe(1)
    expect(ids).toHaveLength(100)
  }
})
