import type { DiffRecord } from '../../src/store/record.js'

const BASE = Date.parse('2026-11-21T10:00:00.000Z')

/** A plausible record; `i` sets id, time (one second apart) and, by default, route. */
export function makeRecord (i: number, overrides: Partial<DiffRecord> = {}): DiffRecord {
  return {
    v: 1,
    id: `r${i}`,
    at: new Date(BASE + i * 1000).toISOString(),
    route: i % 2 === 0 ? 'list-orders' : 'get-order',
    method: 'GET',
    url: `/api/orders?page=${i}`,
    primary: { upstream: 'legacy', status: 200, ms: 12.4, bytes: 1834 },
    shadow: { upstream: 'orders', status: 200, ms: 15.2, bytes: 1802 },
    outcome: i % 3 === 0 ? 'mismatch' : 'match',
    differences: i % 3 === 0 ? [{ kind: 'changed', path: `$.items[${i % 7}].price`, primary: 10, shadow: 10.5 }] : [],
    ...overrides
  }
}

export const timeOf = (i: number): Date => new Date(BASE + i * 1000)

export async function collect<T> (iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}
