/**
 * `npm run bench:writes`: whether writes are felt by readers. The real server on a bench corpus, one sequential
 * keep-alive client searching the benchmark's queries throughout, and four phases: quiet; while snapshots are
 * written; while a burst of 2,000 article files changes in the folder (adds, edits, deletes); while one change a
 * second trickles in. Per phase: search p50/p99 over HTTP, and the server's own longest event-loop delay (its
 * /readyz `eventLoop`, second by second). Prints a table and writes bench/writes-results.json.
 *
 * Usage: npm run bench:writes -- [--size 100k] [--seed 1] [--burst 2000] [--trickle-s 30] [--snapshots 3] [--quiet-s 15]
 */
import http from 'node:http';
import { existsSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureCorpus, readManifest, sizeLabel, parseSize } from './corpus.js';
import { withBenchServer } from './freshness.js';
import { ensureQueries, QUERY_VERSION } from './queries.js';
import { Rng } from './random.js';
import { isMain, logTime, percentile, type RunningServer } from './server.js';
import { REPO_ROOT } from './words.js';

/** The targets of the issue: a phase's p99 at most this times the quiet one's, and no task longer than this. */
export const P99_RATIO_LIMIT = 1.5;
export const LOOP_MAX_LIMIT_MS = 10;
/** How often the server's per-second event-loop history is read (it keeps 120 s). */
const LOOP_POLL_MS = 20_000;

export type PhaseName = 'quiet' | 'snapshot' | 'burst' | 'trickle';

export interface PhaseResult {
  phase: PhaseName;
  /** What the phase did, in words. */
  what: string;
  seconds: number;
  searches: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The server's longest event-loop delay over the phase's seconds (1 ms resolution: a task of N ms reads N to N + 1). */
  loopMaxMs: number;
  /** This phase's p99 over the quiet phase's. */
  p99Ratio: number;
}

export interface WritesResult {
  size: string;
  paragraphs: number;
  articles: number;
  phases: PhaseResult[];
  /** The server's own log of each snapshot write in the snapshot phase. */
  snapshotWrites: Array<{ ms: number; bytes: number; longestSliceMs: number; eventLoopMaxMs: number }>;
  /** Server-side: how long the burst took from the first rename until every change was searchable. */
  burstAppliedMs: number;
}

interface Sample {
  /** When the request was sent (epoch ms, the server's clock too: same machine). */
  at: number;
  ms: number;
}

const now = () => performance.timeOrigin + performance.now();
const round2 = (ms: number) => Math.round(ms * 100) / 100;

/** One client that keeps searching, one request at a time on one keep-alive connection, until stopped. */
function startSearcher(port: number, queries: readonly string[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const paths = queries.map((q) => `/api/search?q=${encodeURIComponent(q)}`);
  const samples: Sample[] = [];
  let next = 0;
  let stopping = false;
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent }, (res) => {
          // Any answer but 200 ends the benchmark: a latency measured on errors means nothing.
          if (res.statusCode !== 200) reject(new Error(`search: ${path} answered ${res.statusCode}`));
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
  const loop = (async () => {
    while (!stopping) {
      const at = now();
      await get(paths[next++ % paths.length]!);
      samples.push({ at, ms: now() - at });
    }
  })();
  // A failure ends the loop and is thrown by `stop`, not left unhandled while the phases go on.
  loop.catch(() => undefined);
  return {
    samples,
    async stop() {
      stopping = true;
      try {
        await loop;
      } finally {
        agent.destroy();
      }
    },
  };
}

async function getJson<T>(port: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  if (res.status !== 200) throw new Error(`writes: ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

interface LoopHistory {
  resolutionMs: number;
  perSecondMaxMs: number[];
  endsAt: string | null;
}

/** Collects the server's per-second event-loop maxima (by the end of each second) for as long as it runs. */
function startLoopRecorder(port: number) {
  const seconds = new Map<number, number>();
  const read = async () => {
    const { eventLoop } = await getJson<{ eventLoop?: LoopHistory }>(port, '/readyz');
    if (!eventLoop || eventLoop.endsAt === null) throw new Error('writes: /readyz has no eventLoop history (a server before it?)');
    const end = Date.parse(eventLoop.endsAt);
    const n = eventLoop.perSecondMaxMs.length;
    // Seconds are keyed by their end, in whole ms: two reads of the same second agree.
    eventLoop.perSecondMaxMs.forEach((ms, i) => seconds.set(end - (n - 1 - i) * 1000, ms));
  };
  const timer = setInterval(() => void read().catch(() => undefined), LOOP_POLL_MS);
  return {
    read,
    /** The longest delay of every second that overlaps [from, to + 1 s) (a stall at the end is recorded in the second after it). */
    maxOver(from: number, to: number): number {
      let max = 0;
      for (const [end, ms] of seconds) if (end > from && end - 1000 < to + 1000) max = Math.max(max, ms);
      return max;
    },
    stop: () => clearInterval(timer),
  };
}

/** Article files and what the burst and trickle do to them: new ids, edits and deletions of distinct articles. */
class ChangeMaker {
  private readonly existing: string[];
  private readonly rng: Rng;
  private added = 0;

  constructor(
    private readonly server: { articlesDir: string; stagingDir: string },
    seed: number,
  ) {
    this.existing = readdirSync(server.articlesDir).filter((f) => f.endsWith('.txt')).sort();
    this.rng = new Rng(seed);
    // Shuffled once: each edit or deletion takes the next article, so no article is changed twice.
    for (let i = this.existing.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [this.existing[i], this.existing[j]] = [this.existing[j]!, this.existing[i]!];
    }
  }

  /** Stages one change and returns what applies it (a rename into the folder, or an unlink). */
  stage(kind: 'add' | 'edit' | 'delete', marker: string): () => void {
    if (kind === 'delete') {
      const name = this.existing.pop()!;
      return () => unlinkSync(join(this.server.articlesDir, name));
    }
    const source = this.existing.pop()!;
    const text = readFileSync(join(this.server.articlesDir, source), 'utf8');
    const [header, ...paragraphs] = text.split('\n\n');
    // Paragraphs in another order plus one with the marker: every paragraph of the article changes.
    const body = [...paragraphs.reverse(), `Een nieuwe alinea over ${marker} en de rest.`].join('\n\n');
    const name = kind === 'edit' ? source : `schrijf-${marker}-${++this.added}.txt`;
    if (kind === 'add') this.existing.unshift(source); // only read: still there to edit or delete later
    const staged = join(this.server.stagingDir, name);
    writeFileSync(staged, `${header}\n\n${body}\n`);
    // A rename replaces the directory entry: the corpus file the working copy links to is never written.
    return () => renameSync(staged, join(this.server.articlesDir, name));
  }
}

/** Polls until the index holds `articles` articles and `marker` is in `markerArticles` of them. */
async function untilApplied(port: number, marker: string, articles: number, markerArticles: number, timeoutMs = 30 * 60_000): Promise<void> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const health = await getJson<{ articles: number }>(port, '/healthz');
    const found = await getJson<{ total: number }>(port, `/api/search?q=${marker}&group=article&limit=1`);
    if (health.articles === articles && found.total === markerArticles) return;
    if (now() > deadline) throw new Error(`writes: after ${timeoutMs} ms the index has ${health.articles} articles (want ${articles}) and ${found.total} with ${marker} (want ${markerArticles})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the four phases on a running server (started by `withBenchServer`: its first snapshot written, the
 * default 5 s snapshot delay), with one client searching `queries` all along.
 */
export async function measureSearchDuringWrites(
  server: RunningServer & { articlesDir: string; stagingDir: string },
  opts: { queries: readonly string[]; burst?: number; trickleS?: number; snapshots?: number; quietS?: number; seed?: number; log?: (m: string) => void },
): Promise<Omit<WritesResult, 'size' | 'paragraphs' | 'articles'>> {
  const log = opts.log ?? (() => undefined);
  const { port } = server;
  const burst = opts.burst ?? 2000;
  const trickleS = opts.trickleS ?? 30;
  const snapshots = opts.snapshots ?? 3;
  const quietS = opts.quietS ?? 15;
  const changes = new ChangeMaker(server, opts.seed ?? 1);
  let articles = (await getJson<{ articles: number }>(port, '/healthz')).articles;

  const loop = startLoopRecorder(port);
  const searcher = startSearcher(port, opts.queries);
  const windows: Array<{ phase: PhaseName; what: string; from: number; to: number }> = [];
  const snapshotWrites: WritesResult['snapshotWrites'] = [];
  let burstAppliedMs = 0;
  try {
    // Warm-up, not measured: the first searches of a fresh process meet cold code and caches.
    await sleep(3000);

    log(`quiet: ${quietS} s`);
    let from = now();
    await sleep(quietS * 1000);
    windows.push({ phase: 'quiet', what: `${quietS} s, nothing but searches`, from, to: now() });
    await loop.read();

    // Snapshot writes: one added article each, then the scheduler's 5 s of quiet, then the write; the phase is
    // the write itself, from the server's log (its end and duration).
    for (let s = 0; s < snapshots; s++) {
      const marker = `schrijflastmomentopname${String.fromCharCode(97 + s)}`;
      const lineCount = server.lines.length;
      changes.stage('add', marker)();
      articles++;
      await untilApplied(port, marker, articles, 1);
      const line = await server.waitFor(/^wrote snapshot/, lineCount);
      const to = logTime(line);
      windows.push({ phase: 'snapshot', what: `${snapshots} snapshot writes`, from: to - Number(line.ms), to });
      snapshotWrites.push({ ms: Number(line.ms), bytes: Number(line.bytes), longestSliceMs: Number(line.longestSliceMs), eventLoopMaxMs: Number(line.eventLoopMaxMs) });
      log(`snapshot ${s + 1}/${snapshots}: ${line.ms} ms, longest slice ${line.longestSliceMs} ms`);
      await sleep(1500);
      await loop.read();
    }

    // The burst: every change staged first, then renamed (or unlinked) into the folder as fast as it goes.
    {
      const marker = 'schrijflastgolf';
      const kinds = Array.from({ length: burst }, (_, i) => (i % 10 < 4 ? 'edit' : i % 10 < 7 ? 'add' : 'delete') as 'add' | 'edit' | 'delete');
      const apply = kinds.map((kind) => changes.stage(kind, marker));
      const adds = kinds.filter((k) => k === 'add').length;
      const deletes = kinds.filter((k) => k === 'delete').length;
      articles += adds - deletes;
      const lineCount = server.lines.length;
      log(`burst: ${burst} files (${kinds.length - adds - deletes} edits, ${adds} adds, ${deletes} deletes)`);
      from = now();
      for (const step of apply) step();
      await untilApplied(port, marker, articles, burst - deletes);
      const to = now();
      burstAppliedMs = Math.round(to - from);
      windows.push({ phase: 'burst', what: `${burst} files changed at once`, from, to });
      log(`burst applied in ${burstAppliedMs} ms; waiting for its snapshot write`);
      await loop.read();
      // The snapshot the burst causes (5 s later) is the snapshot phase's subject, not the trickle's.
      await server.waitFor(/^wrote snapshot/, lineCount);
      await sleep(1500);
    }

    // The trickle: one change a second, in turn an edit, an add and a delete.
    {
      const marker = 'schrijflastdruppel';
      log(`trickle: one change a second for ${trickleS} s`);
      let markerArticles = 0;
      from = now();
      for (let i = 0; i < trickleS; i++) {
        const kind = (['edit', 'add', 'delete'] as const)[i % 3]!;
        changes.stage(kind, marker)();
        if (kind === 'add') articles++;
        if (kind === 'delete') articles--;
        else markerArticles++;
        await sleep(Math.max(0, from + (i + 1) * 1000 - now()));
      }
      await untilApplied(port, marker, articles, markerArticles);
      windows.push({ phase: 'trickle', what: `one change a second for ${trickleS} s`, from, to: now() });
      await sleep(1500);
    }
    await loop.read();
  } finally {
    loop.stop();
    await searcher.stop();
  }

  const byPhase = new Map<PhaseName, { what: string; ms: number[]; seconds: number; loopMaxMs: number }>();
  for (const w of windows) {
    const entry = byPhase.get(w.phase) ?? { what: w.what, ms: [], seconds: 0, loopMaxMs: 0 };
    for (const s of searcher.samples) if (s.at >= w.from && s.at <= w.to) entry.ms.push(s.ms);
    entry.seconds += (w.to - w.from) / 1000;
    entry.loopMaxMs = Math.max(entry.loopMaxMs, loop.maxOver(w.from, w.to));
    byPhase.set(w.phase, entry);
  }
  const quietP99 = percentile(byPhase.get('quiet')!.ms, 99);
  const phases: PhaseResult[] = [...byPhase].map(([phase, e]) => {
    if (e.ms.length === 0) throw new Error(`writes: no search fell in the ${phase} phase`);
    const p99 = percentile(e.ms, 99);
    return {
      phase,
      what: e.what,
      seconds: Math.round(e.seconds * 10) / 10,
      searches: e.ms.length,
      p50Ms: round2(percentile(e.ms, 50)),
      p99Ms: round2(p99),
      maxMs: round2(Math.max(...e.ms)),
      loopMaxMs: e.loopMaxMs,
      p99Ratio: Math.round((p99 / quietP99) * 100) / 100,
    };
  });
  return { phases, snapshotWrites, burstAppliedMs };
}

/** Prepares the corpus and its queries, starts the server, runs the phases. */
export async function runWritesBenchmark(opts: {
  size: string;
  seed?: number;
  corpusDir?: string;
  queries?: readonly string[];
  burst?: number;
  trickleS?: number;
  snapshots?: number;
  quietS?: number;
  log?: (m: string) => void;
}): Promise<WritesResult> {
  const log = opts.log ?? ((m: string) => console.error(`[writes ${opts.size}] ${m}`));
  const seed = opts.seed ?? 1;
  const corpus = opts.corpusDir ?? ensureCorpus(opts.size, seed, log).dir;
  const queries = opts.queries ?? ensureQueries(corpus, join(corpus, `queries-v${QUERY_VERSION}-seed${seed}.json`), seed, log).plain.map((q) => q.q);
  return withBenchServer(corpus, log, async (server) => ({
    size: opts.size,
    paragraphs: Number(server.indexed.paragraphs),
    articles: Number(server.indexed.articles),
    ...(await measureSearchDuringWrites(server, { ...opts, queries, seed, log })),
  }));
}

/** The result as a Markdown table, with the targets judged. */
export function writesTable(r: WritesResult): string {
  const lines = [
    `search while writing, ${r.size}: ${r.articles.toLocaleString('en-US')} articles, ${r.paragraphs.toLocaleString('en-US')} paragraphs; one sequential client`,
    `| phase | what | searches | p50 | p99 | p99 / quiet | longest event-loop delay |`,
    `|---|---|---|---|---|---|---|`,
  ];
  for (const p of r.phases) {
    const ratio = p.phase === 'quiet' ? '1' : `${p.p99Ratio.toFixed(2)}${p.p99Ratio <= P99_RATIO_LIMIT ? '' : ' (over 1.5)'}`;
    const loop = `${p.loopMaxMs} ms${p.loopMaxMs <= LOOP_MAX_LIMIT_MS ? '' : ' (over 10)'}`;
    lines.push(`| ${p.phase} | ${p.what} | ${p.searches} | ${p.p50Ms} ms | ${p.p99Ms} ms | ${ratio} | ${loop} |`);
  }
  const w = r.snapshotWrites.map((s) => `${s.ms} ms (longest slice ${s.longestSliceMs} ms)`).join(', ');
  lines.push('', `snapshot writes: ${w}; burst searchable after ${r.burstAppliedMs} ms`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i]!.startsWith('--') || argv[i + 1] === undefined) throw new Error('usage: npm run bench:writes -- [--size 100k] [--seed 1] [--burst 2000] [--trickle-s 30] [--snapshots 3] [--quiet-s 15]');
    args.set(argv[i]!.slice(2), argv[i + 1]!);
  }
  const size = sizeLabel(parseSize(args.get('size') ?? '100k'));
  const num = (key: string) => (args.has(key) ? Number(args.get(key)) : undefined);
  const seed = num('seed') ?? 1;
  const result = await runWritesBenchmark({
    size,
    seed,
    ...(num('burst') === undefined ? {} : { burst: num('burst')! }),
    ...(num('trickle-s') === undefined ? {} : { trickleS: num('trickle-s')! }),
    ...(num('snapshots') === undefined ? {} : { snapshots: num('snapshots')! }),
    ...(num('quiet-s') === undefined ? {} : { quietS: num('quiet-s')! }),
  });
  console.log(writesTable(result));
  // One entry per size: a 1m run keeps the last 100k one.
  const file = join(REPO_ROOT, 'bench', 'writes-results.json');
  const corpusDir = ensureCorpus(size, seed).dir;
  const manifest = readManifest(corpusDir);
  const entry = { corpus: relative(REPO_ROOT, corpusDir), generator: manifest?.version ?? null, measuredAt: new Date().toISOString(), ...result };
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, `${JSON.stringify({ ...previous, [size]: entry }, null, 2)}\n`);
  console.error(`wrote ${relative(REPO_ROOT, file)}`);
}

if (isMain(import.meta.url)) await main();
