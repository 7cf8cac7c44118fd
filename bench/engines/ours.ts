/**
 * nieuwszoeker's own pipeline through its public calls only: `SearchIndex.addArticle` (then `settle`, as
 * the indexer does after a batch, and the engine's warm-up) to build, and
 * `Searcher.search` (parse, AND with OR fallback, BM25, highlighting of the page's hits) to query.
 */
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { Searcher } from '../../src/search/search.js';
import { EngineWarmUp } from '../../src/search/warm-up.js';
import { sink, type BenchCorpus, type Engine, type SyncEngine } from './engine.js';

export class OursEngine implements SyncEngine {
  readonly name = 'ours';
  fallbacks = 0;
  private readonly index = new SearchIndex(createAnalyzer());
  private readonly searcher = new Searcher(this.index);

  async build(corpus: BenchCorpus): Promise<void> {
    for (const article of corpus.articles) this.index.addArticle(article);
    // What the service's indexer does once a batch is in: drop the caches that only speed up adding.
    this.index.settle();
    // And what the service does once ready, in the background: the block maxima of the long lists (counted
    // in the build time here, as part of readying the index).
    await new EngineWarmUp(this.index).warm();
  }

  search(query: string): number {
    const response = this.searcher.search(query, { limit: 10, offset: 0, group: 'paragraph' });
    for (const hit of response.hits) sink.value += hit.highlight.length;
    if (response.fallback) this.fallbacks++;
    return response.total;
  }
}

export function oursEngine(): Engine {
  return new OursEngine();
}
