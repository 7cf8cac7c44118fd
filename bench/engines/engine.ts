/**
 * The contract every search library in the benchmark implements, and the corpus it is given: one adapter per
 * library, each configured the way its own documentation tells a Dutch user to.
 */
import type { Article } from '../../src/articles/article.js';
import type { ParagraphDoc } from '../../src/paragraphs/paragraphs.js';

/** The parsed corpus. Reading and parsing it is not part of build time. */
export interface BenchCorpus {
  /** Whole articles: our product indexes these (`SearchIndex.addArticle`). */
  articles: readonly Article[];
  /** One document per paragraph (`toParagraphDocs`): what the other libraries index. */
  docs: readonly ParagraphDoc[];
}

export interface Engine {
  readonly name: string;
  /** Indexes the corpus, keeping each paragraph's text (every engine must be able to show its hits). */
  build(corpus: BenchCorpus): void | Promise<void>;
  /**
   * Runs one query as a results page does: every query word required (AND), the best 10 hits fetched with
   * their text. Returns the number of hits, when the engine computes it anyway.
   */
  search(query: string): number;
  /** For an engine whose `search` stops at the first page: all hits, counted outside the timing. */
  count?(query: string): number;
  /** Queries that found nothing with AND and fell back to OR (our engine only). */
  readonly fallbacks?: number;
}

/** Keeps the optimiser from dropping work whose result is not otherwise used. */
export const sink = { value: 0 };
