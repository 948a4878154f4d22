import { afterEach, describe, expect, it } from 'vitest'
import type { Store, StoreErrorSink } from '../../src/store/store.js'
import type { StoredPair } from '../../src/store/stored-pair.js'
import type { Rollup } from '../../src/store/rollup.js'
import type { AuditEntry } from '../../src/store/audit-entry.js'
import { collect, makeRecord, timeOf } from './make-record.js'

/**
 * The behaviour every Store shares. Each implementation's test file calls
 * this with a factory; `onError` must be wired to the store's error sink.
 */
export function runStoreContract (name: string, makeStore: (onError: StoreErrorSink) => Store | Promise<Store>): void {
  describe(`${name} (Store contract)`, () => {
    const open: Store[] = []
    let errors: Error[] = []
    const make = async (): Promise<Store> => {
      const store = await makeStore((e) => { errors.push(e) })
      open.push(store)
      return store
    }
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()))
      errors = []
    })

    it('reads back appended records after flush, same content, same order', async () => {
      const store = await make()
      const records = Array.from({ length: 50 }, (_, i) => makeRecord(i))
      for (const r of records) store.append(r)
      await store.flush()
      expect(await collect(store.read())).toEqual(records)
      expect(errors).toEqual([])
    })

    it('read sees records appended before it, without an explicit flush', async () => {
      const store = await make()
      store.append(makeRecord(1))
      store.append(makeRecord(2))
      expect((await collect(store.read())).map((r) => r.id)).toEqual(['r1', 'r2'])
    })

    it('keeps pairs beside records: read back by route, never among the records', async () => {
      const store = await make()
      const pair = (i: number, route: string): StoredPair => ({
        v: 1, id: `r${i}`, at: timeOf(i).toISOString(), route,
        request: { method: 'GET', url: `/api/orders?page=${i}`, headers: { accept: 'application/json' }, body: null },
        primary: { upstream: 'legacy', status: 200, headers: { 'content-type': 'application/json' }, body: { encoding: 'utf8', data: `{"n":${i}}` } },
        shadow: { upstream: 'orders', status: 200, headers: {}, body: { encoding: 'base64', data: Buffer.from(`{"n":${i + 1}}`).toString('base64') } }
      })
      store.append(makeRecord(1))
      store.appendPair(pair(1, 'list-orders'))
      store.appendPair(pair(2, 'get-order'))
      expect((await collect(store.read())).map((r) => r.id)).toEqual(['r1'])
      expect(await collect(store.readPairs())).toEqual([pair(1, 'list-orders'), pair(2, 'get-order')])
      expect((await collect(store.readPairs({ route: 'get-order' }))).map((p) => p.id)).toEqual(['r2'])
      expect(errors).toEqual([])
    })

    it('keeps rollups apart from records: read back in order, by route and since', async () => {
      const store = await make()
      const rollup = (i: number, route: string): Rollup => ({
        v: 1, at: timeOf(i * 10).toISOString(), ms: 10_000, proxy: 'host-a:42', route, upstream: 'orders',
        requests: 10 + i, status: { '2xx': 9 + i, '5xx': 1 }, errors: 1, latency: { 12: 5, 140: 4 + i, 2100: 1 }
      })
      store.append(makeRecord(1))
      for (let i = 0; i < 4; i++) store.appendRollup(rollup(i, i % 2 === 0 ? 'get-order' : 'list-orders'))
      expect((await collect(store.read())).map((r) => r.id)).toEqual(['r1'])
      expect(await collect(store.readRollups())).toEqual([0, 1, 2, 3].map(i => rollup(i, i % 2 === 0 ? 'get-order' : 'list-orders')))
      expect((await collect(store.readRollups({ route: 'get-order', since: timeOf(10) }))).map(r => r.requests)).toEqual([12])
      expect(errors).toEqual([])
    })

    it('appends audit entries durably and reads them back oldest first, apart from records', async () => {
      const store = await make()
      const entry = (i: number, route: string): AuditEntry => ({
        v: 1, id: `a${i}`, at: timeOf(i).toISOString(), by: 'ana', action: i === 2 ? 'rollback' : 'promote', route,
        from: { stage: 'shadowing', serve: 'legacy', shadow: 'orders' },
        to: { stage: 'canary', serve: { orders: 10, legacy: 90 }, shadow: 'orders' },
        evidence: null, forced: false, reason: i === 1 ? 'tenant acme first' : null,
        file: '/srv/rules.yaml', hashBefore: 'a'.repeat(64), hashAfter: 'b'.repeat(64),
        routeBefore: `- name: ${route}\n  # kept comment\n  serve: legacy\n`
      })
      await store.appendAudit(entry(1, 'get-order'))
      await store.appendAudit(entry(2, 'get-order'))
      await store.appendAudit(entry(3, 'list-orders'))
      expect(await collect(store.read())).toEqual([])
      expect(await collect(store.readAudit())).toEqual([entry(1, 'get-order'), entry(2, 'get-order'), entry(3, 'list-orders')])
      expect((await collect(store.readAudit({ route: 'get-order', since: timeOf(2) }))).map(e => e.id)).toEqual(['a2'])
      expect(errors).toEqual([])
    })

    it('reads nothing from an empty store', async () => {
      const store = await make()
      expect(await collect(store.read())).toEqual([])
      expect(await collect(store.readRollups())).toEqual([])
      expect(await collect(store.readAudit())).toEqual([])
      await store.flush()
      expect(await collect(store.read({ route: 'list-orders' }))).toEqual([])
    })

    it('filters by since, inclusive', async () => {
      const store = await make()
      for (let i = 0; i < 10; i++) store.append(makeRecord(i))
      await store.flush()
      expect((await collect(store.read({ since: timeOf(7) }))).map((r) => r.id)).toEqual(['r7', 'r8', 'r9'])
      expect(await collect(store.read({ since: timeOf(100) }))).toEqual([])
      expect(await collect(store.read({ since: timeOf(-100) }))).toHaveLength(10)
    })

    it('filters by route, exactly', async () => {
      const store = await make()
      for (let i = 0; i < 10; i++) store.append(makeRecord(i))
      store.append(makeRecord(10, { route: 'list-orders-v2' }))
      await store.flush()
      const ids = (await collect(store.read({ route: 'list-orders' }))).map((r) => r.id)
      expect(ids).toEqual(['r0', 'r2', 'r4', 'r6', 'r8'])
      expect(await collect(store.read({ route: 'nope' }))).toEqual([])
    })

    it('combines since and route', async () => {
      const store = await make()
      for (let i = 0; i < 10; i++) store.append(makeRecord(i))
      await store.flush()
      const ids = (await collect(store.read({ route: 'get-order', since: timeOf(4) }))).map((r) => r.id)
      expect(ids).toEqual(['r5', 'r7', 'r9'])
    })

    it('close flushes what was appended', async () => {
      const store = await make()
      for (let i = 0; i < 5; i++) store.append(makeRecord(i))
      await store.close()
      expect((await collect(store.read())).map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4'])
      expect(store.stats()).toMatchObject({ appended: 5, written: 5, dropped: 0, buffered: 0 })
    })

    it('append after close does not throw; the record is dropped, counted and reported once', async () => {
      const store = await make()
      store.append(makeRecord(1))
      await store.close()
      expect(() => {
        store.append(makeRecord(2))
        store.append(makeRecord(3))
      }).not.toThrow()
      expect((await collect(store.read())).map((r) => r.id)).toEqual(['r1'])
      expect(store.stats().dropped).toBe(2)
      expect(errors).toHaveLength(1)
      expect(errors[0].message).toMatch(/after close/)
    })

    it('close is idempotent and flush after close resolves', async () => {
      const store = await make()
      store.append(makeRecord(1))
      await Promise.all([store.close(), store.close()])
      await store.close()
      await store.flush()
      expect(await collect(store.read())).toHaveLength(1)
    })

    it('round-trips 20 000 records in order', async () => {
      const store = await make()
      const n = 20_000
      // a store may shed a burst larger than its buffer cap made in one tick (that is the cap's job),
      // so the burst comes in slices with a flush between, as a busy proxy's timer would do
      for (let i = 0; i < n; i++) {
        store.append(makeRecord(i))
        if (i % 2_500 === 2_499) await store.flush()
      }
      await store.flush()
      let count = 0
      for await (const r of store.read()) {
        expect(r.id).toBe(`r${count}`)
        count++
      }
      expect(count).toBe(n)
      expect(store.stats()).toMatchObject({ appended: n, dropped: 0 })
      expect(errors).toEqual([])
    })

    it('a sink that throws never reaches the caller', async () => {
      const store = await makeStore(() => { throw new Error('sink is broken') })
      open.push(store)
      await store.close()
      expect(() => store.append(makeRecord(1))).not.toThrow()
      expect(store.stats().errors).toBe(1)
    })
  })
}
