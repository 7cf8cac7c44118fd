/**
 * Applies article changes to the index: incrementally (only the changed articles' paragraphs are removed
 * and added), one article at a time in one synchronous step (a search never sees half an article), in
 * time slices that yield to the event loop (a burst of thousands never blocks searches for long). It
 * also rebuilds the whole index in the background and swaps it in at once.
 */
import type { ArticleChange, ArticleStore, ChangeListener } from '../articles/store.js';
import type { Logger } from '../logger.js';
import { SearchIndex } from './search-index.js';

/**
 * Work done before yielding to the event loop, in milliseconds. A search that arrives meanwhile waits for the
 * rest of the slice, and a slice ends only between articles, so the longest wait is this plus one article's
 * replacement (about 1–3 ms at 100k paragraphs; DESIGN.md, "Writes and readers").
 */
export const APPLY_SLICE_MS = 2;
/** Quiet time after the last applied batch before the index drops its adding caches (SearchIndex.settle). */
const SETTLE_AFTER_MS = 1000;

export interface ApplySummary {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface RebuildRun {
  startedAt: string;
  finishedAt: string | null;
  /** Files read so far, and in all. */
  progress: { done: number; total: number };
  ok: boolean | null;
  articles: number | null;
  paragraphs: number | null;
  ms: number | null;
  error: string | null;
}

export class Indexer {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private rebuildRun: RebuildRun | null = null;
  private lastRebuild: RebuildRun | null = null;
  /** When the index content last changed. */
  lastChangeAt: Date | null = null;
  private settleTimer: NodeJS.Timeout | undefined;
  /** Called after every applied batch: `waitForSeq` checks whether its sequence is in. */
  private readonly seqWaiters = new Set<() => void>();

  constructor(
    readonly index: SearchIndex,
    private readonly logger: Logger,
  ) {}

  /** Calls `listener` after every applied batch that changed the index (the snapshot scheduler listens). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies changes in order, after any applied before; settles once they are searchable. With `to` (from
   * a store's log), the index records that it holds every change up to it, once the whole batch is in.
   */
  apply(changes: readonly ArticleChange[], to?: Parameters<ChangeListener>[1]): Promise<ApplySummary> {
    const summary: ApplySummary = { added: 0, changed: 0, removed: 0, unchanged: 0 };
    const run = this.queue.then(async () => {
      await applyChanges(this.index, changes, summary);
      if (to?.reset) this.index.resetTo(to);
      else if (to !== undefined) this.index.advanceTo(to);
      for (const waiter of this.seqWaiters) waiter();
      return summary;
    });
    this.queue = run.catch(() => undefined);
    // Announced even when the batch failed part way: the articles before the failure are in the index.
    const announce = () => {
      if (summary.added + summary.changed + summary.removed === 0) return;
      this.settleSoon();
      this.lastChangeAt = new Date();
      for (const listener of this.listeners) listener();
    };
    return run.then(
      (done) => {
        announce();
        return done;
      },
      (error: unknown) => {
        announce();
        throw error;
      },
    );
  }

  /**
   * Resolves true once the index holds every change up to `seq` (read your writes across processes), or
   * false after `timeoutMs`.
   */
  waitForSeq(seq: number, timeoutMs: number): Promise<boolean> {
    const reached = () => this.index.appliedSeq !== null && this.index.appliedSeq >= seq;
    if (reached()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.seqWaiters.delete(check);
        resolve(ok);
      };
      const check = () => {
        if (reached()) done(true);
      };
      const timer = setTimeout(() => done(reached()), timeoutMs);
      this.seqWaiters.add(check);
    });
  }

  /** Lets the index drop its adding caches once batches stop coming (a burst keeps them warm). */
  private settleSoon(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.index.settle(), SETTLE_AFTER_MS);
    this.settleTimer.unref();
  }

  /** The running rebuild, else the last one; null when none ran. */
  get rebuildStatus(): { running: boolean; current: RebuildRun | null; last: RebuildRun | null } {
    return { running: this.rebuildRun !== null, current: this.rebuildRun, last: this.lastRebuild };
  }

  /**
   * Rebuilds the whole index from `store` in the background while searches are answered from the current
   * one, then swaps the new one in at once. A second call while one runs returns the running one.
   */
  rebuild(store: ArticleStore): RebuildRun {
    if (this.rebuildRun) return this.rebuildRun;
    const run: RebuildRun = {
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: { done: 0, total: 0 },
      ok: null,
      articles: null,
      paragraphs: null,
      ms: null,
      error: null,
    };
    this.rebuildRun = run;
    const started = performance.now();
    void this.runRebuild(store, run)
      .then(() => {
        run.ok = true;
        run.articles = this.index.articleCount;
        run.paragraphs = this.index.paragraphCount;
      })
      .catch((error: unknown) => {
        run.ok = false;
        run.error = error instanceof Error ? error.message : String(error);
        this.logger.error({ err: error }, `rebuild failed: ${run.error}`);
      })
      .finally(() => {
        run.ms = Math.round(performance.now() - started);
        run.finishedAt = new Date().toISOString();
        this.lastRebuild = run;
        this.rebuildRun = null;
        if (run.ok) this.logger.info({ ...run }, `rebuilt the index: ${run.articles} articles, ${run.paragraphs} paragraphs in ${run.ms} ms`);
      });
    return run;
  }

  private async runRebuild(store: ArticleStore, run: RebuildRun): Promise<void> {
    const fresh = new SearchIndex(this.index.analyzer);
    // Changes that reach the live index meanwhile are replayed onto the new one before the swap.
    const tracker = this.index.trackChanges();
    try {
      await store.changesSince(null, new Map(), async (changes) => void (await applyChanges(fresh, changes)), {
        onProgress: (done, total) => (run.progress = { done, total }),
      });
      // The fresh index takes no log position of its own: a live batch read before its comparison may still
      // be applied (and replayed below) over a newer row. The live index's position stays; the follower
      // delivers anything after it again, as the rows are now.
      // Replay and swap in one queued step: no change can slip in between.
      const swap = this.queue.then(() => {
        for (const id of tracker.ids) {
          const article = this.index.getArticle(id);
          const version = this.index.versionOf(id);
          if (article && version) fresh.upsert(article, version);
          else fresh.removeArticle(id);
        }
        this.index.adopt(fresh);
        for (const waiter of this.seqWaiters) waiter();
        this.settleSoon();
        this.lastChangeAt = new Date();
        for (const listener of this.listeners) listener();
      });
      this.queue = swap.catch(() => undefined);
      await swap;
    } finally {
      tracker.stop();
    }
  }
}

/**
 * Applies changes to `index`, yielding every APPLY_SLICE_MS between articles; counts them into `summary` as
 * it goes, so a caller knows what was applied before a failure.
 */
export async function applyChanges(
  index: SearchIndex,
  changes: readonly ArticleChange[],
  summary: ApplySummary = { added: 0, changed: 0, removed: 0, unchanged: 0 },
): Promise<ApplySummary> {
  let sliceStart = performance.now();
  for (const change of changes) {
    if (change.type === 'remove') {
      if (index.removeArticle(change.id)) summary.removed++;
    } else {
      const known = index.versionOf(change.article.id);
      if (known?.hash === change.version.hash) {
        index.setVersion(change.article.id, change.version);
        summary.unchanged++;
      } else {
        const isNew = !index.hasArticle(change.article.id);
        index.upsert(change.article, change.version);
        if (isNew) summary.added++;
        else summary.changed++;
      }
    }
    if (performance.now() - sliceStart >= APPLY_SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return summary;
}
