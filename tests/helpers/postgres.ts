/** Real PostgreSQL servers for tests: skips a suite with a notice where PostgreSQL is not installed. */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { postgresProblem, startPostgres, type PostgresServer } from '../../src/cluster/postgres-server.js';
import { requireInstalled } from './shared.js';

/** Whether `suite` can run: false (after a notice) without PostgreSQL, an error in CI. */
export function requirePostgres(suite: string): boolean {
  return requireInstalled(suite, postgresProblem());
}

/** A fresh server without fsync (commits survive a crash of the server, not of the machine), for speed. */
export function startTestPostgres(): Promise<PostgresServer> {
  return startPostgres({ fsync: false });
}

/**
 * One throwaway server for the suite and a new database for every test (its log starts empty, with a new
 * store identity). `newDatabase()` makes another one inside a test; the getters read the current one.
 */
export function usePostgresDatabases(prefix: string): {
  readonly server: PostgresServer;
  readonly url: string;
  readonly database: string;
  newDatabase(): Promise<string>;
  /** Copies the current database as it is now, identity, log and sequence included (a backup). */
  backup(): Promise<void>;
  /** Puts the last backup in the current database's place, at the same URL (a restore). */
  restore(): Promise<void>;
} {
  let server: PostgresServer | undefined;
  let count = 0;
  let url = '';
  let database = '';
  const newDatabase = async () => {
    const admin = new pg.Client({ connectionString: server!.url });
    await admin.connect();
    database = `${prefix}_${++count}`;
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    url = server!.url.replace(/\/postgres$/, `/${database}`);
    return url;
  };
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.remove();
  });
  beforeEach(async () => {
    await newDatabase();
  });
  const admin = async (...statements: string[]) => {
    const client = new pg.Client({ connectionString: server!.url });
    await client.connect();
    try {
      for (const sql of statements) await client.query(sql);
    } finally {
      await client.end();
    }
  };
  // CREATE DATABASE … TEMPLATE and RENAME need the database to themselves: its connections are cut first.
  const disconnect = (db: string) => `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}' AND pid <> pg_backend_pid()`;
  // A terminated backend is gone only once it has exited: waited for (up to 5 s), re-reading the statistics.
  const gone = (db: string) =>
    `DO $$ BEGIN FOR i IN 1..100 LOOP PERFORM pg_stat_clear_snapshot(); ` +
    `EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = '${db}' AND pid <> pg_backend_pid()); ` +
    `PERFORM pg_sleep(0.05); END LOOP; END $$`;
  const backup = async () => {
    // No new connections while it is copied either: a service under test reconnects at once, and one that got
    // in between the wait and the copy failed it ("being accessed by other users").
    try {
      await admin(
        `ALTER DATABASE ${database} ALLOW_CONNECTIONS false`,
        disconnect(database),
        gone(database),
        `DROP DATABASE IF EXISTS ${database}_backup`,
        `CREATE DATABASE ${database}_backup TEMPLATE ${database}`,
        `ALTER DATABASE ${database}_backup ALLOW_CONNECTIONS true`,
      );
    } finally {
      await admin(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    }
  };
  const restore = async () => {
    // No new connections while it is swapped (a follower under test reconnects at once), then the backup in place.
    await admin(
      `ALTER DATABASE ${database} ALLOW_CONNECTIONS false`,
      disconnect(database),
      gone(database),
      `ALTER DATABASE ${database} RENAME TO ${database}_replaced`,
      `ALTER DATABASE ${database}_backup RENAME TO ${database}`,
    );
  };
  return {
    backup,
    restore,
    get server() {
      return server!;
    },
    get url() {
      return url;
    },
    get database() {
      return database;
    },
    newDatabase,
  };
}
