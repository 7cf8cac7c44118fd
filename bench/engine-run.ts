/**
 * One contender in one process: build its index over a corpus, measure what the index holds on the heap (and
 * what the process grew by, for native engines), then time the queries one by one. Prints one JSON line (an
 * `EngineRunResult`) on stdout.
 *
 * Usage: node --expose-gc --import tsx bench/engine-run.ts --engine NAME --corpus DIR --queries FILE [--warmup 200] [--max-queries N]
 */
import { readFileSync } from 'node:fs';
import { toParagraphDocs } from '../src/paragraphs/paragraphs.js';
import { readArticles } from './corpus.js';
import { isEngineName, loadEngine, ENGINE_NAMES } from './engines/index.js';
import type { BenchCorpus, Engine } from './engines/engine.js';
import type { QuerySet } from './queries.js';
import { percentile } from './server.js';

export interface QueryStats {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  /** Mean hits per query (all hits, not just the first page). */
  hitsMean: number;
  /** Share of queries without a single hit. */
  zeroHitShare: number;
  /** Our engine only: queries answered by the OR fallback. */
  fallbacks?: number;
}

export interface EngineRunResult {
  engine: string;
  paragraphs: number;
  articles: number;
  /** Reading and parsing the files: not part of the build. */
  loadMs: number;
  buildMs: number;
  parPerSec: number;
  /**
   * What the built engine holds in JavaScript memory, texts included (see `measure`): the V8 heap and the
   * ArrayBuffers behind typed arrays, which live outside it (ours keeps positions, compacted postings and
   * per-paragraph values in them). Runs recorded before `arrayBufferBytes` existed counted the heap alone.
   */
  heapBytes: number;
  /** The ArrayBuffer part of `heapBytes`. */
  arrayBufferBytes?: number;
  heapPerPar: number;
  /** The process's resident memory after the build and the warm-up queries. */
  rssBytes: number;
  /**
   * `rssBytes` less the resident memory before the files were read: what native engines hold outside the V8
   * heap (SQLite's pages, Lance's caches) shows here and not in `heapBytes`. Absent from runs recorded before
   * it was measured.
   */
  rssGrowthBytes?: number;
  rssGrowthPerPar?: number;
  /** Engines that write their index to disk (LanceDB): its size there after the build. */
  diskBytes?: number;
  warmupQueries: number;
  query: QueryStats;
  typo?: QueryStats;
  prefix?: QueryStats;
  /** Ours only: the plain queries of two or three words (AND), phrases and exclusions. */
  and?: QueryStats;
  phrase?: QueryStats;
  exclusion?: QueryStats;
}

declare const gc: (() => void) | undefined;

function collect(): void {
  if (typeof gc !== 'function') throw new Error('engine-run: start node with --expose-gc');
  // Twice: the first pass can leave objects that only a second one finds dead (weak references, finalizers).
  gc();
  gc();
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Times each query on its own; hits come from `count` when the engine has one (untimed). A synchronous engine
 * is timed in a loop without a single `await`, as before async engines existed; an async one from the call
 * to the settling of its promise (the native work on the library's threads and the hand-back to this one).
 */
async function timeQueries(engine: Engine, queries: readonly string[]): Promise<QueryStats> {
  const times: number[] = new Array(queries.length);
  const hits: number[] = new Array(queries.length);
  const fallbacksBefore = engine.fallbacks ?? 0;
  if (engine.searchAsync) {
    for (let i = 0; i < queries.length; i++) {
      const started = performance.now();
      hits[i] = await engine.searchAsync(queries[i]!);
      times[i] = performance.now() - started;
    }
  } else {
    for (let i = 0; i < queries.length; i++) {
      const started = performance.now();
      hits[i] = engine.search(queries[i]!);
      times[i] = performance.now() - started;
    }
  }
  const fallbacks = (engine.fallbacks ?? 0) - fallbacksBefore;
  if (engine.count) {
    for (let i = 0; i < queries.length; i++) {
      const n = engine.count(queries[i]!);
      hits[i] = typeof n === 'number' ? n : await n;
    }
  }
  const total = hits.reduce((a, b) => a + b, 0);
  return {
    count: queries.length,
    p50: round(percentile(times, 50)),
    p99: round(percentile(times, 99)),
    mean: round(times.reduce((a, b) => a + b, 0) / times.length),
    max: round(Math.max(...times)),
    hitsMean: round(total / queries.length, 1),
    zeroHitShare: round(hits.filter((h) => h === 0).length / queries.length, 4),
    ...(engine.fallbacks !== undefined ? { fallbacks } : {}),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = arg(args, 'engine') ?? '';
  const corpusDir = arg(args, 'corpus');
  const queriesFile = arg(args, 'queries');
  const warmup = Number(arg(args, 'warmup') ?? 200);
  // For the slowest engine at 100k (lunr, ~25 ms a query): the first N timed queries only, to fit the budget.
  const maxQueries = Number(arg(args, 'max-queries') ?? Infinity);
  if (!isEngineName(name) || corpusDir === undefined || queriesFile === undefined) {
    throw new Error(`usage: engine-run --engine ${ENGINE_NAMES.join('|')} --corpus DIR --queries FILE [--warmup 200]`);
  }
  const engine = await loadEngine(name);
  try {
    await measure(engine, name, corpusDir, queriesFile, warmup, maxQueries);
  } finally {
    // Also after a failure: LanceDB's temporary directory must not outlive the run.
    await engine.close?.();
  }
}

async function measure(engine: Engine, name: string, corpusDir: string, queriesFile: string, warmup: number, maxQueries: number): Promise<void> {
  /*
   * Heap: the baseline is taken before the files are even read. Then the corpus is read, parsed and indexed,
   * our own references to it are dropped, and after two full GCs whatever is still on the heap, or in the
   * ArrayBuffers behind typed arrays (outside the V8 heap), is held by the engine: its index, the paragraph texts it keeps to show hits (stored fields, a Map, our Article objects),
   * ids. So heap/paragraph counts the stored text for every engine alike — for the engines that keep them on
   * the heap. SQLite and Lance keep theirs in native memory, which only the resident set shows: its growth from
   * the same baseline to after the warm-up queries (when Lance has loaded its index) is recorded beside it. It
   * also holds heap pages V8 has not yet given back after reading the corpus, for every engine alike.
   */
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const buffersBefore = process.memoryUsage().arrayBuffers;
  const rssBefore = process.memoryUsage().rss;

  const loadStarted = performance.now();
  let corpus: BenchCorpus | null = (() => {
    const articles = readArticles(corpusDir);
    return { articles, docs: articles.flatMap(toParagraphDocs) };
  })();
  const loadMs = performance.now() - loadStarted;
  const paragraphs = corpus.docs.length;
  const articles = corpus.articles.length;
  process.stderr.write(`  ${name}: ${paragraphs} paragraphs read in ${(loadMs / 1000).toFixed(1)} s, building…\n`);

  const buildStarted = performance.now();
  await engine.build(corpus);
  const buildMs = performance.now() - buildStarted;

  corpus = null;
  // Let timers run first: FlexSearch's encoder clears its term cache 50 ms after use.
  await new Promise((resolve) => setTimeout(resolve, 200));
  collect();
  const arrayBufferBytes = process.memoryUsage().arrayBuffers - buffersBefore;
  const heapBytes = process.memoryUsage().heapUsed - heapBefore + arrayBufferBytes;
  const diskBytes = engine.diskBytes?.();

  const set = JSON.parse(readFileSync(queriesFile, 'utf8')) as QuerySet;
  const texts = (list: QuerySet['plain']) => list.map((q) => q.q);
  process.stderr.write(`  ${name}: built in ${(buildMs / 1000).toFixed(1)} s, querying…\n`);

  // Warm-up queries are distinct from the timed ones, so no engine's cache meets a timed query early.
  for (const q of texts(set.warmup).slice(0, warmup)) {
    if (engine.searchAsync) await engine.searchAsync(q);
    else engine.search(q);
  }
  const rssBytes = process.memoryUsage().rss;
  const result: EngineRunResult = {
    engine: name,
    paragraphs,
    articles,
    loadMs: round(loadMs, 1),
    buildMs: round(buildMs, 1),
    parPerSec: Math.round(paragraphs / (buildMs / 1000)),
    heapBytes,
    arrayBufferBytes,
    heapPerPar: round(heapBytes / paragraphs, 1),
    rssBytes,
    rssGrowthBytes: rssBytes - rssBefore,
    rssGrowthPerPar: round((rssBytes - rssBefore) / paragraphs, 1),
    ...(diskBytes !== undefined ? { diskBytes } : {}),
    warmupQueries: Math.min(warmup, set.warmup.length),
    query: await timeQueries(engine, texts(set.plain).slice(0, maxQueries)),
  };
  // Typo and prefix queries only mean something for our engine (the others match whole words only).
  if (name === 'ours') {
    result.typo = await timeQueries(engine, texts(set.typo));
    result.prefix = await timeQueries(engine, texts(set.prefix));
    result.and = await timeQueries(engine, texts(set.plain).filter((q) => q.includes(' ')));
    if (set.phrase) result.phrase = await timeQueries(engine, texts(set.phrase));
    if (set.exclusion) result.exclusion = await timeQueries(engine, texts(set.exclusion));
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`engine-run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
