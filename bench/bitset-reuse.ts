/**
 * `npm run bench:bitsets`: how much of the query engine's work a single unrelated change undoes. Indexes the
 * 100k benchmark corpus, warms two-word queries over frequent words, then after each of 10 articles that
 * contain none of those words counts the membership bitsets built again and the postings read to build them,
 * with the queries' p50 warm and right after the change (times are noisy on a shared machine; the counts are not).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAnalyzer } from '../src/analysis/analyzer.js';
import { parseArticle } from '../src/articles/article.js';
import { SearchIndex } from '../src/index/search-index.js';
import { QueryEngine } from '../src/query/engine.js';
import { Searcher } from '../src/search/search.js';
import { ensureCorpus } from './corpus.js';
import { isMain, percentile } from './server.js';

const QUERIES = ['eerste jaar', 'nieuwe stad', 'grote mensen', 'twee eerste', 'jaar tijd'];
const CHANGES = 10;

export async function measureBitsetReuse(corpusDir: string) {
  const index = new SearchIndex(createAnalyzer());
  for (const name of readdirSync(corpusDir).filter((n) => n.endsWith('.txt'))) {
    index.upsert(parseArticle(name.slice(0, -4), readFileSync(join(corpusDir, name), 'utf8')), { hash: name, token: '', changedAtMs: 0 });
  }
  index.settle();
  // Counts each bitset the first time the engine hands it out: a build.
  const seen = new WeakSet<Uint32Array>();
  let builds = 0;
  let postingsRead = 0;
  const membership = QueryEngine.prototype.membership;
  QueryEngine.prototype.membership = function (this: QueryEngine, postings: Map<number, number>) {
    const bits = membership.call(this, postings);
    if (!seen.has(bits)) {
      seen.add(bits);
      builds++;
      postingsRead += postings.size;
    }
    return bits;
  };
  try {
    const searcher = new Searcher(index);
    const time = (q: string) => {
      const started = performance.now();
      searcher.search(q, { limit: 10, offset: 0 });
      return performance.now() - started;
    };
    for (const q of QUERIES) for (let i = 0; i < 5; i++) time(q);
    builds = 0;
    postingsRead = 0;
    const warm: number[] = [];
    const afterChange: number[] = [];
    for (let round = 0; round < CHANGES; round++) {
      for (const q of QUERIES) warm.push(time(q));
      index.upsert({ id: `los-${round}`, title: 'Los', date: null, source: null, url: null, paragraphs: [`Xylofoonquasar ${round} zonder iets.`] }, { hash: `los-${round}`, token: '', changedAtMs: 0 });
      for (const q of QUERIES) afterChange.push(time(q));
    }
    return { paragraphs: index.paragraphCount, changes: CHANGES, queries: QUERIES.length, bitsetsBuilt: builds, postingsRead, warmP50Ms: percentile(warm, 50), afterChangeP50Ms: percentile(afterChange, 50) };
  } finally {
    QueryEngine.prototype.membership = membership;
  }
}

if (isMain(import.meta.url)) {
  const corpus = ensureCorpus(100_000, 1, (line) => process.stderr.write(`${line}\n`));
  const r = await measureBitsetReuse(corpus.dir);
  process.stdout.write(
    `${r.paragraphs} paragraphs, ${r.queries} two-word queries after each of ${r.changes} unrelated changes: ` +
      `${r.bitsetsBuilt} bitsets built again (${r.postingsRead} postings read); p50 warm ${r.warmP50Ms.toFixed(2)} ms, right after a change ${r.afterChangeP50Ms.toFixed(2)} ms\n`,
  );
}
