/**
 * MiniSearch 7.2 as a user would wire it: with its defaults (lowercase, no stemming, no stopwords), and with
 * the Dutch Porter stemmer and Snowball's stop list plugged into `processTerm`.
 */
import MiniSearch from 'minisearch';
import { stemmer as porterDutch } from '@orama/stemmers/dutch';
import { SNOWBALL_DUTCH_STOPWORDS } from '../../src/analysis/stopwords.js';
import type { ParagraphDoc } from '../../src/paragraphs/paragraphs.js';
import { sink, type BenchCorpus, type Engine, type SyncEngine } from './engine.js';

const STOPWORDS = new Set(SNOWBALL_DUTCH_STOPWORDS);

class MiniSearchEngine implements SyncEngine {
  private readonly mini: MiniSearch<ParagraphDoc>;

  constructor(
    readonly name: string,
    processTerm?: (term: string) => string | null,
  ) {
    // `storeFields: ['text']`: MiniSearch's own way to keep what a hit shows.
    this.mini = new MiniSearch<ParagraphDoc>({ fields: ['text'], storeFields: ['text'], ...(processTerm ? { processTerm } : {}) });
  }

  build(corpus: BenchCorpus): void {
    this.mini.addAll(corpus.docs);
  }

  search(query: string): number {
    const results = this.mini.search(query, { combineWith: 'AND' });
    for (let i = 0; i < results.length && i < 10; i++) sink.value += (results[i]!.text as string).length;
    return results.length;
  }
}

export function minisearchDefaults(): Engine {
  return new MiniSearchEngine('minisearch-defaults');
}

/** Lowercase, drop stopwords, stem: what MiniSearch's README shows for stemming, with the Dutch Porter stemmer. */
export function minisearchPorter(): Engine {
  return new MiniSearchEngine('minisearch-porter', (term) => {
    const lower = term.toLowerCase();
    return STOPWORDS.has(lower) ? null : porterDutch(lower);
  });
}
