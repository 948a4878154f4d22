import { expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { NdjsonStore } from '../../src/store/ndjson-store.js'
import { readRecords } from '../../src/store/read-records.js'
import { collect, makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

it('writes buffered records every flushIntervalMs without being asked', async () => {
  const dir = await tempDir()
  const store = new NdjsonStore({ dir, flushIntervalMs: 20, onError: (e) => { throw e } })
  try {
    store.append(makeRecord(1))
    store.append(makeRecord(2))
    expect(store.stats().buffered).toBe(2)
    const deadline = Date.now() + 5_000
    while (store.stats().written < 2 && Date.now() < deadline) await sleep(10)
    // read straight from disk, not through the store (whose read() flushes first)
    expect((await collect(readRecords(dir))).map((r) => r.id)).toEqual(['r1', 'r2'])
    expect(store.stats()).toMatchObject({ written: 2, buffered: 0 })
  } finally {
    await store.close()
  }
})

it('does not wait for the timer when the buffer is half full', async () => {
  const dir = await tempDir()
  const store = new NdjsonStore({ dir, flushIntervalMs: 3_600_000, maxBufferedRecords: 100, onError: (e) => { throw e } })
  try {
    for (let i = 0; i < 60; i++) store.append(makeRecord(i))
    const deadline = Date.now() + 5_000
    while (store.stats().written < 50 && Date.now() < deadline) await sleep(5)
    expect(store.stats().written).toBeGreaterThanOrEqual(50)
    expect(store.stats().dropped).toBe(0)
  } finally {
    await store.close()
  }
})
