import { appendFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { NdjsonStore } from '../../src/store/ndjson-store.js'
import { readRecords, type SkippedLine } from '../../src/store/read-records.js'
import { collect, makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

it('skips a torn last line (a crash mid-write), reports it, and yields every whole record', async () => {
  const dir = await tempDir()
  const store = new NdjsonStore({ dir, maxFileBytes: 2048, onError: (e) => { throw e } })
  for (let i = 0; i < 20; i++) store.append(makeRecord(i))
  await store.close()
  const files = (await readdir(dir)).sort()
  expect(files.length).toBeGreaterThan(1)
  const last = join(dir, files[files.length - 1])
  const half = JSON.stringify(makeRecord(20)).slice(0, 60)
  await appendFile(last, half)

  const skips: SkippedLine[] = []
  const ids = (await collect(readRecords(dir, { onSkip: (s) => skips.push(s) }))).map((r) => r.id)
  expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`))
  expect(skips).toHaveLength(1)
  expect(skips[0]).toMatchObject({ file: last, reason: 'torn' })
})

it('yields a last line that lost only its newline: the record is whole', async () => {
  const dir = await tempDir()
  await appendFile(join(dir, 'diffs-a.ndjson'), JSON.stringify(makeRecord(1)) + '\n' + JSON.stringify(makeRecord(2)))
  expect((await collect(readRecords(dir))).map((r) => r.id)).toEqual(['r1', 'r2'])
})

it('a torn line in an older file does not stop the reading of later files', async () => {
  const dir = await tempDir()
  await appendFile(join(dir, 'diffs-1.ndjson'), JSON.stringify(makeRecord(1)) + '\n{"v":1,"id":"r2","at":"2026-')
  await appendFile(join(dir, 'diffs-2.ndjson'), JSON.stringify(makeRecord(3)) + '\n')
  const skips: SkippedLine[] = []
  expect((await collect(readRecords(dir, { onSkip: (s) => skips.push(s) }))).map((r) => r.id)).toEqual(['r1', 'r3'])
  expect(skips.map((s) => [s.line, s.reason])).toEqual([[2, 'torn']])
})
