import { afterEach, describe, expect, it } from 'vitest'
import { compareExchange } from '../../../src/compare/compare-exchange.js'
import { ComparePool } from '../../../src/compare/pool/compare-pool.js'
import { ComparePoolError } from '../../../src/compare/pool/compare-pool-error.js'
import { cfg, json } from '../helpers.js'

function bigDoc (n: number, bump = -1): unknown {
  return { items: Array.from({ length: n }, (_, i) => ({ id: i, name: `item-${i}`, price: i === bump ? i + 0.5 : i, updatedAt: `t${i}`, tags: ['a', 'b'] })) }
}

const config = cfg({ headers: ['content-type'], ignore: ['$.items[*].updatedAt'], unordered: ['$.items[*].tags'] })
const pools: ComparePool[] = []
function pool (opts?: ConstructorParameters<typeof ComparePool>[0]): ComparePool {
  const p = new ComparePool(opts)
  pools.push(p)
  return p
}
afterEach(async () => { await Promise.all(pools.splice(0).map(p => p.close())) })

describe('ComparePool', () => {
  it('a large pair goes to a worker and gives the same result as inline', async () => {
    const p = json(bigDoc(3000, 17))
    const s = json(bigDoc(3000, 2500))
    expect(p.body!.length + s.body!.length).toBeGreaterThan(64 * 1024)
    const cp = pool()
    const viaWorker = await cp.compare(p, s, config)
    expect(cp.stats).toMatchObject({ worker: 1, inline: 0, spawned: 1 })
    expect(viaWorker).toEqual(compareExchange(p, s, config))
    expect(viaWorker.differences.map(d => d.path)).toEqual(['$.items[17].price', '$.items[2500].price'])
    // the caller's buffers are copied, not detached
    expect(p.body!.length).toBeGreaterThan(0)
    expect(JSON.parse(p.body!.toString()).items).toHaveLength(3000)
  })

  it('a small pair is compared inline, but never synchronously in the caller', async () => {
    const cp = pool()
    const promise = cp.compare(json({ a: 1 }), json({ a: 2 }), config)
    expect(cp.stats.inline).toBe(0)
    expect(cp.pending).toBe(1)
    const r = await promise
    expect(r.differences).toEqual([{ kind: 'changed', path: '$.a', primary: 1, shadow: 2 }])
    expect(cp.stats).toMatchObject({ inline: 1, worker: 0, spawned: 0 })
  })

  it('a full queue rejects with a typed error', async () => {
    const cp = pool({ maxQueue: 2, inlineMaxBytes: 0 })
    const a = cp.compare(json(bigDoc(10)), json(bigDoc(10)), config)
    const b = cp.compare(json(bigDoc(10)), json(bigDoc(10)), config)
    const c = cp.compare(json(bigDoc(10)), json(bigDoc(10)), config)
    await expect(c).rejects.toBeInstanceOf(ComparePoolError)
    await expect(c).rejects.toMatchObject({ code: 'COMPARE_QUEUE_FULL' })
    await expect(a).resolves.toMatchObject({ outcome: 'match' })
    await expect(b).resolves.toMatchObject({ outcome: 'match' })
    // room again once they are done
    await expect(cp.compare(json({}), json({}), config)).resolves.toMatchObject({ outcome: 'match' })
    expect(cp.stats.rejectedFull).toBe(1)
  })

  it('a worker crash rejects its job with a typed error and a fresh worker takes the next', async () => {
    const cp = pool({ inlineMaxBytes: 0, workerUrl: new URL('../fixtures/crashing-compare-worker.ts', import.meta.url) })
    const crash = cp.compare(json({ a: 1 }, 599), json({ a: 1 }), config)
    const next = cp.compare(json({ a: 1 }), json({ a: 2 }), config)
    await expect(crash).rejects.toMatchObject({ name: 'ComparePoolError', code: 'COMPARE_WORKER_CRASHED' })
    await expect(next).resolves.toMatchObject({ outcome: 'mismatch' })
    expect(cp.stats).toMatchObject({ crashed: 1, spawned: 2, worker: 1 })
  })

  it('close() rejects what is still queued and refuses new work', async () => {
    const cp = pool({ inlineMaxBytes: 0 })
    const running = cp.compare(json(bigDoc(2000)), json(bigDoc(2000)), config)
    const queued = cp.compare(json({ a: 1 }), json({ a: 1 }), config)
    const outcomes = Promise.allSettled([running, queued])
    await cp.close()
    const [r1, r2] = await outcomes
    expect(r1).toMatchObject({ status: 'rejected', reason: { code: 'COMPARE_POOL_CLOSED' } })
    expect(r2).toMatchObject({ status: 'rejected', reason: { code: 'COMPARE_POOL_CLOSED' } })
    await expect(cp.compare(json({}), json({}), config)).rejects.toMatchObject({ code: 'COMPARE_POOL_CLOSED' })
  })
})
