import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { NdjsonStore } from '../../src/store/ndjson-store.js'
import { readRecords } from '../../src/store/read-records.js'
import { runStoreContract } from './store-contract.js'
import { collect, makeRecord } from './make-record.js'
import { useTempDirs } from './temp-dir.js'

const tempDir = useTempDirs()

runStoreContract('NdjsonStore', async (onError) => new NdjsonStore({ dir: join(await tempDir(), 'diffs'), onError }))

it('NdjsonStore writes one JSON object per line into a diffs-<time>-<pid>-<seq>.ndjson file', async () => {
  const dir = join(await tempDir(), 'nested', 'diffs')
  const store = new NdjsonStore({ dir, onError: (e) => { throw e } })
  store.append(makeRecord(1))
  store.append(makeRecord(2))
  await store.close()
  const files = await readdir(dir)
  expect(files).toHaveLength(1)
  expect(files[0]).toMatch(new RegExp(`^diffs-\\d{8}T\\d{6}Z-${String(process.pid).padStart(7, '0')}-\\d{6}\\.ndjson$`))
  const text = await readFile(join(dir, files[0]), 'utf8')
  expect(text.endsWith('\n')).toBe(true)
  expect(text.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([makeRecord(1), makeRecord(2)])
})

it('NdjsonStore creates no file while nothing is appended', async () => {
  const dir = join(await tempDir(), 'diffs')
  const store = new NdjsonStore({ dir, onError: (e) => { throw e } })
  await store.flush()
  await store.close()
  expect(await collect(readRecords(dir))).toEqual([])
  await expect(readdir(dir)).rejects.toMatchObject({ code: 'ENOENT' })
})

it('NdjsonStore keeps a burst of 20 000 records made in one tick when the cap allows it', async () => {
  const dir = await tempDir()
  const store = new NdjsonStore({ dir, maxBufferedRecords: 20_000, onError: (e) => { throw e } })
  for (let i = 0; i < 20_000; i++) store.append(makeRecord(i))
  await store.close()
  const ids = (await collect(readRecords(dir))).map((r) => r.id)
  expect(ids).toHaveLength(20_000)
  expect(ids[19_999]).toBe('r19999')
  expect(store.stats()).toMatchObject({ appended: 20_000, written: 20_000, dropped: 0 })
})

it('NdjsonStore keeps the audit log beside the store folder (.strangler/audit.ndjson for .strangler/diffs) and rollups in rollups/', async () => {
  const root = join(await tempDir(), '.strangler')
  const store = new NdjsonStore({ dir: join(root, 'diffs'), onError: (e) => { throw e } })
  store.appendRollup({ v: 1, at: '2026-11-21T10:00:00.000Z', ms: 10_000, proxy: 'h:1', route: 'r', upstream: 'u', requests: 1, status: { '2xx': 1 }, errors: 0, latency: { 10: 1 } })
  await store.appendAudit({
    v: 1, id: 'a1', at: '2026-11-21T10:00:00.000Z', by: 'ana', action: 'promote', route: 'r',
    from: { stage: 'legacy', serve: 'legacy', shadow: null }, to: { stage: 'shadowing', serve: 'legacy', shadow: 'orders' },
    evidence: null, forced: false, reason: null, file: '/x/rules.yaml', hashBefore: '0', hashAfter: '1', routeBefore: '- name: r\n'
  })
  await store.close()
  expect(store.auditFile).toBe(join(root, 'audit.ndjson'))
  expect(JSON.parse(await readFile(join(root, 'audit.ndjson'), 'utf8'))).toMatchObject({ id: 'a1', route: 'r' })
  expect(await readdir(join(root, 'diffs', 'rollups'))).toHaveLength(1)
  expect(await collect(store.read())).toEqual([])
})
