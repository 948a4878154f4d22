import { describe, expect, it } from 'vitest'
import pg from 'pg'
import { PostgresStore } from '../../src/store/postgres-store.js'
import { openStore } from '../../src/store/open-store.js'
import { StranglerError } from '../../src/errors.js'
import { runStoreContract } from './store-contract.js'
import { collect, makeRecord } from './make-record.js'
import { createTestDatabase, postgresReachable } from '../helpers/postgres.js'
import { deadPort } from '../helpers/upstream.js'

const reachable = await postgresReachable()

describe.skipIf(!reachable)('PostgresStore', async () => {
  const url = reachable ? await createTestDatabase() : ''
  // each store in a schema of its own, so every test starts from an empty store in the file's database
  let n = 0
  const fresh = (onError: (e: Error) => void, extra: object = {}): PostgresStore => new PostgresStore({ url, schema: `s${process.pid}_${n++}`, onError, ...extra })

  runStoreContract('PostgresStore', (onError) => fresh(onError))

  it('migrates once: two stores on one fresh schema at once, then a third, leave one row per migration', async () => {
    const schema = `m${process.pid}_${n++}`
    const stores = [0, 1, 2].map(() => new PostgresStore({ url, schema, onError: (e) => { throw e } }))
    await Promise.all([stores[0]!.checkWritable(), stores[1]!.checkWritable()])
    await stores[2]!.checkWritable()
    stores[0]!.append(makeRecord(1))
    stores[1]!.append(makeRecord(2))
    await Promise.all(stores.map((s) => s.flush()))
    expect((await collect(stores[2]!.read())).map((r) => r.id).sort()).toEqual(['r1', 'r2'])
    await Promise.all(stores.map((s) => s.close()))
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const rows = (await client.query(`SELECT version FROM ${schema}.migrations`)).rows
      expect(rows).toEqual([{ version: 1 }])
      const tables = (await client.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema])).rows.map((r) => r.table_name)
      expect(tables).toEqual(['audit', 'migrations', 'pairs', 'records', 'rollups'])
    } finally {
      await client.end()
    }
  })

  it('opens postgres:// and postgresql:// URLs through openStore', async () => {
    for (const scheme of ['postgres', 'postgresql']) {
      const store = openStore(url.replace(/^postgres/, scheme))
      expect(store).toBeInstanceOf(PostgresStore)
      await store.close()
    }
  })

  it('a database that is down: append never throws, drops past the cap are counted, errors told once, checkWritable names the URL without its password', async () => {
    const port = await deadPort()
    const down = `postgres://strangler:s3cret-pw@127.0.0.1:${port}/test`
    const errors: Error[] = []
    const store = new PostgresStore({ url: down, onError: (e) => errors.push(e), maxBufferedRecords: 100, connectTimeoutMs: 500 })
    expect(() => { for (let i = 0; i < 250; i++) store.append(makeRecord(i)) }).not.toThrow()
    await store.flush()
    await store.flush()
    expect(store.stats()).toMatchObject({ appended: 250, written: 0, dropped: 150, buffered: 100 })
    const told = errors.filter((e) => /insert failed/.test(e.message))
    expect(told).toHaveLength(1)
    let err: unknown
    try { await store.checkWritable() } catch (e) { err = e }
    expect(err).toBeInstanceOf(StranglerError)
    expect((err as StranglerError).code).toBe('STORE_UNWRITABLE')
    expect((err as Error).message).toContain(`127.0.0.1:${port}`)
    expect((err as Error).message).not.toContain('s3cret-pw')
    await expect(store.appendAudit({ v: 1, id: 'a1', at: '2026-11-21T10:00:00.000Z', by: 'ana', action: 'promote', route: 'r', from: { stage: 'legacy', serve: 'legacy', shadow: null }, to: { stage: 'shadowing', serve: 'legacy', shadow: 'o' }, evidence: null, forced: false, reason: null, file: '/r.yaml', hashBefore: '0', hashAfter: '1', routeBefore: '' })).rejects.toMatchObject({ code: 'STORE_UNWRITABLE' })
    for (const e of errors) expect(e.message).not.toContain('s3cret-pw')
    await store.close()
    expect(store.stats()).toMatchObject({ dropped: 250, buffered: 0 })
  })

  it('a database that comes back: rows kept while it was unreachable are written on the timer', async () => {
    const errors: Error[] = []
    const store = fresh((e) => errors.push(e), { connectTimeoutMs: 1000 })
    await store.checkWritable()
    const db = new URL(url).pathname.slice(1)
    const admin = new pg.Client({ connectionString: url.replace(`/${db}`, '/postgres') })
    await admin.connect()
    try {
      await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS false`)
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db])
      for (let i = 0; i < 5; i++) store.append(makeRecord(i))
      await store.flush()
      expect(store.stats()).toMatchObject({ appended: 5, written: 0, buffered: 5 })
      expect(errors.length).toBeGreaterThan(0)
    } finally {
      await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS true`)
      await admin.end()
    }
    await expect.poll(() => store.stats().written, { timeout: 10_000 }).toBe(5)
    expect((await collect(store.read())).map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4'])
    await store.close()
  })

  it('a row the database refuses (a NUL in a column) is dropped alone; the rest of its batch is written', async () => {
    const errors: Error[] = []
    const store = fresh((e) => errors.push(e))
    store.append(makeRecord(1))
    store.append(makeRecord(2, { route: 'bad\u0000route' }))
    store.append(makeRecord(3))
    expect((await collect(store.read())).map((r) => r.id)).toEqual(['r1', 'r3'])
    expect(store.stats()).toMatchObject({ appended: 3, written: 2, dropped: 1 })
    expect(errors).toHaveLength(1)
    await store.close()
  })
})
