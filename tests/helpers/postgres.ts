/** Real PostgreSQL servers for tests: skips a suite with a notice where PostgreSQL is not installed. */
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
