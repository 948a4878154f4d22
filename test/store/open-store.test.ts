import { expect, it } from 'vitest'
import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { openStore } from '../../src/store/open-store.js'
import { StranglerError } from '../../src/errors.js'
import { makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

async function ids (store: ReturnType<typeof openStore>): Promise<string[]> {
  const out: string[] = []
  for await (const r of store.read()) out.push(r.id)
  return out
}

it('opens a folder as an NDJSON store that writes and reads back', async () => {
  const dir = await tempDir()
  const store = openStore(dir)
  store.append(makeRecord(1))
  store.append(makeRecord(2))
  expect(await ids(store)).toEqual(['r1', 'r2'])
  await store.close()
  // a second store on the same folder (another command) sees the records
  const reader = openStore(pathToFileURL(dir).href)
  expect(await ids(reader)).toEqual(['r1', 'r2'])
  await reader.close()
})

it('counts the lines it could not read in its stats', async () => {
  const dir = await tempDir()
  await appendFile(join(dir, 'diffs-20261121T100000Z-1-0.ndjson'), JSON.stringify(makeRecord(1)) + '\nnot json\n{"torn":')
  const store = openStore(dir)
  expect(await ids(store)).toEqual(['r1'])
  expect(store.stats().unreadable).toBe(2)
  await store.close()
})

it('refuses a scheme it cannot open with a USAGE error naming it', () => {
  let err: unknown
  try { openStore('mongodb://127.0.0.1/diffs') } catch (e) { err = e }
  expect(err).toBeInstanceOf(StranglerError)
  expect((err as StranglerError).code).toBe('USAGE')
  expect((err as StranglerError).message).toContain('mongodb://')
})
