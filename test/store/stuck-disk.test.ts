import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { NdjsonStore } from '../../src/store/ndjson-store.js'
import { readRecords } from '../../src/store/read-records.js'
import { collect, makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

it('while writes fail: append never throws, memory stays under the cap (oldest dropped, counted), and it recovers', async () => {
  const root = await tempDir()
  const dir = join(root, 'diffs')
  await writeFile(dir, 'a file where the store directory should be') // every mkdir/open fails
  const errors: Error[] = []
  const store = new NdjsonStore({ dir, maxBufferedRecords: 100, flushIntervalMs: 3_600_000, onError: (e) => errors.push(e) })

  for (let i = 0; i < 250; i++) {
    expect(() => store.append(makeRecord(i))).not.toThrow()
    if (i % 40 === 0) await store.flush() // fails, keeps the records for a retry
  }
  await store.flush()
  expect(store.stats()).toMatchObject({ appended: 250, written: 0, dropped: 150, buffered: 100 })
  expect(errors.some((e) => /write failed/.test(e.message))).toBe(true)
  expect(errors.some((e) => /dropping the oldest/.test(e.message))).toBe(true)
  expect(errors.every((e) => e instanceof Error)).toBe(true)
  const told = errors.length

  // repeated failures are counted but not told again within the minute
  await store.flush()
  await store.flush()
  expect(errors).toHaveLength(told)
  expect(store.stats().errors).toBeGreaterThan(told)

  // the disk comes back: the newest 100 records, in order, get written
  await rm(dir)
  await store.close()
  expect((await collect(readRecords(dir))).map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, k) => `r${150 + k}`))
  expect(store.stats()).toMatchObject({ written: 100, dropped: 150, buffered: 0 })
})

it('records still unwritable at close are counted as dropped and reported', async () => {
  const root = await tempDir()
  const dir = join(root, 'diffs')
  await writeFile(dir, 'not a directory')
  const errors: Error[] = []
  const store = new NdjsonStore({ dir, onError: (e) => errors.push(e) })
  store.append(makeRecord(1))
  store.append(makeRecord(2))
  await expect(store.close()).resolves.toBeUndefined()
  expect(store.stats()).toMatchObject({ appended: 2, written: 0, dropped: 2, buffered: 0 })
  expect(errors.map((e) => e.message).join('\n')).toMatch(/2 records could not be written before close/)
})

it('a record that cannot be serialized is dropped alone; the rest of its batch is written', async () => {
  const dir = await tempDir()
  const errors: Error[] = []
  const store = new NdjsonStore({ dir, onError: (e) => errors.push(e) })
  const cyclic: Record<string, unknown> = { ...makeRecord(2) }
  cyclic.self = cyclic
  store.append(makeRecord(1))
  store.append(cyclic as never)
  store.append(makeRecord(3))
  await store.close()
  expect((await collect(readRecords(dir))).map((r) => r.id)).toEqual(['r1', 'r3'])
  expect(store.stats()).toMatchObject({ appended: 3, written: 2, dropped: 1 })
  expect(errors).toHaveLength(1)
  expect(errors[0].message).toMatch(/r2 is not serializable/)
})
