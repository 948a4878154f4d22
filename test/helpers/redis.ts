import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

/** The development/CI server; REDIS_URL overrides it. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * A connection to the Redis server, or null when it does not answer. In CI
 * its absence is a failure (thrown); locally the caller skips, and the
 * reason is printed.
 */
export async function redisClient (): Promise<Redis | null> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
    return client
  } catch (err) {
    client.disconnect()
    if (process.env.CI !== undefined) throw new Error(`Redis is not reachable at ${REDIS_URL} (required in CI): ${(err as Error).message}`)
    console.warn(`skipping Redis tests: ${REDIS_URL} is not reachable (${(err as Error).message})`)
    return null
  }
}

/** A key prefix of this test's own: runs never see each other's keys. */
export function testPrefix (): string {
  return `strangler-test:${randomBytes(6).toString('hex')}:`
}

/** Every key under `prefix` (SCAN, never KEYS). */
export async function keysUnder (client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    keys.push(...batch)
    cursor = next
  } while (cursor !== '0')
  return keys
}

/** Delete every key under `prefix`. */
export async function dropPrefix (client: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(client, prefix)
  if (keys.length > 0) await client.del(...keys)
}

/** Close the connections of one proxy's shared correlation (CLIENT KILL by the name it gives them); returns how many. */
export async function killConnections (client: Redis, instance: string): Promise<number> {
  const list = await client.client('LIST') as string
  let n = 0
  for (const line of list.split('\n')) {
    if (!line.includes(`name=strangler-correlation-${instance}`)) continue
    const id = /\bid=(\d+)/.exec(line)?.[1]
    if (id === undefined) continue
    n += Number(await client.client('KILL', 'ID', id))
  }
  return n
}

/** How many connections one proxy's shared correlation has open now. */
export async function connectionCount (client: Redis, instance: string): Promise<number> {
  const list = await client.client('LIST') as string
  return list.split('\n').filter((line) => line.includes(`name=strangler-correlation-${instance}`)).length
}
