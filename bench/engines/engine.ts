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

interface EngineBase {
  readonly name: string;
  /** Indexes the corpus, keeping each paragraph's text (every engine must be able to show its hits). */
  build(corpus: BenchCorpus): void | Promise<void>;
  /**
   * For an engine whose search stops at the first page: all hits, counted outside the timing (so it may be
   * asynchronous for every engine).
   */
  count?(query: string): number | Promise<number>;
  /** Queries that found nothing with AND and fell back to OR (our engine only). */
  readonly fallbacks?: number;
  /** Bytes the index keeps on disk, for an engine that writes one (LanceDB); read once after the build. */
  diskBytes?(): number;
  /** Frees what outlives the process's heap (a database handle, a temporary directory). */
  close?(): void | Promise<void>;
}

/** An engine that answers in the caller's turn: timed in a plain loop, no promise anywhere near it. */
export interface SyncEngine extends EngineBase {
  /**
   * Runs one query as a results page does: every query word required (AND), the best 10 hits fetched with
   * their text. Returns the number of hits, when the engine computes it anyway.
   */
  search(query: string): number;
  searchAsync?: never;
}

/**
 * An engine whose library only answers through a promise (LanceDB's queries run on its own threads): the
 * same contract as `search`, each call timed until its promise settles.
 */
export interface AsyncEngine extends EngineBase {
  searchAsync(query: string): Promise<number>;
  search?: never;
}

export type Engine = SyncEngine | AsyncEngine;

/** Keeps the optimiser from dropping work whose result is not otherwise used. */
export const sink = { value: 0 };
