/**
 * The PostgreSQL store's schema as numbered migrations, applied in order on open under an advisory lock
 * (so replicas starting together migrate once), each in its own transaction and recorded in
 * `schema_migrations`. A migration, once released, is never edited: a change is a new migration.
 */
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'articles and their change log',
    sql: `
      -- One row naming this store: a snapshot's log position is only used with the store that stamped it,
      -- and a database created again (same URL, empty log) gets a new identity.
      CREATE TABLE store_identity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        one_row boolean NOT NULL DEFAULT true UNIQUE CHECK (one_row)
      );
      INSERT INTO store_identity DEFAULT VALUES;

      -- Each article with its paragraphs, as the analyzer reads them. hash: SHA-256 of the article's file
      -- encoding (the same as the folder store's for a canonical file); seq: the change that wrote it.
      CREATE TABLE articles (
        id text PRIMARY KEY,
        title text NOT NULL,
        date text,
        source text,
        url text,
        paragraphs text[] NOT NULL CHECK (cardinality(paragraphs) > 0),
        hash text NOT NULL,
        seq bigint NOT NULL,
        changed_at timestamptz NOT NULL
      );

      -- Every write appends here in the same transaction. seq is taken under the writers' advisory lock,
      -- so writes commit in seq order and a reader that sees change N has seen every change before it.
      CREATE TABLE article_changes (
        seq bigserial PRIMARY KEY,
        article_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('upsert', 'remove')),
        committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
    `,
  },
];

/** Key of the advisory lock that makes migrations run once when several processes start together. */
const MIGRATION_LOCK = 0x6e7a_0001;

/** Applies the migrations the database lacks; returns the versions applied now. */
export async function migrate(client: pg.ClientBase): Promise<number[]> {
  const applied: number[] = [];
  // Before anything else: even CREATE TABLE IF NOT EXISTS fails when two processes run it at once.
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...done);
    const known = Math.max(...MIGRATIONS.map((m) => m.version));
    if (newest > known) {
      throw new Error(`the database's schema is at version ${newest}, newer than this program knows (${known}): upgrade the program`);
    }
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(migration.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
  return applied;
}
