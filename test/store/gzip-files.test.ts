import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { expect, it } from 'vitest'
import { readRecords, type SkippedLine } from '../../src/store/read-records.js'
import { collect, makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()
const lines = (from: number, to: number): string => Array.from({ length: to - from }, (_, k) => JSON.stringify(makeRecord(from + k)) + '\n').join('')

it('reads *.ndjson.gz files (archived rotations) in name order with the plain ones', async () => {
  const dir = await tempDir()
  await writeFile(join(dir, 'diffs-1.ndjson.gz'), gzipSync(lines(0, 100)))
  await writeFile(join(dir, 'diffs-2.ndjson'), lines(100, 110))
  const ids = (await collect(readRecords(dir))).map((r) => r.id)
  expect(ids).toEqual(Array.from({ length: 110 }, (_, i) => `r${i}`))
})

it('a truncated .gz yields what decompressed and reports the rest as torn', async () => {
  const dir = await tempDir()
  const gz = gzipSync(lines(0, 2000))
  await writeFile(join(dir, 'diffs-1.ndjson.gz'), gz.subarray(0, Math.floor(gz.length / 2)))
  await writeFile(join(dir, 'diffs-2.ndjson'), lines(5000, 5001))
  const skips: SkippedLine[] = []
  const ids = (await collect(readRecords(dir, { onSkip: (s) => skips.push(s) }))).map((r) => r.id)
  expect(ids.length).toBeGreaterThan(1)
  expect(ids.length).toBeLessThan(2001)
  expect(ids.at(-1)).toBe('r5000')
  expect(skips.map((s) => s.reason)).toContain('torn')
})
