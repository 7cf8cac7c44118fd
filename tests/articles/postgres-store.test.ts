import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { CHANGES_CHANNEL, MARK, PostgresArticleStore } from '../../src/articles/postgres-store.js';
import { MIGRATIONS } from '../../src/articles/postgres-schema.js';
import { StoreError, type ArticleChange, type ArticleVersion, type LogPosition } from '../../src/articles/store.js';
import { startStandby } from '../../src/cluster/postgres-server.js';
import { silentLogger } from '../../src/logger.js';
import { requirePostgres, usePostgresDatabases } from '../helpers/postgres.js';

const available = requirePostgres('PostgreSQL article store');

/** What a listener received, in order, with the sequence each batch brought it to. */
function follower() {
  const batches: Array<{ changes: ArticleChange[]; seq: number | undefined; reset: boolean }> = [];
  return {
    batches,
    listener: async (changes: ArticleChange[], to?: LogPosition & { reset?: boolean }) => void batches.push({ changes, seq: to?.seq, reset: to?.reset === true }),
    shown: () => batches.flatMap((b) => b.changes.map((c) => (c.type === 'upsert' ? `+${c.article.id}:${c.article.paragraphs[0]}` : `-${c.id}`))),
    last: () => batches.at(-1)?.seq,
  };
}

async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.runIf(available)('PostgresArticleStore', () => {
  const pgdb = usePostgresDatabases('nieuws');
  const stores: PostgresArticleStore[] = [];
  const clients: pg.Client[] = [];

  const store = (options: { pollMs?: number; applicationName?: string } = {}) => {
    const s = new PostgresArticleStore({ databaseUrl: pgdb.url, pollMs: options.pollMs ?? 50, ...options, connectTimeoutMs: 3_000, lockTimeoutMs: 2_000 }, silentLogger);
    stores.push(s);
    return s;
  };
  const client = async () => {
    const c = new pg.Client({ connectionString: pgdb.url });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  };
  /** A writer and a reader that follows the log from its start, with what the reader received. */
  const writerAndFollower = async (readerOptions: { pollMs?: number } = {}) => {
    const writer = store();
    const reader = store(readerOptions);
    await Promise.all([writer.open(), reader.open()]);
    const seen = follower();
    reader.subscribe(seen.listener);
    await reader.watch();
    const start = await reader.changesSince(null, new Map(), seen.listener, { exclusive: true });
    return { writer, reader, seen, start };
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
  });

  it('migrates an empty database once, however many processes open it at the same time, and names the store', async () => {
    const [a, b, c] = [store(), store(), store()];
    await Promise.all([a.open(), b.open(), c.open()]);
    expect(a.identity).toMatch(/^postgres:[0-9a-f-]{36}$/);
    expect(new Set([a.identity, b.identity, c.identity]).size).toBe(1);
    const sql = await client();
    const { rows } = await sql.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    // Another database is another store, even at the same server.
    const other = new PostgresArticleStore({ databaseUrl: pgdb.server.url }, silentLogger);
    stores.push(other);
    await other.open();
    expect(other.identity).not.toBe(a.identity);
  });

  it('refuses a database whose schema is newer than the program', async () => {
    const a = store();
    await a.open();
    await (await client()).query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')`);
    await expect(store().open()).rejects.toThrow(/schema is at version 999, newer than this program knows/);
  });

  it('numbers every write in one log, and a follower in another process receives them in that order', async () => {
    const { writer, reader, seen, start } = await writerAndFollower();
    expect(start).toMatchObject({ position: { seq: 0 }, resumed: false, upserts: 0 });

    const first = await writer.put('navo', { title: 'NAVO', text: 'De NAVO vergaderde.' });
    const second = await writer.create({ title: 'Rutte', text: 'Rutte sprak in Den Haag.' });
    const again = await writer.put('navo', { title: 'NAVO', text: 'De NAVO vergaderde.' });
    const third = await writer.put('navo', { title: 'NAVO', text: 'De NAVO besloot.' });
    const fourth = await writer.remove(second.article.id);
    const none = await writer.remove('bestaat-niet');
    expect([first.seq, second.seq, third.seq, fourth.seq]).toEqual([1, 2, 3, 4]);
    expect(first.created).toBe(true);
    expect(third.created).toBe(false);
    // The same content again changes nothing and logs nothing: its receipt is the change that wrote it.
    expect(again).toMatchObject({ created: false, seq: 1 });
    expect(none).toEqual({ removed: false, seq: null });

    await until(() => seen.last() === 4);
    // Each change is delivered as the article is now, so a follower that is behind jumps to the current text.
    expect(seen.shown().filter((s) => s.startsWith('+navo'))).toContain('+navo:De NAVO besloot.');
    expect(seen.shown().at(-1)).toBe(`-${second.article.id}`);
    expect(reader.status()).toMatchObject({ seq: 4, headSeq: 4, lag: { changes: 0, ms: 0 }, reachable: true, listening: true });
  });

  it('catches up from a cursor with only the changes after it, and compares the whole store without one', async () => {
    const s = store();
    await s.open();
    for (let i = 1; i <= 5; i++) await s.put(`artikel-${i}`, { title: `Artikel ${i}`, text: `Alinea ${i}.` });
    const all = follower();
    const full = await s.changesSince(null, new Map(), all.listener);
    expect(full).toMatchObject({ position: { seq: 5 }, resumed: false, upserts: 5, removals: 0 });
    // Only the last batch carries the sequence: the reader holds the store as of 5 once every batch is in.
    expect(all.batches.map((b) => b.seq).filter((q) => q !== undefined)).toEqual([5]);
    const known = new Map<string, ArticleVersion>(
      all.batches.flatMap((b) => b.changes.flatMap((c) => (c.type === 'upsert' ? [[c.article.id, c.version] as const] : []))),
    );

    await s.put('artikel-2', { title: 'Artikel 2', text: 'Gewijzigd.' });
    await s.remove('artikel-4');
    await s.put('artikel-6', { title: 'Artikel 6', text: 'Nieuw.' });
    const resumed = follower();
    expect(await s.changesSince(full.position, known, resumed.listener)).toMatchObject({ position: { seq: 8 }, resumed: true, upserts: 2, removals: 1 });
    expect(resumed.shown()).toEqual(['+artikel-2:Gewijzigd.', '-artikel-4', '+artikel-6:Nieuw.']);

    // Without a usable position (none, beyond this log's head, or a change 5 that is another one), hashes decide.
    for (const since of [{ seq: 1_000, mark: full.position!.mark }, { seq: 5, mark: '1' }]) {
      const compared = follower();
      expect(await s.changesSince(since, known, compared.listener)).toMatchObject({ position: { seq: 8 }, resumed: false, unchanged: 3, upserts: 2, removals: 1 });
      expect(compared.shown().sort()).toEqual(['+artikel-2:Gewijzigd.', '+artikel-6:Nieuw.', '-artikel-4']);
      expect(compared.batches.at(-1)).toMatchObject({ seq: 8, reset: true });
    }
  });

  it('prevents the out-of-order commit race: a later write cannot commit before an earlier one', async () => {
    const s = store();
    await s.open();
    await s.put('basis', { title: 'Basis', text: 'Eerste.' });

    // Why the lock: two transactions that take sequence numbers freely can commit in the other order, and a
    // reader that saw the later one (cursor 3) would never read the earlier one (2).
    const slow = await client();
    const fast = await client();
    const nextval = `SELECT nextval(pg_get_serial_sequence('article_changes', 'seq'))::int AS seq`;
    await slow.query('BEGIN');
    const early = (await slow.query(nextval)).rows[0].seq as number;
    await slow.query(`INSERT INTO article_changes (seq, article_id, kind) VALUES ($1, 'langzaam', 'remove')`, [early]);
    await fast.query('BEGIN');
    const late = (await fast.query(nextval)).rows[0].seq as number;
    await fast.query(`INSERT INTO article_changes (seq, article_id, kind) VALUES ($1, 'snel', 'remove')`, [late]);
    await fast.query('COMMIT');
    const visible = async () => (await (await client()).query<{ seq: number }>('SELECT seq::int FROM article_changes ORDER BY seq')).rows.map((r) => r.seq);
    expect(await visible()).toEqual([1, late]);
    await slow.query('ROLLBACK');

    // The store's writers hold the advisory lock from before they take a number until they commit. A
    // writer that holds it (here by hand, as a slow writer of the store would) holds back every later one.
    await slow.query('BEGIN');
    await slow.query('SELECT pg_advisory_xact_lock($1)', [0x6e7a_0002]);
    const held = (await slow.query(nextval)).rows[0].seq as number;
    await slow.query(`INSERT INTO articles (id, title, paragraphs, hash, seq, changed_at) VALUES ('traag', 'Traag', ARRAY['Traag.'], 'h', $1, now())`, [held]);
    await slow.query(`INSERT INTO article_changes (seq, article_id, kind) VALUES ($1, 'traag', 'upsert')`, [held]);
    let done = false;
    const later = s.put('later', { title: 'Later', text: 'Later geschreven.' }).then((r) => ((done = true), r));
    await until(async () => (await (await client()).query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0].n === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(done).toBe(false);
    // A reader now sees nothing beyond the basis: neither change is committed.
    expect(await visible()).toEqual([1, late]);
    await slow.query('COMMIT');
    const receipt = await later;
    expect(receipt.seq).toBeGreaterThan(held);
    expect(await visible()).toEqual([1, late, held, receipt.seq]);
  });

  it('never lets a follower skip a change while several processes write at once', async () => {
    const writers = [store(), store(), store()];
    const reader = store({ pollMs: 5 });
    await Promise.all([...writers, reader].map((w) => w.open()));
    const seen = follower();
    reader.subscribe(seen.listener);
    await reader.watch();
    await reader.changesSince(null, new Map(), seen.listener, { exclusive: true });
    const receipts = await Promise.all(
      writers.map(async (w, n) => {
        const seqs: number[] = [];
        for (let i = 0; i < 40; i++) seqs.push((await w.put(`w${n}-${i % 7}`, { title: `Schrijver ${n}`, text: `Versie ${i} van schrijver ${n}.` })).seq);
        return seqs;
      }),
    );
    const head = Math.max(...receipts.flat());
    await until(() => (seen.last() ?? 0) >= head);
    // Every article's last write is what the follower holds: nothing was skipped on the way.
    const state = new Map<string, string>();
    for (const b of seen.batches) for (const c of b.changes) if (c.type === 'upsert') state.set(c.article.id, c.article.paragraphs[0]!);
    const rows = (await (await client()).query<{ id: string; p: string }>('SELECT id, paragraphs[1] AS p FROM articles')).rows;
    expect(new Map(rows.map((r) => [r.id, r.p]))).toEqual(state);
    // Every write was delivered with the batch that reached its number, in order.
    const delivered = seen.batches.map((b) => b.seq!).filter((q) => q !== undefined);
    expect(delivered).toEqual([...delivered].sort((x, y) => x - y));
  });

  it('imports a batch in one transaction: all of it, or nothing when the connection dies half way', async () => {
    const s = store({ applicationName: 'nieuwszoeker-import-test' });
    await s.open();
    const articles: Article[] = Array.from({ length: 3000 }, (_, i) => ({ id: `import-${i}`, title: `Import ${i}`, date: null, source: null, url: null, paragraphs: [`Alinea ${i}.`] }));
    const sql = await client();
    // Settled into a value at once: the rejection comes while the test is still cutting the connection.
    const importing = s.importMany(articles).then(() => 'imported', (error: unknown) => error);
    // Once the import's transaction is under way, its connection is cut, as when the writer is killed.
    await until(async () => (await sql.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'nieuwszoeker-import-test' AND xact_start IS NOT NULL`)).rows[0].n > 0);
    await sql.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'nieuwszoeker-import-test' AND xact_start IS NOT NULL`);
    expect(await importing).toBeInstanceOf(StoreError);
    const count = async () => (await sql.query('SELECT (SELECT count(*) FROM articles)::int AS a, (SELECT count(*) FROM article_changes)::int AS c')).rows[0];
    expect(await count()).toEqual({ a: 0, c: 0 });
    const { statuses, seq } = await s.importMany(articles);
    expect(statuses.every((st) => st === 'added')).toBe(true);
    // Numbers taken by the killed batch are never used: the log has a gap, which followers do not mind.
    expect(seq).toBeGreaterThanOrEqual(articles.length);
    expect(await count()).toEqual({ a: 3000, c: 3000 });
    expect((await s.importMany(articles.slice(0, 2))).statuses).toEqual(['unchanged', 'unchanged']);
  });

  it('keeps following when its LISTEN connection is terminated, and listens again', async () => {
    const { writer, reader, seen } = await writerAndFollower({ pollMs: 100 });
    await until(() => reader.status().listening);
    const sql = await client();
    await sql.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`, [`LISTEN ${CHANGES_CHANNEL}`]);
    await until(() => !reader.status().listening);
    const { seq } = await writer.put('tijdens', { title: 'Tijdens', text: 'Geschreven zonder luisteraar.' });
    await until(() => seen.last() === seq, 2_000);
    await until(() => reader.status().listening, 10_000);
  });

  it('fails writes clearly while the database is down, keeps its place, and catches up when it is back', async () => {
    const { writer, reader, seen } = await writerAndFollower();
    await writer.put('voor', { title: 'Voor', text: 'Voor de storing.' });
    await until(() => seen.last() === 1);
    await pgdb.server.crash();
    try {
      const refused = await writer.put('tijdens', { title: 'Tijdens', text: 'Tijdens de storing.' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as StoreError).code).toBe('unavailable');
      expect((refused as StoreError).message).toMatch(/cannot (take writes|be reached)/);
      await until(() => !reader.status().reachable, 3_000);
      expect(reader.status().seq).toBe(1);
    } finally {
      await pgdb.server.start();
    }
    const { seq } = await writer.put('na', { title: 'Na', text: 'Na de storing.' });
    await until(() => seen.last() === seq, 5_000);
    expect(reader.status().reachable).toBe(true);
    expect(seen.shown().at(-1)).toBe('+na:Na de storing.');
  });

  it('reads the log from a streaming standby and listens on the primary, without skipping or waiting long', async () => {
    const writer = store();
    await writer.open();
    await writer.put('voor', { title: 'Voor', text: 'Voor de standby.' });
    const standby = await startStandby(pgdb.server, { fsync: false });
    try {
      const readUrl = standby.url.replace(/\/postgres$/, `/${pgdb.database}`);
      // A standby refuses LISTEN: that is why the follower listens on the primary and reads elsewhere.
      const direct = new pg.Client({ connectionString: readUrl });
      await direct.connect();
      await expect(direct.query(`LISTEN ${CHANGES_CHANNEL}`)).rejects.toThrow(/cannot execute LISTEN during recovery/);
      await direct.end();

      const reader = new PostgresArticleStore({ databaseUrl: pgdb.url, readUrl, pollMs: 50 }, silentLogger);
      stores.push(reader);
      await reader.open();
      const seen = follower();
      reader.subscribe(seen.listener);
      await reader.watch();
      expect(await reader.changesSince(null, new Map(), seen.listener, { exclusive: true })).toMatchObject({ upserts: 1, position: { seq: 1 } });
      const receipts = [];
      for (let i = 0; i < 30; i++) receipts.push(await writer.put(`artikel-${i % 5}`, { title: 'Standby', text: `Versie ${i}.` }));
      // Its own writes go to the primary and come back through the standby before the receipt.
      const own = await reader.put('eigen', { title: 'Eigen', text: 'Door de lezer geschreven.' });
      expect(seen.last()).toBe(own.seq);
      expect(own.seq).toBeGreaterThan(receipts.at(-1)!.seq);
      const state = new Map<string, string>();
      for (const b of seen.batches) for (const c of b.changes) if (c.type === 'upsert') state.set(c.article.id, c.article.paragraphs[0]!);
      for (let i = 0; i < 5; i++) expect(state.get(`artikel-${i}`)).toBe(`Versie ${25 + i}.`);
      expect(reader.status()).toMatchObject({ seq: own.seq, listening: true, reachable: true });
    } finally {
      await standby.remove();
    }
  });

  it('notices a log that went back (a restored database) and compares the whole store instead of skipping the reused numbers', async () => {
    const first = store();
    await first.open();
    await first.put('a1', { title: 'A1', text: 'Een.' });
    await pgdb.backup(); // the database as of change 1
    const reader = store();
    await reader.open();
    const seen = follower();
    // What the reader holds, for the whole-store compare: the last delivered state of each article.
    const held = new Map<string, ArticleVersion>();
    const listener = async (changes: ArticleChange[], to?: LogPosition & { reset?: boolean }) => {
      for (const c of changes) if (c.type === 'upsert') held.set(c.article.id, c.version);
      else held.delete(c.id);
      await seen.listener(changes, to);
    };
    reader.subscribe(listener, () => held);
    await reader.watch();
    await reader.changesSince(null, new Map(), listener, { exclusive: true });
    await first.put('a2', { title: 'A2', text: 'Twee.' });
    await first.put('a3', { title: 'A3', text: 'Drie.' });
    await until(() => reader.status().seq === 3);

    await pgdb.restore(); // back to change 1: a2 and a3 never happened, and numbers 2 and 3 are used again
    const writer = store();
    await writer.open();
    expect(writer.identity).toBe(reader.identity);
    const receipts = [];
    for (const id of ['b', 'c', 'd']) receipts.push((await writer.put(id, { title: id, text: `Artikel ${id}.` })).seq);
    expect(receipts).toEqual([2, 3, 4]);
    await until(() => reader.status().seq === 4 && held.has('d'));
    expect([...held.keys()].sort()).toEqual(['a1', 'b', 'c', 'd']);
    // The compare set the position outright (to wherever the log stood when the reader noticed).
    expect(seen.batches.some((b) => b.reset)).toBe(true);
  });

  it('answers its own write after a restore only once it holds it, though the number is one it had passed', async () => {
    // A long poll interval: only the write's own wake-up can bring the article in.
    const me = store({ pollMs: 10_000 });
    await me.open();
    const held = new Map<string, ArticleVersion>();
    const listener = async (changes: ArticleChange[]) => {
      for (const c of changes) if (c.type === 'upsert') held.set(c.article.id, c.version);
      else held.delete(c.id);
    };
    me.subscribe(listener, () => held);
    await me.watch();
    await me.changesSince(null, new Map(), listener, { exclusive: true });
    await me.put('a1', { title: 'A1', text: 'Een.' });
    await pgdb.backup();
    await me.put('a2', { title: 'A2', text: 'Twee.' });
    await me.put('a3', { title: 'A3', text: 'Drie.' });
    expect(me.status().seq).toBe(3);
    await pgdb.restore();
    const { seq } = await me.put('b', { title: 'B', text: 'Bee.' });
    expect(seq).toBe(2);
    expect(held.has('b')).toBe(true);
    expect([...held.keys()].sort()).toEqual(['a1', 'b']);
  });

  it('marks a change by its commit time in microseconds, exactly and whatever the session\'s time zone', async () => {
    const c = await client();
    await c.query(`SET TIME ZONE 'Europe/Amsterdam'`);
    const { rows } = await c.query(
      `SELECT ${MARK('t')} AS mark FROM (VALUES ('2026-12-01 20:22:11.999999+00'::timestamptz), ('1969-12-31 23:59:59.000001+00'::timestamptz)) v(t)`,
    );
    expect(rows.map((r) => r.mark)).toEqual(['1796156531999999', '-999999']);
  });
});
