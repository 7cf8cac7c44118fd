import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { AFTER_WAIT_MS } from '../src/http/api.js';
import { silentLogger } from '../src/logger.js';
import { SearchService } from '../src/service.js';
import { requirePostgres, usePostgresDatabases } from './helpers/postgres.js';

const available = requirePostgres('search service over PostgreSQL');
const TOKEN = 'geheim-token-voor-tests';

const ids = (service: SearchService, q: string) => service.searcher.search(q, { limit: 10, offset: 0 }).hits.map((h) => h.id);

describe.runIf(available)('service over PostgreSQL', () => {
  const pgdb = usePostgresDatabases('replica');
  const dirs: string[] = [];
  const running: SearchService[] = [];

  const start = async (indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-replica-'))) => {
    dirs.push(indexDir);
    const service = new SearchService({ store: { kind: 'postgres', databaseUrl: pgdb.url, pollMs: 50 }, indexDir, stemmer: 'dutch', snapshotDelayMs: 50 }, silentLogger);
    running.push(service);
    const report = await service.start();
    const app = createApp({
      index: service.index,
      searcher: service.searcher,
      logger: silentLogger,
      status: () => service.status(),
      admin: { token: TOKEN, store: service.store, indexer: service.indexer },
      changes: service,
    });
    return { service, report, app, indexDir };
  };
  const stop = async (service: SearchService) => {
    running.splice(running.indexOf(service), 1);
    await service.stop();
  };

  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('lets a write through one replica be read on another with after=SEQ, and says when it cannot yet', async () => {
    const a = await start();
    const b = await start();
    const put = await request(a.app)
      .put('/api/articles/zeeleeuw')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ title: 'Zeeleeuw', text: 'Een zeeleeuw zwom door de Amsterdamse grachten.' })
      .expect(201);
    const seq = Number(put.headers['x-change-seq']);
    expect(put.body.seq).toBe(seq);
    // The writing replica answers when the write is searchable there already.
    expect(ids(a.service, 'zeeleeuw')).toEqual(['zeeleeuw#1']);
    const found = await request(b.app).get('/api/search').query({ q: 'zeeleeuw', after: seq }).expect(200);
    expect(found.body.hits.map((h: { id: string }) => h.id)).toEqual(['zeeleeuw#1']);
    expect(b.service.status().store).toMatchObject({ kind: 'postgres', seq, headSeq: seq, lag: { changes: 0 }, reachable: true });

    const removed = await request(b.app).delete('/api/articles/zeeleeuw').set('Authorization', `Bearer ${TOKEN}`).expect(204);
    const gone = Number(removed.headers['x-change-seq']);
    expect(gone).toBeGreaterThan(seq);
    expect((await request(a.app).get('/api/search').query({ q: 'zeeleeuw', after: gone }).expect(200)).body.total).toBe(0);

    // A change no replica has: after a bounded wait, 503 with Retry-After (never a stale answer).
    const started = Date.now();
    const early = await request(a.app).get('/api/search').query({ q: 'zeeleeuw', after: gone + 1000 }).expect(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(AFTER_WAIT_MS - 50);
    expect(early.headers['retry-after']).toBe('1');
    expect(early.body.error.code).toBe('not_caught_up');
    await request(a.app).get('/api/search').query({ q: 'x', after: 'gisteren' }).expect(400);
  });

  it('answers writes with 503 while PostgreSQL is down, searches from memory meanwhile, and catches up after', async () => {
    const a = await start();
    const b = await start();
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const first = await request(a.app).put('/api/articles/voor').set(auth).send({ text: 'Voor de storing sprak Rutte.' }).expect(201);
    await request(b.app).get('/api/search').query({ q: 'Rutte', after: first.body.seq }).expect(200);
    await pgdb.server.crash();
    try {
      const refused = await request(a.app).put('/api/articles/tijdens').set(auth).send({ text: 'Tijdens de storing.' }).expect(503);
      expect(refused.body.error.code).toBe('store_unavailable');
      expect(refused.headers['retry-after']).toBe('2');
      expect((await request(b.app).get('/api/search').query({ q: 'Rutte' }).expect(200)).body.total).toBe(1);
      await expect.poll(() => (b.service.status().store as { reachable: boolean }).reachable, { timeout: 3_000 }).toBe(false);
      await request(b.app).get('/readyz').expect(200);
    } finally {
      await pgdb.server.start();
    }
    const after = await request(a.app).put('/api/articles/na').set(auth).send({ text: 'Na de storing sprak Rutte weer.' }).expect(201);
    const found = await request(b.app).get('/api/search').query({ q: 'Rutte', after: after.body.seq }).expect(200);
    expect(found.body.hits.map((h: { id: string }) => h.id).sort()).toEqual(['na#1', 'voor#1']);
  });

  it('starts from its snapshot and catches up from the log position stamped in it', async () => {
    const first = await start();
    for (let i = 0; i < 20; i++) await first.service.store.put(`artikel-${i}`, { title: `Artikel ${i}`, text: `De NAVO vergaderde op dag ${i}.` });
    const { indexDir } = first;
    await stop(first.service); // writes the snapshot
    const other = await start();
    await other.service.store.put('artikel-3', { title: 'Artikel 3', text: 'Gewijzigd: Rutte sprak.' });
    const { seq: removedAt } = await other.service.store.remove('artikel-4');

    const second = await start(indexDir);
    expect(second.report).toMatchObject({ snapshot: 'loaded', scan: { resumed: true, upserts: 1, removals: 1, position: { seq: removedAt } } });
    expect(second.service.index.appliedSeq).toBe(removedAt);
    expect(ids(second.service, 'NAVO')).toEqual(ids(other.service, 'NAVO'));
    expect(ids(second.service, 'Rutte')).toEqual(['artikel-3#1']);
  });

  it('compares the whole store with a snapshot stamped by another store, and indexes only the differences', async () => {
    const first = await start();
    for (let i = 0; i < 5; i++) await first.service.store.put(`artikel-${i}`, { title: `Artikel ${i}`, text: `De NAVO vergaderde op dag ${i}.` });
    const { indexDir } = first;
    await stop(first.service);
    // The same articles in a new database: a new identity, and its log starts again at 1.
    await pgdb.newDatabase();
    const writer = await start();
    for (let i = 1; i < 5; i++) await writer.service.store.put(`artikel-${i}`, { title: `Artikel ${i}`, text: `De NAVO vergaderde op dag ${i}.` });
    const moved = await start(indexDir);
    expect(moved.report).toMatchObject({ snapshot: 'loaded', scan: { resumed: false, unchanged: 4, upserts: 0, removals: 1, position: { seq: 4 } } });
    expect(ids(moved.service, 'NAVO').sort()).toEqual(['artikel-1#1', 'artikel-2#1', 'artikel-3#1', 'artikel-4#1']);
  });

  it('restarted on a restored database, compares the whole store, holds what is there, and misses none of the reused numbers', async () => {
    const first = await start();
    await first.service.store.put('a1', { title: 'A1', text: 'Een artikel over de NAVO.' });
    await pgdb.backup(); // the database as of change 1
    await first.service.store.put('a2', { title: 'A2', text: 'Twee over de NAVO.' });
    await first.service.store.put('a3', { title: 'A3', text: 'Drie over de NAVO.' });
    const { indexDir } = first;
    await stop(first.service); // its snapshot is stamped with change 3
    await pgdb.restore();
    const writer = await start();
    await writer.service.store.put('b', { title: 'B', text: 'Bee over de NAVO.' }); // change 2 again

    const second = await start(indexDir);
    expect(second.report).toMatchObject({ snapshot: 'loaded', scan: { resumed: false, position: { seq: 2 } } });
    expect(second.service.index.appliedSeq).toBe(2);
    expect(ids(second.service, 'NAVO').sort()).toEqual(['a1#1', 'b#1']);
    await stop(second.service);
    // Its next snapshot is stamped with change 2 as it is now; changes 3 and 4 come after it.
    await writer.service.store.put('c', { title: 'C', text: 'Cee over de NAVO.' });
    await writer.service.store.put('d', { title: 'D', text: 'Dee over de NAVO.' });
    const third = await start(indexDir);
    expect(third.report).toMatchObject({ scan: { resumed: true, position: { seq: 4 } } });
    expect(ids(third.service, 'NAVO').sort()).toEqual(['a1#1', 'b#1', 'c#1', 'd#1']);
  });

  it('rebuilds from PostgreSQL in the background and keeps its place in the log', async () => {
    const a = await start();
    for (let i = 0; i < 10; i++) await a.service.store.put(`artikel-${i}`, { title: `Artikel ${i}`, text: `Alinea ${i} over Oekraïne.` });
    const before = a.service.index.appliedSeq!;
    a.service.indexer.rebuild(a.service.store);
    const { seq } = await a.service.store.put('tijdens', { title: 'Tijdens', text: 'Oekraïne tijdens de rebuild.' });
    await expect.poll(() => a.service.indexer.rebuildStatus.last?.ok, { timeout: 10_000 }).toBe(true);
    expect(a.service.index.appliedSeq).toBeGreaterThanOrEqual(Math.max(before, seq!));
    expect(ids(a.service, 'Oekraïne')).toHaveLength(10);
    expect(a.service.searcher.search('tijdens', { limit: 10, offset: 0 }).total).toBe(1);
  });
});
