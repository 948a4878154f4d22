import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { NdjsonStore } from '../../src/store/ndjson-store.js'
import { readRecords } from '../../src/store/read-records.js'
import { collect, makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

it('rotates to a new file before one would exceed maxFileBytes; every line whole, every record read in order', async () => {
  const dir = await tempDir()
  const maxFileBytes = 4096
  const store = new NdjsonStore({ dir, maxFileBytes, onError: (e) => { throw e } })
  const n = 300
  for (let i = 0; i < n; i++) {
    store.append(makeRecord(i))
    if (i % 37 === 0) await store.flush() // batches of varied sizes
  }
  await store.close()

  const files = (await readdir(dir)).sort()
  expect(files.length).toBeGreaterThan(10)
  let lines = 0
  for (const f of files) {
    expect((await stat(join(dir, f))).size).toBeLessThanOrEqual(maxFileBytes)
    const text = await readFile(join(dir, f), 'utf8')
    expect(text.endsWith('\n')).toBe(true)
    for (const line of text.slice(0, -1).split('\n')) {
      expect(() => JSON.parse(line)).not.toThrow()
      lines++
    }
  }
  expect(lines).toBe(n)
  const skips: unknown[] = []
  const ids = (await collect(readRecords(dir, { onSkip: (s) => skips.push(s) }))).map((r) => r.id)
  expect(ids).toEqual(Array.from({ length: n }, (_, i) => `r${i}`))
  expect(skips).toEqual([])
})

it('gives a record larger than maxFileBytes a file of its own rather than splitting it', async () => {
  const dir = await tempDir()
  const store = new NdjsonStore({ dir, maxFileBytes: 100, onError: (e) => { throw e } })
  for (let i = 0; i < 3; i++) store.append(makeRecord(i))
  await store.close()
  expect(await readdir(dir)).toHaveLength(3)
  expect((await collect(readRecords(dir))).map((r) => r.id)).toEqual(['r0', 'r1', 'r2'])
})
