import { open, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { NdjsonStore, type OpenStoreFile } from '../../src/store/ndjson-store.js'
import { readRecords } from '../../src/store/read-records.js'
import { collect, makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

/**
 * Real files whose writes fail with ENOSPC while the disk is `full`; with
 * `room`, a full disk first takes that many more bytes (a write cut short).
 */
function fillableDisk (): { disk: { full: boolean; room: number; opened: number }; openFile: OpenStoreFile } {
  const disk = { full: false, room: 0, opened: 0 }
  const openFile: OpenStoreFile = async (path, flags) => {
    const handle = await open(path, flags)
    disk.opened++
    return {
      async write (data, offset, length) {
        if (disk.full) {
          if (disk.room === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
          const n = Math.min(length, disk.room)
          disk.room -= n
          return await handle.write(data, offset, n)
        }
        return await handle.write(data, offset, length)
      },
      datasync: async () => { await handle.datasync() },
      close: async () => { await handle.close() }
    }
  }
  return { disk, openFile }
}

async function filesIn (dir: string): Promise<Array<{ name: string; size: number }>> {
  const names = await readdir(dir).catch(() => [])
  return await Promise.all(names.map(async (name) => ({ name, size: (await stat(join(dir, name))).size })))
}

it('a full disk: retries go into the same file, never a new empty one each time; everything is written once it recovers', async () => {
  const dir = join(await tempDir(), 'diffs')
  const { disk, openFile } = fillableDisk()
  const errors: Error[] = []
  const store = new NdjsonStore({ dir, flushIntervalMs: 3_600_000, onError: (e) => errors.push(e), openFile })
  disk.full = true
  for (let i = 0; i < 5; i++) store.append(makeRecord(i))
  for (let i = 0; i < 24; i++) await store.flush()
  expect(errors.some((e) => /write failed/.test(e.message) && /ENOSPC/.test(e.message))).toBe(true)
  expect(await filesIn(dir)).toHaveLength(1)
  expect(store.stats()).toMatchObject({ written: 0, buffered: 5, dropped: 0 })

  disk.full = false
  await store.close()
  const files = await filesIn(dir)
  expect(files).toHaveLength(1)
  expect(files[0]!.size).toBeGreaterThan(0)
  expect((await collect(readRecords(dir))).map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4'])
  expect(store.stats()).toMatchObject({ written: 5, buffered: 0, dropped: 0 })
})

it('a write cut short mid-line: the retry ends the torn line first, so every record reads back once', async () => {
  const dir = join(await tempDir(), 'diffs')
  const { disk, openFile } = fillableDisk()
  const store = new NdjsonStore({ dir, flushIntervalMs: 3_600_000, onError: () => {}, openFile })
  store.append(makeRecord(0))
  await store.flush()
  const oneLine = (await filesIn(dir))[0]!.size
  disk.full = true
  disk.room = Math.floor(oneLine * 1.5) // one more whole line and half of the next get out
  for (let i = 1; i < 5; i++) store.append(makeRecord(i))
  await store.flush()
  await store.flush()
  expect(store.stats()).toMatchObject({ written: 2, buffered: 3 })

  disk.full = false
  await store.close()
  expect(await filesIn(dir)).toHaveLength(1)
  const skipped: string[] = []
  const ids = (await collect(readRecords(dir, { onSkip: (why) => { skipped.push(String(why)) } }))).map((r) => r.id)
  expect(ids).toEqual(['r0', 'r1', 'r2', 'r3', 'r4'])
  expect(skipped).toHaveLength(1) // the torn half line, alone
})

it('a store closed while the disk is still full leaves no empty file behind, and counts its records as dropped', async () => {
  const dir = join(await tempDir(), 'diffs')
  const { disk, openFile } = fillableDisk()
  const store = new NdjsonStore({ dir, flushIntervalMs: 3_600_000, onError: () => {}, openFile })
  disk.full = true
  store.append(makeRecord(1))
  store.append(makeRecord(2))
  await store.flush()
  await store.flush()
  expect(disk.opened).toBe(2) // created once, reopened once for the retry
  await store.close()
  expect(await filesIn(dir)).toEqual([])
  expect(store.stats()).toMatchObject({ written: 0, dropped: 2 })
})
