/**
 * `npm run bench:pruning`: the engine's pruning against the exhaustive evaluation, side by side in one process
 * over one index — each benchmark query run both ways in alternating order — so the ratios are not the
 * machine's mood. Reports p50/p99 of each query kind both ways (top 10 with highlighting, as a page asks), the
 * grouped page with month counts, phrases with and without the pair signatures, the warm-up's cost, and what
 * the pruned runs looked at.
 *
 * Usage: npm run bench:pruning -- [--size 100k] [--seed 1] [--out bench/pruning-results.json]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAnalyzer } from '../src/analysis/analyzer.js';
import { SearchIndex } from '../src/index/search-index.js';
import { Searcher, type SearchOptions } from '../src/search/search.js';
import { engineFor } from '../src/query/engine.js';
import { EngineWarmUp } from '../src/search/warm-up.js';
import { ensureCorpus, readArticles } from './corpus.js';
import { ensureQueries, QUERY_VERSION, type QuerySet } from './queries.js';
import { isMain, percentile } from './server.js';

const KINDS = ['plain', 'phrase', 'exclusion', 'typo', 'prefix'] as const;

interface Side {
  p50: number;
  p99: number;
  max: number;
}

export interface PruningResult {
  paragraphs: number;
  warmUp: { lists: number; postings: number; slices: number; ms: number };
  kinds: Record<string, { queries: number; pruned: Side; exhaustive: Side; p99Ratio: number; gte: number }>;
  /** Phrases with and without the pair signatures consulted first (both pruned). */
  pairSignatures: { queries: number; on: Side; off: Side; p99Ratio: number };
  page: { queries: number; pruned: Side; exhaustive: Side; p99Ratio: number };
}

function side(times: number[]): Side {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: r(percentile(times, 50)), p99: r(percentile(times, 99)), max: r(Math.max(...times)) };
}

export async function measurePruning(size: string, seed: number, log: (line: string) => void): Promise<PruningResult> {
  const corpus = ensureCorpus(size, seed, log);
  const set: QuerySet = ensureQueries(corpus.dir, join(corpus.dir, `queries-v${QUERY_VERSION}-seed${seed}.json`), seed, log);
  const index = new SearchIndex(createAnalyzer());
  log(`indexing ${corpus.dir}`);
  for (const article of readArticles(corpus.dir)) index.addArticle(article);
  index.settle();
  const warmUp = (await new EngineWarmUp(index).warm())!;
  log(`warm-up: ${warmUp.lists} lists, ${warmUp.postings} postings, ${warmUp.ms} ms in ${warmUp.slices} slices`);
  const searcher = new Searcher(index);
  const time = (q: string, options: SearchOptions) => {
    const started = performance.now();
    const response = searcher.search(q, options);
    return { ms: performance.now() - started, response };
  };
  for (const { q } of set.warmup) {
    time(q, { limit: 10, offset: 0 });
    time(q, { limit: 10, offset: 0, exhaustive: true });
  }
  const kinds: PruningResult['kinds'] = {};
  let turn = 0;
  for (const kind of KINDS) {
    const pruned: number[] = [];
    const exhaustive: number[] = [];
    let gte = 0;
    for (const { q } of set[kind]) {
      // Alternating which goes first: neither profits from the other's warm caches every time.
      const runs = turn++ % 2 === 0 ? [false, true] : [true, false];
      for (const full of runs) {
        const { ms, response } = time(q, { limit: 10, offset: 0, exhaustive: full });
        (full ? exhaustive : pruned).push(ms);
        if (!full && response.totalRelation === 'gte') gte++;
      }
    }
    const a = side(pruned);
    const b = side(exhaustive);
    kinds[kind] = { queries: pruned.length, pruned: a, exhaustive: b, p99Ratio: Math.round((a.p99 / b.p99) * 100) / 100, gte };
    log(`${kind}: pruned p50 ${a.p50} / p99 ${a.p99} ms, exhaustive ${b.p50} / ${b.p99} ms`);
  }
  // Phrases with the pair signatures and without, alternating as above.
  const engine = engineFor(index);
  const withPairs: number[] = [];
  const withoutPairs: number[] = [];
  for (const { q } of set.phrase) {
    const runs = turn++ % 2 === 0 ? [true, false] : [false, true];
    for (const on of runs) {
      engine.pairFilter = on;
      (on ? withPairs : withoutPairs).push(time(q, { limit: 10, offset: 0 }).ms);
    }
  }
  engine.pairFilter = true;
  const ps = { on: side(withPairs), off: side(withoutPairs) };
  log(`phrases: pair signatures on p50 ${ps.on.p50} / p99 ${ps.on.p99} ms, off ${ps.off.p50} / ${ps.off.p99} ms`);
  const pairSignatures = { queries: withPairs.length, ...ps, p99Ratio: Math.round((ps.on.p99 / ps.off.p99) * 100) / 100 };
  // The search page: grouped by article with month counts (every match counted; only what can be shown scored).
  const pagePruned: number[] = [];
  const pageFull: number[] = [];
  for (const { q } of set.plain.slice(0, 500)) {
    const options: SearchOptions = { limit: 10, offset: 0, group: 'article', facets: true };
    const runs = turn++ % 2 === 0 ? [false, true] : [true, false];
    for (const full of runs) (full ? pageFull : pagePruned).push(time(q, { ...options, exhaustive: full }).ms);
  }
  const pa = side(pagePruned);
  const pb = side(pageFull);
  log(`page (grouped, months): pruned p50 ${pa.p50} / p99 ${pa.p99} ms, exhaustive ${pb.p50} / ${pb.p99} ms`);
  return { paragraphs: index.paragraphCount, warmUp, kinds, pairSignatures, page: { queries: pagePruned.length, pruned: pa, exhaustive: pb, p99Ratio: Math.round((pa.p99 / pb.p99) * 100) / 100 } };
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const result = await measurePruning(get('size') ?? '100k', Number(get('seed') ?? 1), (line) => process.stderr.write(`[bench:pruning] ${line}\n`));
  const out = get('out');
  if (out !== undefined) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}
