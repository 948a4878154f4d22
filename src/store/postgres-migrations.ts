import type { PoolClient } from 'pg'

/** One schema change: applied once per database, in order, in a transaction. */
export interface PostgresMigration {
  readonly version: number
  readonly name: string
  /** statements, with `{schema}` standing for the store's schema (a checked identifier) */
  readonly sql: readonly string[]
}

/**
 * The schema, as versioned migrations. A migration is never edited once
 * released: a change is a new one at the end.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'records, pairs, rollups, audit',
    sql: [
      `CREATE TABLE {schema}.records (
        seq bigserial PRIMARY KEY,
        at timestamptz,
        route text NOT NULL,
        outcome text,
        id text,
        doc jsonb NOT NULL
      )`,
      'CREATE INDEX records_route_at ON {schema}.records (route, at)',
      'CREATE INDEX records_at ON {schema}.records (at)',
      `CREATE TABLE {schema}.pairs (
        seq bigserial PRIMARY KEY,
        at timestamptz,
        route text NOT NULL,
        id text,
        doc jsonb NOT NULL
      )`,
      'CREATE INDEX pairs_route_at ON {schema}.pairs (route, at)',
      'CREATE INDEX pairs_id ON {schema}.pairs (id)',
      `CREATE TABLE {schema}.rollups (
        seq bigserial PRIMARY KEY,
        at timestamptz,
        route text NOT NULL,
        proxy text,
        doc jsonb NOT NULL
      )`,
      'CREATE INDEX rollups_route_at ON {schema}.rollups (route, at)',
      'CREATE INDEX rollups_at ON {schema}.rollups (at)',
      `CREATE TABLE {schema}.audit (
        seq bigserial PRIMARY KEY,
        at timestamptz,
        route text NOT NULL,
        id text,
        doc jsonb NOT NULL
      )`,
      'CREATE INDEX audit_route_at ON {schema}.audit (route, at)'
    ]
  }
]

/**
 * Brings the schema up to date: in one transaction, under an advisory lock
 * keyed on the schema's name (so instances starting at once take turns and
 * the later ones find the work done), each migration not yet in
 * `{schema}.migrations` is applied and recorded. Idempotent. Returns the
 * versions it applied.
 */
export async function migratePostgres (client: PoolClient, schema: string, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<number[]> {
  const applied: number[] = []
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`strangler:${schema}`])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${schema}.migrations`)).rows.map((r) => r.version))
    for (const m of migrations) {
      if (done.has(m.version)) continue
      for (const statement of m.sql) await client.query(statement.replaceAll('{schema}', schema))
      await client.query(`INSERT INTO ${schema}.migrations (version, name) VALUES ($1, $2)`, [m.version, m.name])
      applied.push(m.version)
    }
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  }
  return applied
}
