import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { readRecords } from '../../src/store/read-records.js'
import { collect, makeRecord, timeOf } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

// The reader skips JSON.parse for lines whose raw text cannot match; it must never skip one that does.
it('filters exactly on lines not written by JSON.stringify (spaces, key order, nested "at", other time formats)', async () => {
  const dir = await tempDir()
  const spaced = JSON.stringify(makeRecord(5), null, 1).replace(/\n/g, '')
  const { at: _at, differences: _d, ...rest } = makeRecord(6)
  const reordered: Record<string, unknown> = { differences: null, ...rest, at: timeOf(6).toISOString() }
  reordered.differences = [{ kind: 'changed', path: '$.at', primary: { at: '2000-01-01T00:00:00.000Z' }, shadow: 1 }] // stays the first key
  const nestedAtFirst = JSON.stringify(reordered)
  expect(nestedAtFirst.indexOf('"at":"2000')).toBeLessThan(nestedAtFirst.indexOf('"at":"2026'))
  const offsetTime = JSON.stringify(makeRecord(7, { at: '2026-11-21T11:00:07+01:00' })) // = 10:00:07Z
  const escapedRoute = JSON.stringify(makeRecord(8)).replace('"route":"list-orders"', '"route":"list\\u002dorders"')
  const old = JSON.stringify(makeRecord(1))
  await writeFile(join(dir, 'diffs-a.ndjson'), [old, spaced, nestedAtFirst, offsetTime, escapedRoute, ''].join('\n'))

  const since = timeOf(3)
  expect((await collect(readRecords(dir, { since }))).map((r) => r.id)).toEqual(['r5', 'r6', 'r7', 'r8'])
  expect((await collect(readRecords(dir, { since: timeOf(7) }))).map((r) => r.id)).toEqual(['r7', 'r8'])
  expect((await collect(readRecords(dir, { route: 'get-order' }))).map((r) => r.id)).toEqual(['r1', 'r5', 'r7'])
  expect((await collect(readRecords(dir, { route: 'list-orders' }))).map((r) => r.id)).toEqual(['r6', 'r8'])
})
