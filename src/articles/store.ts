/**
 * The one source of change: an article store lists its articles, reports changes to them, and writes
 * them. The folder store (one process, files) and the PostgreSQL store (many processes, a change log)
 * share this shape; `createArticleStore` (store-factory.ts) picks one by configuration.
 */
import type { Article, ArticleInput } from './article.js';

/**
 * What identifies one version of an article, opaque to everyone but the store that made it: the hash
 * says whether the content changed, the token is the store's cheap "may have changed" signal.
 */
export interface ArticleVersion {
  /** SHA-256 (hex) of the article as encoded in a file (`encodeArticle`): the same in every store. */
  hash: string;
  /** The store's own signal, compared only by that store (the folder: size and mtime; PostgreSQL: the change sequence). */
  token: string;
  /** When the store last changed the article (ms since the epoch): the feeds' `updated`. */
  changedAtMs: number;
}

/**
 * A position in a store's change log: every change up to and including this sequence number has been
 * read. Null for a store without a log (the folder): catching up then compares versions instead.
 */
export type ChangeSeq = number | null;

/**
 * Where a reader stands in a store's change log: change `seq`, and `mark`, what tells that change apart
 * from another one with the same number (its commit time): a database restored from a backup, or failed
 * over to a standby that was behind, uses numbers again, and the mark shows that the log went back.
 */
export interface LogPosition {
  seq: number;
  mark: string;
}

export type ArticleChange =
  | { type: 'upsert'; article: Article; version: ArticleVersion }
  | { type: 'remove'; id: string };

/**
 * Applies changes; the promise settles once they are searchable. `to`, from a store with a change log,
 * says that with this batch every change up to it has been delivered; with `reset`, that the reader now
 * holds the store exactly as of `to` (after comparing it whole), even if it had recorded a later position.
 */
export type ChangeListener = (changes: ArticleChange[], to?: LogPosition & { reset?: boolean }) => Promise<void>;

export interface ScanSummary {
  /** Articles looked at (files in the folder, rows or log entries in PostgreSQL). */
  files: number;
  unchanged: number;
  upserts: number;
  removals: number;
  skipped: number;
}

/** What catching up did, and where the reader now stands in the store's log. */
export interface CatchUp extends ScanSummary {
  /** Whether the reader's cursor was used (false: the whole store was compared with what it knows). */
  resumed: boolean;
  /** Where the reader now stands (null for a store without a log). */
  position: LogPosition | null;
}

/** An acknowledged write: its change sequence in the store's log (null for the folder). */
export interface WriteReceipt {
  seq: ChangeSeq;
}

/** A write the store could not carry out through no fault of the article: nothing was changed. */
export class StoreError extends Error {
  constructor(
    /**
     * `conflict`: something that is not an article is in the way; `storage_full`: no space to write;
     * `unavailable`: the store cannot be reached (the database is down): try again later.
     */
    readonly code: 'conflict' | 'storage_full' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * What /readyz shows of the store: for one with a log, where this process stands in it (`seq` applied,
 * `headSeq` the newest seen, `lag` behind it) and whether the database answered the last read.
 */
export type StoreStatus =
  | { kind: 'folder' }
  | {
      kind: 'postgres';
      seq: ChangeSeq;
      headSeq: number | null;
      lag: { changes: number; ms: number } | null;
      reachable: boolean;
      lastReadAt: string | null;
      listening: boolean;
    };

export interface ArticleStore {
  /**
   * Which store this is, stable across restarts and the same for every process reading it (`folder`, or
   * `postgres:<uuid>`): a snapshot's cursor is used only with the store that stamped it. Known after open().
   */
  readonly identity: string;
  /** Whether changes carry sequence numbers (a change log that other processes follow): `after=SEQ` waits for them. */
  readonly hasLog: boolean;
  status(): StoreStatus;
  /** Readies the store (the folder store removes a killed writer's temporary files; PostgreSQL connects and migrates). */
  open(): Promise<void>;
  /**
   * Brings a reader that holds `known` and has read the log up to `since` up to date, delivering the
   * differences to `onBatch` a batch at a time: new and changed articles as upserts, vanished ones as
   * removals. A store with a log reads it from `since` (null, or a position no longer in the log — beyond
   * its head, or with another mark — means the whole store is compared); the folder store always compares
   * its files with `known`. With `exclusive`, each batch is delivered in order with the store's own live
   * changes (for the live index).
   */
  changesSince(
    since: LogPosition | null,
    known: ReadonlyMap<string, ArticleVersion>,
    onBatch: ChangeListener,
    options?: { exclusive?: boolean; onProgress?: (done: number, total: number) => void },
  ): Promise<CatchUp>;
  /**
   * Where changes go: the store's own writes, and what `watch` sees. `known` gives what the listener holds,
   * for a store that must compare itself whole while following (its log went back).
   */
  subscribe(listener: ChangeListener, known?: () => ReadonlyMap<string, ArticleVersion>): void;
  /** Starts reporting changes made by others (files dropped, other processes' writes); resolves once watching. */
  watch(): Promise<void>;
  /**
   * Creates a new article under a fresh id; never overwrites. Resolves after listeners applied it. The input
   * is checked completely before anything is written.
   * @throws ArticleError (the input is not a usable article), StoreError (nothing was written)
   */
  create(input: ArticleInput): Promise<{ article: Article } & WriteReceipt>;
  /**
   * Creates or replaces the article `id`. Resolves after listeners applied it. A refused or failed write
   * leaves the previous article exactly as it was.
   * @throws ArticleError (the input is not a usable article), StoreError (nothing was written)
   */
  put(id: string, input: ArticleInput): Promise<{ article: Article; created: boolean } & WriteReceipt>;
  /** Deletes the article `id` (`removed` false when there was none). Resolves after listeners applied it. */
  remove(id: string): Promise<{ removed: boolean } & WriteReceipt>;
  close(): Promise<void>;
}
