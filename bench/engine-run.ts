/**
 * One contender in one process: build its index over a corpus, measure what the index holds on the heap,
 * then time the queries one by one. Prints one JSON line (an `EngineRunResult`) on stdout.
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
  /** Heap the built engine holds, texts included (see `measureHeap`). */
  heapBytes: number;
  heapPerPar: number;
  rssBytes: number;
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

/** Times each query on its own; hits come from `count` when the engine has one (untimed). */
function timeQueries(engine: Engine, queries: readonly string[]): QueryStats {
  const times: number[] = new Array(queries.length);
  const hits: number[] = new Array(queries.length);
  const fallbacksBefore = engine.fallbacks ?? 0;
  for (let i = 0; i < queries.length; i++) {
    const started = performance.now();
    hits[i] = engine.search(queries[i]!);
    times[i] = performance.now() - started;
  }
  const fallbacks = (engine.fallbacks ?? 0) - fallbacksBefore;
  if (engine.count) for (let i = 0; i < queries.length; i++) hits[i] = engine.count(queries[i]!);
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

  /*
   * Heap: the baseline is taken before the files are even read. Then the corpus is read, parsed and indexed,
   * our own references to it are dropped, and after two full GCs whatever is still on the heap is held by the
   * engine: its index, the paragraph texts it keeps to show hits (stored fields, a Map, our Article objects),
   * ids. So heap/paragraph counts the stored text for every engine alike.
   */
  collect();
  const heapBefore = process.memoryUsage().heapUsed;

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
  const heapBytes = process.memoryUsage().heapUsed - heapBefore;

  const set = JSON.parse(readFileSync(queriesFile, 'utf8')) as QuerySet;
  const texts = (list: QuerySet['plain']) => list.map((q) => q.q);
  process.stderr.write(`  ${name}: built in ${(buildMs / 1000).toFixed(1)} s, querying…\n`);

  // Warm-up queries are distinct from the timed ones, so no engine's cache meets a timed query early.
  for (const q of texts(set.warmup).slice(0, warmup)) engine.search(q);
  const result: EngineRunResult = {
    engine: name,
    paragraphs,
    articles,
    loadMs: round(loadMs, 1),
    buildMs: round(buildMs, 1),
    parPerSec: Math.round(paragraphs / (buildMs / 1000)),
    heapBytes,
    heapPerPar: round(heapBytes / paragraphs, 1),
    rssBytes: process.memoryUsage().rss,
    warmupQueries: Math.min(warmup, set.warmup.length),
    query: timeQueries(engine, texts(set.plain).slice(0, maxQueries)),
  };
  // Typo and prefix queries only mean something for our engine (the others match whole words only).
  if (name === 'ours') {
    result.typo = timeQueries(engine, texts(set.typo));
    result.prefix = timeQueries(engine, texts(set.prefix));
    result.and = timeQueries(engine, texts(set.plain).filter((q) => q.includes(' ')));
    if (set.phrase) result.phrase = timeQueries(engine, texts(set.phrase));
    if (set.exclusion) result.exclusion = timeQueries(engine, texts(set.exclusion));
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`engine-run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
