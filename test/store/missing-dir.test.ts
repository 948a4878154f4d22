import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { readRecords } from '../../src/store/read-records.js'
import { collect } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

it('yields nothing for a store directory that does not exist', async () => {
  const dir = join(await tempDir(), 'never-written')
  expect(await collect(readRecords(dir))).toEqual([])
  expect(await collect(readRecords(dir, { route: 'x', since: new Date(0) }))).toEqual([])
})

it('yields nothing when the store path is a file', async () => {
  const file = join(await tempDir(), 'oops')
  await writeFile(file, 'x')
  expect(await collect(readRecords(file))).toEqual([])
})
