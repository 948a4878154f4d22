import { expect, it } from 'vitest'
import { MemoryStore } from '../../src/store/memory-store.js'
import { runStoreContract } from './store-contract.js'
import { collect, makeRecord } from './make-record.js'

runStoreContract('MemoryStore', (onError) => new MemoryStore({ onError }))

it('MemoryStore evicts the oldest records beyond maxRecords and counts them', async () => {
  const errors: Error[] = []
  const store = new MemoryStore({ maxRecords: 3, onError: (e) => errors.push(e) })
  for (let i = 0; i < 5; i++) store.append(makeRecord(i))
  expect((await collect(store.read())).map((r) => r.id)).toEqual(['r2', 'r3', 'r4'])
  expect(store.stats()).toMatchObject({ appended: 5, dropped: 2 })
  expect(errors).toHaveLength(1)
})
