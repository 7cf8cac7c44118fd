/**
 * The one source of change: an article store lists its articles, reports changes to them, and writes
 * them. The folder store is the first; a PostgreSQL store for several search nodes fits the same shape.
 */
import type { Article, ArticleInput } from './article.js';

/** What identifies one version of an article: its content hash, plus the store's cheap change signals. */
export interface ArticleVersion {
  /** SHA-256 (hex) of the stored bytes. */
  hash: string;
  size: number;
  mtimeMs: number;
}

export type ArticleChange =
  | { type: 'upsert'; article: Article; version: ArticleVersion }
  | { type: 'remove'; id: string };

/** Applies changes; the promise settles once they are searchable. */
export type ChangeListener = (changes: ArticleChange[]) => Promise<void>;

export interface ScanSummary {
  files: number;
  unchanged: number;
  upserts: number;
  removals: number;
  skipped: number;
}

/** A write the store could not carry out through no fault of the article: nothing was changed. */
export class StoreError extends Error {
  constructor(
    /** `conflict`: something that is not an article is in the way; `storage_full`: no space to write. */
    readonly code: 'conflict' | 'storage_full',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface ArticleStore {
  /** Readies the store after a crash, before the first scan (the folder store removes a killed writer's temporary files). */
  open(): Promise<void>;
  /**
   * Compares the store with what the index holds (`known`) and delivers the differences to `onBatch`, a
   * batch at a time: new and changed articles as upserts, vanished ones as removals. With `exclusive`, each
   * batch is read and delivered under the store's write lock, ordered with live changes (for the live index).
   */
  scan(
    known: ReadonlyMap<string, ArticleVersion>,
    onBatch: ChangeListener,
    options?: { exclusive?: boolean; onProgress?: (done: number, total: number) => void },
  ): Promise<ScanSummary>;
  /** Where changes go: the store's own writes, and what `watch` sees. */
  subscribe(listener: ChangeListener): void;
  /** Starts reporting changes made by others (files dropped, edited, deleted); resolves once watching. */
  watch(): Promise<void>;
  /**
   * Creates a new article under a fresh id; never overwrites. Resolves after listeners applied it. The input
   * is checked completely before anything is written.
   * @throws ArticleError (the input is not a usable article), StoreError (nothing was written)
   */
  create(input: ArticleInput): Promise<Article>;
  /**
   * Creates or replaces the article `id`. Resolves after listeners applied it. A refused or failed write
   * leaves the previous article exactly as it was.
   * @throws ArticleError (the input is not a usable article), StoreError (nothing was written)
   */
  put(id: string, input: ArticleInput): Promise<{ article: Article; created: boolean }>;
  /** Deletes the article `id`; false when there was none. Resolves after listeners applied it. */
  remove(id: string): Promise<boolean>;
  close(): Promise<void>;
}
