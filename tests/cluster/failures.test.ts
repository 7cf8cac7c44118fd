/**
 * Failures of a real cluster (PostgreSQL, two replicas of src/main.ts, nginx) with real processes: replicas
 * killed, paused and restarted, a writer killed mid-batch, LISTEN connections cut, the database crashed.
 * Each case asserts what clients saw: no acknowledged write lost, no 5xx but the ones a failure explains.
 * FAILURES_FULL=1 (`npm run test:failures`) runs the same cases at full length.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../bench/random.js';
import { formatArticle } from '../../src/articles/article.js';
import { CHANGES_CHANNEL } from '../../src/articles/postgres-store.js';
import { startCluster, type Cluster, type Replica } from '../../src/cluster/cluster.js';
import { AFTER_WAIT_MS } from '../../src/http/api.js';
import { requireNginx } from '../helpers/nginx.js';
import { requirePostgres } from '../helpers/postgres.js';
import { REPO_ROOT } from '../helpers/shared.js';

const available = requirePostgres('the cluster failure tests') && requireNginx('the cluster failure tests');
const FULL = process.env.FAILURES_FULL === '1';

/** Durations and counts: short enough for `npm test`, or at full length. */
const SCALE = FULL
  ? { seedArticles: 3_000, writes: 200, loadMs: 10_000, outageMs: 10_000, pauseMs: 10_000, importArticles: 6_000, testMs: 300_000 }
  : { seedArticles: 300, writes: 20, loadMs: 2_000, outageMs: 2_000, pauseMs: 3_000, importArticles: 1_400, testMs: 60_000 };
/** Articles per transaction of `npm run import` into PostgreSQL (src/cli/import.ts). */
const IMPORT_BATCH = 200;
const REPLICA_ENV = { SYNC_POLL_MS: '100', SNAPSHOT_DELAY_MS: '500', LOG_LEVEL: 'info' };

const QUERIES = ['NAVO', 'kabinet', 'defensie begroting', 'rente', 'verkiezingen Den Haag', 'ziekenhuis', 'klimaat', 'gemeente woningen', '"Tweede Kamer"', 'minister onderwijs'];

const WORDS = (
  'kabinet minister gemeente woningen rente inflatie defensie begroting verkiezingen ziekenhuis klimaat onderwijs ' +
  'leraren studenten boeren stikstof energie gasprijs politie rechter rechtbank provincie wethouder burgemeester ' +
  'belasting pensioen zorg huisarts verpleging treinen spoor snelweg fiets haven schepen export bedrijven banen ' +
  'werkloosheid economie groei vakbond staking akkoord onderhandelingen coalitie oppositie motie debat stemming ' +
  'wetsvoorstel Europa Brussel Oekraïne Rusland NAVO Amerika China handel sancties vluchtelingen asiel migratie ' +
  'overstroming dijken water droogte hitte storm regen natuur bossen dieren voetbal elftal kampioen wedstrijd ' +
  'museum tentoonstelling concert festival theater boek schrijver onderzoek universiteit wetenschappers vaccin virus'
).split(' ');
const FILLER = 'de het een van in op met voor dat en is zijn werd wordt naar bij over door ook nog al maar dan'.split(' ');

/** A deterministic Dutch-looking article: a title and two to four paragraphs of frequent news words. */
function generatedArticle(rng: Rng, n: number): { title: string; text: string } {
  const words = (count: number) => Array.from({ length: count }, () => (rng.chance(0.45) ? FILLER[rng.int(FILLER.length)]! : WORDS[rng.int(WORDS.length)]!));
  const paragraphs = Array.from({ length: rng.between(2, 4) }, () => {
    const p = words(rng.between(12, 40));
    if (rng.chance(0.15)) p.splice(rng.int(p.length), 0, 'Tweede', 'Kamer');
    if (rng.chance(0.15)) p.splice(rng.int(p.length), 0, 'Den', 'Haag');
    return `${p.join(' ')}.`;
  });
  return { title: `Bericht ${n}: ${words(4).join(' ')}`, text: paragraphs.join('\n\n') };
}

/** Writes `count` generated articles as `<prefix>-NNNNN.txt` into a new folder; returns the folder. */
function writeCorpus(parent: string, prefix: string, count: number, seed: number): string {
  const dir = join(parent, prefix);
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${String(i).padStart(5, '0')}`;
    const { title, text } = generatedArticle(rng, i);
    // The last article of a corpus carries a word of its own, so a search can tell whether it is in.
    writeFileSync(join(dir, `${id}.txt`), formatArticle({ title, text: i === count - 1 ? `${text}\n\nslotwoord${prefix}` : text }));
  }
  return dir;
}

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  ms: number;
}

/**
 * One request; parsed as JSON when it is. A request whose reused keep-alive connection closed before any answer
 * is sent again once, on a new connection, when it is idempotent — as browsers do. nginx closes its client
 * connections when a reload (the balancer's upstreams changing) retires its old worker, and one that a client
 * sent on at that moment is lost; the resends are counted in `resent`.
 */
async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  let status: number;
  let headers: Headers;
  let text: string;
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    [status, headers, text] = [res.status, res.headers, await res.text()];
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (!['GET', 'HEAD', 'PUT', 'DELETE'].includes(init.method ?? 'GET') || (code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET')) throw error;
    resent.push(`${init.method ?? 'GET'} ${new URL(url).pathname} (${code})`);
    ({ status, headers, text } = await onNewConnection(url, init));
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (nginx's own error pages)
  }
  return { status, headers, body, ms: performance.now() - started };
}

/** Requests sent again on a new connection by `call`. */
const resent: string[] = [];

function onNewConnection(url: string, init: RequestInit): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, agent: false, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
        resolve({ status: res.statusCode!, headers, text });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(typeof init.body === 'string' ? init.body : undefined);
  });
}

function search(base: string, q: string, after?: number): Promise<Answer> {
  return call(`${base}/api/search?q=${encodeURIComponent(q)}&limit=10${after === undefined ? '' : `&after=${after}`}`);
}

/** The top-10 paragraphs of a search, in order, as `id score`; fails unless it answered 200. */
async function top10(base: string, q: string, after?: number): Promise<string[]> {
  const answer = await search(base, q, after);
  expect(answer.status, `${base} ${q}: ${JSON.stringify(answer.body)}`).toBe(200);
  return (answer.body.hits as Array<{ id: string; score: number }>).map((h) => `${h.id} ${h.score}`);
}

/** Every query's top 10 on one replica, once it has applied `seq` (asked once: after= waits AFTER_WAIT_MS). */
async function topsOf(base: string, seq: number): Promise<Record<string, string[]>> {
  const tops: Record<string, string[]> = {};
  for (const q of QUERIES) tops[q] = await top10(base, q, seq);
  return tops;
}

async function readyz(replica: Replica): Promise<any> {
  return (await call(`${replica.url}/readyz`)).body;
}

/** An acknowledged (or refused) write through the balancer. */
interface Write {
  id: string;
  word: string;
  status: number | 'error';
  seq: number | null;
  ms: number;
  /** performance.now() when the answer came. */
  doneAt: number;
  error?: string;
  body?: unknown;
}

/** PUT /api/articles/:id through the balancer, with a word no other article has. */
async function putArticle(cluster: Cluster, id: string): Promise<Write> {
  const word = `merkwoord${id.replace(/[^a-z0-9]/g, '')}`;
  const started = performance.now();
  let answer: Answer;
  try {
    answer = await call(`${cluster.url}/api/articles/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${cluster.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Schrijftest ${id}`, text: `Een artikel over het kabinet en de NAVO, met ${word} erin.\n\nEen tweede alinea over de begroting.` }),
    });
  } catch (error) {
    return { id, word, status: 'error', seq: null, ms: performance.now() - started, doneAt: performance.now(), error: String(error) };
  }
  const seq = answer.status < 300 ? Number(answer.headers.get('x-change-seq')) : null;
  // The receipt is in the header and in the body alike.
  if (seq !== null) expect(answer.body.seq).toBe(seq);
  return { id, word, status: answer.status, seq, ms: answer.ms, doneAt: performance.now(), body: answer.body };
}

/** Loads still running (a test that failed before stopping its own); afterEach stops them. */
const running = new Set<() => Promise<unknown>>();

/** Writes one article after another through the balancer until stopped. */
function writeLoop(cluster: Cluster, prefix: string, pauseMs = 50) {
  const writes: Write[] = [];
  let writing = true;
  const done = (async () => {
    for (let n = 0; writing; n++) {
      writes.push(await putArticle(cluster, `${prefix}-${n}`));
      await sleep(pauseMs);
    }
  })();
  const stop = async () => {
    writing = false;
    running.delete(stop);
    await done;
  };
  running.add(stop);
  return { writes, acknowledged: () => writes.filter((w) => w.seq !== null), stop };
}

interface Probe {
  sentAt: number;
  status: number | 'error';
  ms: number;
  error?: string;
}

/**
 * Searches through the balancer at a fixed rate, whether or not earlier ones have answered (an open loop,
 * as independent users send them), so one stuck request does not hold back the next.
 */
function searchLoad(base: string, everyMs = 20) {
  const probes: Probe[] = [];
  const pending = new Set<Promise<void>>();
  let n = 0;
  const timer = setInterval(() => {
    const sentAt = performance.now();
    const q = QUERIES[n++ % QUERIES.length]!;
    const probe = search(base, q).then(
      (a) => void probes.push({ sentAt, status: a.status, ms: a.ms, ...(a.status === 200 ? {} : { error: JSON.stringify(a.body).slice(0, 200) }) }),
      (error: unknown) => void probes.push({ sentAt, status: 'error', ms: performance.now() - sentAt, error: String(error) }),
    );
    pending.add(probe);
    void probe.finally(() => pending.delete(probe));
  }, everyMs);
  /** Stops sending and waits for every request in flight. */
  const stop = async () => {
    clearInterval(timer);
    running.delete(stop);
    await Promise.all(pending);
    return probes;
  };
  running.add(stop);
  return { probes, failures: () => probes.filter((p) => p.status !== 200), stop };
}

function summarize(probes: Probe[]): string {
  const ms = probes.map((p) => p.ms).sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0);
  return `${probes.length} searches, ${probes.filter((p) => p.status !== 200).length} not 200, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
}

async function until<T>(what: string, check: () => Promise<T | false | null | undefined> | T | false | null | undefined, ms = 10_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(everyMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Log lines (JSON) a replica wrote after byte `offset` of its log. */
function logLines(replica: Replica, offset = 0): Array<Record<string, any>> {
  return readFileSync(replica.logFile)
    .subarray(offset)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

function note(line: string): void {
  console.info(`[failures${FULL ? ', full' : ''}] ${line}`);
}

/** The resends since the test began, for its note: empty in a test where nginx was never reloaded. */
function resends(): string {
  return resent.length === 0 ? 'no request resent' : `${resent.length} sent again on a new connection after nginx closed theirs on reload (${[...new Set(resent.map((r) => r.split(' ')[0]))].join(', ')})`;
}

describe.runIf(available)('a cluster of two replicas behind nginx, under failures', () => {
  let root: string;
  let seedDir: string;
  let cluster: Cluster | undefined;
  let clusterDir: string | undefined;
  let balancerLog: string[] = [];
  const sql: pg.Client[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nieuwszoeker-failures-'));
    seedDir = writeCorpus(root, 'seed', SCALE.seedArticles, 1);
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  // The test's own cleanups first (a paused replica continued, PostgreSQL started again), loads left running,
  // and its folder only once nothing runs in it (pg_ctl stop needs the data folder).
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    for (const stop of running) await stop();
    await Promise.all(sql.splice(0).map((c) => c.end().catch(() => undefined)));
    await cluster?.stop();
    cluster = undefined;
    if (clusterDir) rmSync(clusterDir, { recursive: true, force: true });
    clusterDir = undefined;
  }, 60_000);

  /** A fresh cluster (its own PostgreSQL, without fsync) in a folder of its own, seeded with the corpus. */
  async function start(name: string): Promise<Cluster> {
    const dir = join(root, name);
    clusterDir = dir;
    balancerLog = [];
    resent.length = 0;
    const started = Date.now();
    cluster = await startCluster({ replicas: 2, dir, fsync: false, seed: [seedDir], env: REPLICA_ENV, log: (line) => balancerLog.push(line) });
    note(`${name}: cluster up in ${Date.now() - started} ms`);
    return cluster;
  }

  async function database(c: Cluster): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: c.databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    sql.push(client);
    return client;
  }

  /** Every replica holds what the database holds: as many articles, and the log up to its head. */
  async function expectLikeDatabase(c: Cluster): Promise<void> {
    const db = await database(c);
    const { rows } = await db.query<{ n: number; head: string | null }>('SELECT (SELECT count(*)::int FROM articles) AS n, (SELECT max(seq) FROM article_changes) AS head');
    const head = Number(rows[0]!.head ?? 0);
    for (const replica of c.replicas) {
      expect((await search(replica.url, 'kabinet', head)).status).toBe(200);
      const status = await readyz(replica);
      expect({ replica: replica.index, articles: status.articles, atHead: status.store.seq >= head }).toEqual({ replica: replica.index, articles: rows[0]!.n, atHead: true });
    }
  }

  /** Whether every acknowledged write is stored as written on `replica` (which has applied them all). */
  async function expectAllFound(replica: Replica, writes: Write[]): Promise<void> {
    const last = Math.max(0, ...writes.map((w) => w.seq ?? 0));
    expect((await search(replica.url, 'kabinet', last)).status).toBe(200);
    for (const w of writes) {
      const answer = await call(`${replica.url}/api/articles/${w.id}`);
      expect(answer.status, `${w.id} on replica ${replica.index}`).toBe(200);
      expect(answer.body.paragraphs[0].text).toContain(w.word);
    }
  }

  it(
    'a: both replicas return the same top 10 for every query within 1 s of the last write',
    async () => {
      const c = await start('a');
      const [one, two] = c.replicas as [Replica, Replica];
      // Writes, rewrites and deletions through the balancer, so both followed the same mixed log.
      const writes: Write[] = [];
      for (let i = 0; i < SCALE.writes; i++) writes.push(await putArticle(c, `a-${i % Math.ceil(SCALE.writes / 2)}`));
      const removed = await call(`${c.url}/api/articles/seed-00007`, { method: 'DELETE', headers: { authorization: `Bearer ${c.adminToken}` } });
      expect(removed.status).toBe(204);
      const last = await putArticle(c, 'a-last');
      const ackedAt = performance.now();
      expect([...writes, last].filter((w) => w.status !== 200 && w.status !== 201)).toEqual([]);
      expect(Number(removed.headers.get('x-change-seq'))).toBeLessThan(last.seq!);

      // Each replica is asked once per query with after=, sent as soon as the write was acknowledged: a 200
      // means it had the change within the wait, which is the 1 s the cluster promises.
      expect(AFTER_WAIT_MS).toBe(1_000);
      const [topsOne, topsTwo] = await Promise.all([topsOf(one.url, last.seq!), topsOf(two.url, last.seq!)]);
      const firstAnswers = await Promise.all([search(one.url, last.word, last.seq!), search(two.url, last.word, last.seq!)]);
      const caughtUp = performance.now() - ackedAt;
      for (const a of firstAnswers) expect(a.body.hits.map((h: { articleId: string }) => h.articleId)).toEqual(['a-last']);
      expect(topsTwo).toEqual(topsOne);
      expect(Object.values(topsOne).filter((ids) => ids.length === 10).length).toBeGreaterThanOrEqual(QUERIES.length - 2);
      expect(Object.values(topsOne).flat().filter((hit) => hit.startsWith('seed-00007#'))).toEqual([]);
      await expectLikeDatabase(c);
      // Nothing changed in the balancer, so nginx was never reloaded and no connection was cut.
      expect(resent).toEqual([]);
      note(`a: ${writes.length + 2} writes; ${QUERIES.length} queries identical on both replicas, all answered ${Math.round(caughtUp)} ms after the last acknowledgement`);
    },
    SCALE.testMs,
  );

  it(
    'b: kill -9 of a replica under search load: the balancer keeps answering, and the replica restarts from its snapshot',
    async () => {
      const c = await start('b');
      const [victim, survivor] = c.replicas as [Replica, Replica];
      const load = searchLoad(c.url);
      const writer = writeLoop(c, 'b');
      await sleep(1_000);
      const killedAt = performance.now();
      const pid = victim.pid;
      await victim.kill();
      expect(victim.alive).toBe(false);
      await sleep(SCALE.loadMs);

      // Restarted under the same load and writes: it loads its snapshot and catches up from its position.
      const logOffset = readFileSync(victim.logFile).length;
      const restartAt = performance.now();
      await victim.start();
      const restartMs = performance.now() - restartAt;
      await sleep(500);
      await writer.stop();
      const probes = await load.stop();

      const failed = load.failures();
      expect(failed, JSON.stringify(failed.slice(0, 5))).toEqual([]);
      // The write under way on the killed replica may fail; none other may.
      const refused = writer.writes.filter((w) => w.seq === null);
      expect(refused.length, JSON.stringify(refused)).toBeLessThanOrEqual(1);
      const acked = writer.acknowledged();
      const duringOutage = acked.filter((w) => w.doneAt > killedAt && w.doneAt < restartAt).length;
      expect(duringOutage).toBeGreaterThan(5);
      await expectAllFound(survivor, acked);
      await expectAllFound(victim, acked);

      const restartLog = logLines(victim, logOffset);
      const loaded = restartLog.find((l) => /^loaded snapshot/.test(l.msg));
      const indexed = restartLog.find((l) => /^indexed /.test(l.msg));
      expect(indexed, 'the restart logs what it indexed').toBeDefined();
      expect(indexed).toMatchObject({ snapshot: 'loaded', resumed: true });
      expect(loaded!.seq).toBeGreaterThan(0);
      const head = Math.max(...acked.map((w) => w.seq!));
      const status = await readyz(victim);
      expect(status.store.seq).toBeGreaterThanOrEqual(head);
      expect(await topsOf(victim.url, head)).toEqual(await topsOf(survivor.url, head));
      await expectLikeDatabase(c);
      note(
        `b: killed pid ${pid}, down for ${Math.round(restartAt - killedAt)} ms; ${summarize(probes)}; ${resends()}; ` +
          `${acked.length} writes acknowledged (${duringOutage} while it was down, ${refused.length} refused); restart ready in ${Math.round(restartMs)} ms ` +
          `(snapshot at change ${loaded!.seq}, caught up to ${(indexed!.position as { seq: number }).seq} reading ${indexed!.files} log entries)`,
      );
    },
    SCALE.testMs,
  );

  it(
    'c: kill -9 of `npm run import` in the middle of a batch leaves whole batches only, and a re-run completes',
    async () => {
      const c = await start('c');
      const db = await database(c);
      const folder = writeCorpus(root, 'imp', SCALE.importArticles, 2);
      const lastId = `imp-${String(SCALE.importArticles - 1).padStart(5, '0')}`;
      const runImport = () => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'import.ts'), folder], {
          cwd: REPO_ROOT,
          env: { ...process.env, ARTICLE_STORE: 'postgres', DATABASE_URL: c.databaseUrl },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
        child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
        const exited = new Promise<number | NodeJS.Signals>((r) => child.once('exit', (code, signal) => r(signal ?? code!)));
        cleanups.push(() => void child.kill('SIGKILL'));
        return { child, exited, output: () => output };
      };
      const imported = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM articles WHERE id LIKE 'imp-%'`)).rows[0]!.n;
      const inTransaction = async () =>
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'nieuwszoeker-import' AND xact_start IS NOT NULL`)).rows[0]!.n > 0;

      const first = runImport();
      // At least one batch committed, so "whole batches only" says something, and the next one under way.
      const before = await until('an import transaction under way after a committed batch', async () => (await imported()) >= IMPORT_BATCH && (await inTransaction()) && (await imported()), 60_000, 2);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      await until('the killed import\'s backend gone', async () => !(await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'nieuwszoeker-import'`)).rowCount, 10_000);

      const kept = await imported();
      expect(kept % IMPORT_BATCH, `${kept} articles imported`).toBe(0);
      expect(kept).toBeGreaterThanOrEqual(before);
      expect(kept).toBeLessThan(SCALE.importArticles);
      const logged = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM article_changes WHERE article_id LIKE 'imp-%'`)).rows[0]!.n;
      expect(logged).toBe(kept);

      const again = runImport();
      expect(await again.exited, again.output()).toBe(0);
      expect(again.output()).toContain(`added ${SCALE.importArticles - kept}, updated 0, unchanged ${kept}, skipped 0 (into PostgreSQL)`);
      expect(await imported()).toBe(SCALE.importArticles);
      const head = Number((await db.query<{ seq: string }>('SELECT max(seq) AS seq FROM article_changes')).rows[0]!.seq);
      const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles')).rows[0]!.n;
      for (const replica of c.replicas) {
        // A few thousand articles to index: longer than the 1 s of a single write.
        await until(`replica ${replica.index} at change ${head}`, async () => (await readyz(replica)).store.seq >= head, 30_000, 50);
        const found = await search(replica.url, `slotwoordimp`, head);
        expect(found.body.hits.map((h: { articleId: string }) => h.articleId)).toEqual([lastId]);
        expect((await readyz(replica)).articles).toBe(total);
      }
      expect(resent).toEqual([]);
      note(`c: killed the import with ${kept} of ${SCALE.importArticles} articles in (${kept / IMPORT_BATCH} whole batches, the next rolled back); the re-run added ${SCALE.importArticles - kept}`);
    },
    SCALE.testMs,
  );

  it(
    'd: with every LISTEN connection terminated, a write is searchable on every replica within 1 s, and they listen again',
    async () => {
      const c = await start('d');
      const db = await database(c);
      await until('both listening', async () => (await Promise.all(c.replicas.map(readyz))).every((s) => s.store.listening));
      const offsets = c.replicas.map((r) => readFileSync(r.logFile).length);
      const terminated = await db.query<{ ok: boolean }>('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query = $1', [`LISTEN ${CHANGES_CHANNEL}`]);
      expect(terminated.rows.filter((r) => r.ok)).toHaveLength(2);

      const write = await putArticle(c, 'd-na-afbreken');
      const ackedAt = performance.now();
      expect(write.seq).not.toBeNull();
      const answers = await Promise.all(c.replicas.map((r) => search(r.url, write.word, write.seq!)));
      const within = performance.now() - ackedAt;
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(a.body.hits.map((h: { articleId: string }) => h.articleId)).toEqual(['d-na-afbreken']);
      }
      const relistened = performance.now();
      await until('both listening again', async () => (await Promise.all(c.replicas.map(readyz))).every((s) => s.store.listening), 15_000, 50);
      c.replicas.forEach((r, i) => expect(logLines(r, offsets[i]).some((l) => /LISTEN connection to PostgreSQL closed/.test(l.msg)), `replica ${r.index} noticed`).toBe(true));
      expect(resent).toEqual([]);
      note(`d: terminated 2 LISTEN connections; the next write was on both replicas ${Math.round(within)} ms after its acknowledgement; listening again after ${Math.round(performance.now() - relistened)} ms`);
    },
    SCALE.testMs,
  );

  it(
    'e: PostgreSQL crashed and restarted: searches answer from memory, writes get a clear 503, nothing acknowledged is lost',
    async () => {
      const c = await start('e');
      const postgres = c.postgres!;
      const before: Write[] = [];
      for (let i = 0; i < SCALE.writes; i++) before.push(await putArticle(c, `e-voor-${i}`));
      expect(before.filter((w) => w.seq === null)).toEqual([]);
      const load = searchLoad(c.url);
      await sleep(300);

      await postgres.crash();
      const crashedAt = performance.now();
      cleanups.push(() => postgres.start());
      const refusals: Answer[] = [];
      const readiness: any[] = [];
      try {
        await until('every replica reporting the store unreachable', async () => (await Promise.all(c.replicas.map(readyz))).every((s) => s.store.reachable === false), 5_000, 50);
        const unreachableAfter = performance.now() - crashedAt;
        while (performance.now() - crashedAt < SCALE.outageMs) {
          const answer = await call(`${c.url}/api/articles`, {
            method: 'POST',
            headers: { authorization: `Bearer ${c.adminToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ title: 'Tijdens de storing', text: 'Dit artikel kan niet worden opgeslagen.' }),
          });
          refusals.push(answer);
          for (const r of c.replicas) {
            const res = await call(`${r.url}/readyz`);
            readiness.push({ status: res.status, ...res.body.store });
          }
          await sleep(200);
        }
        note(`e: every replica reported reachable:false ${Math.round(unreachableAfter)} ms after the crash`);
      } finally {
        await postgres.start();
      }
      const restartedAt = performance.now();

      for (const r of refusals) {
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe('store_unavailable');
        expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      }
      for (const r of readiness) expect(r).toMatchObject({ status: 200, reachable: false });

      const after = await putArticle(c, 'e-na');
      expect(after.status, JSON.stringify(after.body)).toBe(201);
      const ackedAt = performance.now();
      const answers = await Promise.all(c.replicas.map((r) => search(r.url, after.word, after.seq!)));
      const within = performance.now() - ackedAt;
      for (const a of answers) expect(a.body.hits.map((h: { articleId: string }) => h.articleId)).toEqual(['e-na']);
      await sleep(200);
      const probes = await load.stop();
      expect(load.failures(), JSON.stringify(load.failures().slice(0, 5))).toEqual([]);
      for (const r of c.replicas) await expectAllFound(r, [...before, after]);
      const db = await database(c);
      expect((await db.query(`SELECT id FROM articles WHERE id LIKE 'e-%'`)).rowCount).toBe(before.length + 1);
      for (const r of c.replicas) expect((await readyz(r)).store.reachable).toBe(true);
      await expectLikeDatabase(c);
      // Ready throughout (searches from memory), so the balancer never changed.
      expect(resent).toEqual([]);
      note(
        `e: ${Math.round(SCALE.outageMs)} ms outage: ${refusals.length} writes refused with 503 store_unavailable, ${readiness.length} /readyz all 200; ` +
          `first write after the restart ${Math.round(ackedAt - restartedAt)} ms, on both replicas ${Math.round(within)} ms later; ${summarize(probes)}`,
      );
    },
    SCALE.testMs,
  );

  it(
    'f: a replica stopped with SIGSTOP is routed around, and catches up within 1 s once continued',
    async () => {
      const c = await start('f');
      const [paused, other] = c.replicas as [Replica, Replica];
      const load = searchLoad(c.url);
      await sleep(500);
      const logAt = balancerLog.length;
      paused.pause();
      const pausedAt = performance.now();
      cleanups.push(() => (paused.alive ? paused.resume() : undefined));
      // Sent at once: nginx may hand it to the stopped replica, where it waits; it must still be done, once.
      const early = putArticle(c, 'f-meteen');
      await until('the balancer leaving the stopped replica out', () => balancerLog.slice(logAt).some((l) => l.includes(`left out (not ready): 127.0.0.1:${paused.port}`)), 10_000);
      const leftOutAfter = performance.now() - pausedAt;
      const writes: Write[] = [];
      while (performance.now() - pausedAt < SCALE.pauseMs) {
        writes.push(await putArticle(c, `f-${writes.length}`));
        await sleep(50);
      }
      const slowest = Math.max(...writes.map((w) => w.ms));
      expect(writes.filter((w) => w.seq === null)).toEqual([]);
      const last = Math.max(...writes.map((w) => w.seq!));

      paused.resume();
      const resumedAt = performance.now();
      const catchUp = await search(paused.url, writes.at(-1)!.word, last);
      const caughtUpMs = performance.now() - resumedAt;
      expect(catchUp.status, JSON.stringify(catchUp.body)).toBe(200);
      expect(catchUp.body.hits.map((h: { articleId: string }) => h.articleId)).toEqual([writes.at(-1)!.id]);
      const earlyWrite = await early;
      expect(earlyWrite.seq, JSON.stringify(earlyWrite)).not.toBeNull();
      const head = Math.max(last, earlyWrite.seq!);
      expect(await topsOf(paused.url, head)).toEqual(await topsOf(other.url, head));
      for (const r of c.replicas) await expectAllFound(r, [...writes, earlyWrite]);
      await expectLikeDatabase(c);
      await until('the balancer using the continued replica again', () => balancerLog.slice(logAt).some((l) => l.includes('every replica ready')), 10_000);
      const probes = await load.stop();

      expect(load.failures(), JSON.stringify(load.failures().slice(0, 5))).toEqual([]);
      // Once it was left out, searches went to the other replica without waiting for the stopped one.
      const afterLeftOut = probes.filter((p) => p.sentAt > pausedAt + leftOutAfter + 200 && p.sentAt < resumedAt);
      expect(afterLeftOut.length).toBeGreaterThan(10);
      expect(Math.max(...afterLeftOut.map((p) => p.ms))).toBeLessThan(1_000);
      note(
        `f: paused ${SCALE.pauseMs} ms; left out by the balancer after ${Math.round(leftOutAfter)} ms; ${writes.length} writes meanwhile (slowest ${Math.round(slowest)} ms), ` +
          `the one sent at the pause took ${Math.round(earlyWrite.ms)} ms; caught up ${Math.round(caughtUpMs)} ms after SIGCONT; ${summarize(probes)}; ${resends()}; ` +
          `after it was left out: ${summarize(afterLeftOut)}`,
      );
    },
    SCALE.testMs,
  );
});
