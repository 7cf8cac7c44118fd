import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../src/cluster/postgres-server.js';
import { requirePostgres, startTestPostgres } from '../helpers/postgres.js';
import { isRunning } from '../helpers/processes.js';

const hasPostgres = requirePostgres('the PostgreSQL server tests');

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

describe.skipIf(!hasPostgres)('a throwaway PostgreSQL server', () => {
  const servers: PostgresServer[] = [];
  const folders: string[] = [];
  afterAll(async () => {
    for (const s of servers) await s.remove();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  it('starts on 127.0.0.1, keeps what was committed through a crash, and remove() deletes its folder', async () => {
    const server = await startTestPostgres();
    servers.push(server);
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    await query(server.url, 'CREATE TABLE articles (id text PRIMARY KEY, title text NOT NULL)');
    await query(server.url, 'INSERT INTO articles VALUES ($1, $2), ($3, $4)', ['a1', 'Kabinet valt', 'a2', 'Storm op zee']);
    expect(await query(server.url, 'SHOW fsync')).toEqual([{ fsync: 'off' }]);
    expect(await query(server.url, 'SHOW listen_addresses')).toEqual([{ listen_addresses: '127.0.0.1' }]);

    await server.crash();
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow();
    await server.start();
    expect(await query(server.url, 'SELECT id, title FROM articles ORDER BY id')).toEqual([
      { id: 'a1', title: 'Kabinet valt' },
      { id: 'a2', title: 'Storm op zee' },
    ]);

    const pid = postmasterPid(server.dataDir);
    expect(isRunning(pid)).toBe(true);
    await server.remove();
    expect(existsSync(server.dataDir)).toBe(false);
    expect(isRunning(pid)).toBe(false);
    await expect(query(server.url, 'SELECT 1')).rejects.toThrow();
    await server.remove(); // twice is harmless
  });

  it('reuses a data folder inside a private folder: initdb only the first time, the data kept after stop()', async () => {
    // A mkdtemp folder is 0700; as root the server runs as the postgres user, who must get through it.
    const parent = mkdtempSync(join(tmpdir(), 'nieuwszoeker-pg-test-'));
    folders.push(parent);
    const dataDir = join(parent, 'store', 'pg');
    const first = await startPostgres({ dataDir, fsync: false });
    servers.push(first);
    await query(first.url, 'CREATE TABLE t (n int)');
    await query(first.url, 'INSERT INTO t VALUES (42)');
    const pid = postmasterPid(dataDir);
    await first.stop();
    expect(isRunning(pid)).toBe(false);
    await first.stop(); // twice is harmless
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);

    const again = await startPostgres({ dataDir, port: first.port, fsync: false });
    servers.push(again);
    expect(await query(again.url, 'SELECT n FROM t')).toEqual([{ n: 42 }]);
    expect(await query(again.url, 'SHOW max_connections')).toEqual([{ max_connections: '100' }]);
    await again.stop();
  });

  it('fails with the log when the port is taken, and leaves no folder of its own behind', async () => {
    const ours = () => readdirSync(tmpdir()).filter((name) => name.startsWith('nieuwszoeker-pg-') && !name.startsWith('nieuwszoeker-pg-test-'));
    const before = ours();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startPostgres({ port, fsync: false }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/pg_ctl start failed/);
      expect(error?.message).toMatch(/last lines of .*server\.log/);
      expect(error?.message).toMatch(/could not bind|could not create any TCP\/IP sockets/);
      expect(ours().filter((name) => !before.includes(name))).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
