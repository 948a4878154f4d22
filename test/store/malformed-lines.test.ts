import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { readRecords, type SkippedLine } from '../../src/store/read-records.js'
import { collect, makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

it('skips malformed lines anywhere in a file, reports each with its line number, and reads on', async () => {
  const dir = await tempDir()
  const file = join(dir, 'diffs-x.ndjson')
  await writeFile(file, [
    JSON.stringify(makeRecord(1)),
    'not json at all',
    '',
    '[1,2,3]',
    '{"v":1,"id":"no-route","at":"2026-11-21T10:00:00.000Z"}',
    JSON.stringify(makeRecord(2)) + '\r',
    '{"v":1,"id":"cut',
    JSON.stringify(makeRecord(3)),
    ''
  ].join('\n'))
  const skips: SkippedLine[] = []
  const ids = (await collect(readRecords(dir, { onSkip: (s) => skips.push(s) }))).map((r) => r.id)
  expect(ids).toEqual(['r1', 'r2', 'r3'])
  expect(skips.map((s) => [s.line, s.reason])).toEqual([[2, 'malformed'], [4, 'malformed'], [5, 'malformed'], [7, 'malformed']])
  expect(skips.every((s) => s.file === file)).toBe(true)
})
