import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll } from 'vitest'

/** The development/CI server (trust auth); PG_URL overrides it. */
export const PG_BASE = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

function urlFor (database: string): string {
  const url = new URL(PG_BASE)
  url.pathname = `/${database}`
  return url.href
}

/**
 * Whether the PostgreSQL server answers. In CI its absence is a failure
 * (thrown); locally the caller skips, and the reason is printed.
 */
export async function postgresReachable (): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.end()
    return true
  } catch (err) {
    if (process.env.CI !== undefined) throw new Error(`PostgreSQL is not reachable at ${PG_BASE} (required in CI): ${(err as Error).message}`)
    console.warn(`skipping PostgreSQL tests: ${PG_BASE} is not reachable (${(err as Error).message})`)
    return false
  }
}

async function admin<T> (use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor('postgres') })
  await client.connect()
  try {
    return await use(client)
  } finally {
    await client.end()
  }
}

/** A fresh database of this test file's own (`strangler_test_<random>`), dropped after the file's tests; returns its URL. */
export async function createTestDatabase (): Promise<string> {
  const name = `strangler_test_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`CREATE DATABASE ${name}`))
  afterAll(async () => { await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) })
  return urlFor(name)
}

/** Runs SQL as the server's superuser on the maintenance database (to cut or restore a test database's connections). */
export async function adminQuery (sql: string): Promise<void> {
  await admin((c) => c.query(sql))
}

export function databaseOf (url: string): string {
  return new URL(url).pathname.slice(1)
}
