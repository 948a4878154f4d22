import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { readRecords } from '../../src/store/read-records.js'
import { collect, makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

it('reads only *.ndjson files directly in the directory, in lexical order of names', async () => {
  const dir = await tempDir()
  const line = (i: number): string => JSON.stringify(makeRecord(i)) + '\n'
  await writeFile(join(dir, 'diffs-20261121T100001Z-0000001-000010.ndjson'), line(3))
  await writeFile(join(dir, 'diffs-20261121T100001Z-0000001-000009.ndjson'), line(2))
  await writeFile(join(dir, 'diffs-20261121T100000Z-0000001-000100.ndjson'), line(1))
  await writeFile(join(dir, 'README.md'), line(90))
  await writeFile(join(dir, 'diffs.ndjson.tmp'), line(91))
  await writeFile(join(dir, 'diffs.json'), line(92))
  await mkdir(join(dir, 'archive.ndjson'))
  await writeFile(join(dir, 'archive.ndjson', 'inner.ndjson'), line(93))
  expect((await collect(readRecords(dir))).map((r) => r.id)).toEqual(['r1', 'r2', 'r3'])
})
