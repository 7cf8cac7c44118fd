/**
 * Freshness on the real server: time from an article file's rename into ARTICLES_DIR (and from an admin-API
 * POST) to its first search hit, while another process keeps searching. `npm run bench:freshness` runs it
 * on CORPUS_COPIES copies of the real Dutch articles (../shared/ud-dutch) or of the bundled article.
 */
import { cpSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSearchLoad, type SearchLoadStats } from './search-load.js';
import { isMain, percentile, startServer, waitReady, workingCorpus, type RunningServer } from './server.js';
import { REPO_ROOT, SHARED_DIR } from './words.js';

/** The admin token the benchmark servers are started with. */
export const BENCH_ADMIN_TOKEN = 'bench-token-0123456789';

/** Queries for the background load when none are given: words that occur in the real Dutch articles. */
export const DEFAULT_QUERIES = [
  'regering', 'minister president', 'gesprekken', 'Vlaamse partij', 'Amsterdam', 'politie', 'verkiezingen',
  'Europese', 'economie', 'school', 'water', 'oorlog', 'Brussel', 'kinderen', 'onderzoek', 'financiele',
  'kabinet', 'voetbal', 'de stad', 'koningin',
];

/** A folder of `copies` copies of the source articles (distinct ids). */
export function copiedCorpus(copies: number): { dir: string; articles: number; source: string } {
  const ud = join(SHARED_DIR, 'ud-dutch', 'articles');
  let sourceDir = ud;
  let source = '../shared/ud-dutch';
  try {
    readdirSync(ud);
  } catch {
    sourceDir = join(REPO_ROOT, 'data', 'articles');
    source = 'the bundled article';
  }
  const files = readdirSync(sourceDir).filter((f) => f.endsWith('.txt'));
  const dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-corpus-'));
  for (let c = 0; c < copies; c++) for (const f of files) cpSync(join(sourceDir, f), join(dir, `c${c}-${f}`));
  return { dir, articles: copies * files.length, source };
}

/**
 * Whether a search for `word` finds article `id`. Looking for the article, not just any hit, matters: the
 * search tolerates typos in unknown words, so before the new article is indexed, `…toets12x` finds the
 * `…toets11x` of the previous sample. Any answer but 200 ends the benchmark: latencies measured on errors
 * mean nothing.
 */
async function finds(port: number, word: string, id: string): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/api/search?q=${encodeURIComponent(word)}&limit=10`);
  if (res.status !== 200) throw new Error(`freshness: search for ${word} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { hits: Array<{ articleId: string }> }).hits.some((h) => h.articleId === id);
}

/** Polls until `word` finds article `id`; as tight as the server lets it (2 ms between answers). */
async function untilFound(port: number, word: string, id: string, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await finds(port, word, id))) {
    if (performance.now() > deadline) throw new Error(`freshness: ${word} did not find ${id} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const roundMs = (ms: number) => Math.round(ms * 10) / 10;

export interface FreshnessSamples {
  /** ms from rename into ARTICLES_DIR to the first hit, one per file. */
  fileMs: number[];
  /** ms from sending POST /api/articles to the first hit. */
  adminMs: number[];
  /** The other process's searches meanwhile. */
  load: SearchLoadStats;
}

/**
 * Measures both paths `samples` times on a running server (started with `BENCH_ADMIN_TOKEN`), while a child
 * process keeps searching `queries` in two loops. `tag` keeps each call's made-up words and file names
 * apart, so several calls can run on one server. Throws if the load saw any failed request.
 */
export async function measureFreshness(
  server: { port: number; articlesDir: string; stagingDir: string },
  opts: { samples: number; queries: readonly string[]; tag: string; log?: (message: string) => void },
): Promise<FreshnessSamples> {
  const { port } = server;
  const log = opts.log ?? (() => undefined);
  const load = await startSearchLoad(port, opts.queries, 2);
  const fileMs: number[] = [];
  const adminMs: number[] = [];
  let stats: SearchLoadStats;
  try {
    for (let i = 0; i < opts.samples; i++) {
      // A word no article has: letters and digits only, so the analyzer keeps it one token.
      const word = `versheid${opts.tag}toets${i}x`;
      const id = `vers-${opts.tag}-${i}`;
      const name = `${id}.txt`;
      const staged = join(server.stagingDir, name);
      writeFileSync(staged, `title: Vers ${i}\n\nEen nieuw artikel over ${word} en de NAVO.\n`);
      const started = performance.now();
      renameSync(staged, join(server.articlesDir, name)); // complete the moment it appears
      await untilFound(port, word, id);
      fileMs.push(roundMs(performance.now() - started));
    }
    log(`file rename: ${opts.samples} samples, p50 ${percentile(fileMs, 50).toFixed(0)} ms`);
    for (let i = 0; i < opts.samples; i++) {
      const word = `apiversheid${opts.tag}toets${i}x`;
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/articles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
        body: JSON.stringify({ title: `API ${opts.tag} ${i}`, text: `Via de API over ${word}.` }),
      });
      if (res.status !== 201) throw new Error(`freshness: POST /api/articles answered ${res.status}: ${await res.text()}`);
      await untilFound(port, word, ((await res.json()) as { id: string }).id);
      adminMs.push(roundMs(performance.now() - started));
    }
    log(`admin POST: ${opts.samples} samples, p50 ${percentile(adminMs, 50).toFixed(0)} ms`);
  } finally {
    stats = await load.stop();
  }
  const failed = Object.values(stats.non2xx).reduce((a, b) => a + b, 0) + stats.errors;
  if (failed > 0) throw new Error(`freshness: the search load had ${failed} failed requests: ${JSON.stringify(stats)}`);
  if (stats.requests === 0) throw new Error('freshness: the search load made no requests');
  return { fileMs, adminMs, load: stats };
}

/**
 * Starts the real server on a working copy of `corpusDir` (fresh INDEX_DIR, admin API on), waits until it is
 * ready and its first snapshot is written (so that write does not land in a measurement), and hands it over.
 * `log` hears about progress; the server and the working copy are gone when `use` settles.
 */
export async function withBenchServer<T>(
  corpusDir: string,
  log: (message: string) => void,
  use: (server: RunningServer & { articlesDir: string; stagingDir: string; indexed: Record<string, unknown> }) => Promise<T>,
): Promise<T> {
  const work = workingCorpus(corpusDir);
  const indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-bench-index-'));
  let server: RunningServer | undefined;
  try {
    const started = performance.now();
    server = await startServer({ ARTICLES_DIR: work.articlesDir, INDEX_DIR: indexDir, ADMIN_TOKEN: BENCH_ADMIN_TOKEN });
    log(`server pid ${server.child.pid} on port ${server.port}: indexing ${corpusDir}`);
    await waitReady(server.port);
    const indexed = await server.waitFor(/^indexed/);
    log(`ready after ${((performance.now() - started) / 1000).toFixed(1)} s: ${indexed.articles} articles, ${indexed.paragraphs} paragraphs; waiting for the first snapshot`);
    await server.waitFor(/^wrote snapshot/);
    return await use({ ...server, articlesDir: work.articlesDir, stagingDir: work.stagingDir, indexed });
  } finally {
    await server?.stop();
    rmSync(indexDir, { recursive: true, force: true });
    work.remove();
  }
}

async function main(): Promise<void> {
  const samples = Number(process.env.SAMPLES ?? 50);
  const copies = Number(process.env.CORPUS_COPIES ?? 20);
  const corpus = copiedCorpus(copies);
  const log = (message: string) => console.error(`[freshness] ${message}`);
  try {
    const { indexed, result } = await withBenchServer(corpus.dir, log, async (server) => ({
      indexed: server.indexed,
      result: await measureFreshness(server, { samples, queries: DEFAULT_QUERIES, tag: 'cli', log }),
    }));
    const fmt = (v: number) => `${v.toFixed(0)} ms`;
    const row = (label: string, ms: number[]) =>
      `| ${label} | ${fmt(percentile(ms, 50))} | ${fmt(percentile(ms, 99))} | ${fmt(Math.max(...ms))} |`;
    console.log(`freshness over ${indexed.articles} articles, ${indexed.paragraphs} paragraphs (${copies} copies of ${corpus.source}), ${samples} samples each,`);
    console.log(`while another process searched (${result.load.requests} searches in ${result.load.seconds} s)`);
    console.log(`| path | p50 | p99 | max |`);
    console.log(`|---|---|---|---|`);
    console.log(row('file renamed into ARTICLES_DIR → first hit', result.fileMs));
    console.log(row('POST /api/articles → first hit', result.adminMs));
  } finally {
    rmSync(corpus.dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
