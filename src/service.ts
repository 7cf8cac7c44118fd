/**
 * The search service assembled: the article store (chosen by configuration) feeds the indexer, the indexer
 * keeps the index, the scheduler keeps the snapshot. Start-up loads the snapshot, catches up with the store
 * (from the snapshot's log position, or by comparing versions: only new, changed and deleted articles are
 * indexed), then follows it. Shared by src/main.ts, the CLI and the tests.
 */
import { mkdir } from 'node:fs/promises';
import { createAnalyzer } from './analysis/analyzer.js';
import type { StemmerName } from './analysis/stemmers.js';
import { createArticleStore, type StoreConfig } from './articles/store-factory.js';
import type { ArticleStore, CatchUp, LogPosition } from './articles/store.js';
import { Indexer } from './index/indexer.js';
import { SearchIndex } from './index/search-index.js';
import { SnapshotScheduler } from './index/snapshot-scheduler.js';
import { readSnapshot, SnapshotError } from './index/snapshot.js';
import type { ServiceStatus } from './http/status.js';
import type { Logger } from './logger.js';
import { Searcher } from './search/search.js';
import { SynonymFile } from './search/synonym-file.js';
import { EngineWarmUp } from './search/warm-up.js';

export interface ServiceOptions {
  store: StoreConfig;
  indexDir: string;
  stemmer: StemmerName;
  /** The synonym file (Solr format); none when unset or missing. Watched with the articles. */
  synonymsFile?: string;
  /** Follow the store (watch ARTICLES_DIR, or the PostgreSQL log) and the synonym file (default true). */
  watch?: boolean;
  /** Quiet time after changes before the snapshot is rewritten. */
  snapshotDelayMs?: number;
}

export interface StartupReport {
  snapshot: 'loaded' | 'missing' | 'corrupt' | 'incompatible';
  /** What catching up with the store did (`resumed`: from the snapshot's log position). */
  scan: CatchUp;
  ms: number;
}

export class SearchService {
  readonly index: SearchIndex;
  readonly searcher: Searcher;
  readonly indexer: Indexer;
  readonly store: ArticleStore;
  readonly snapshots: SnapshotScheduler;
  readonly synonyms: SynonymFile | null;
  readonly warmUp: EngineWarmUp;
  private ready = false;

  constructor(
    private readonly options: ServiceOptions,
    private readonly logger: Logger,
  ) {
    this.index = new SearchIndex(createAnalyzer({ stemmer: options.stemmer }));
    const synonyms = options.synonymsFile === undefined ? null : new SynonymFile(options.synonymsFile, this.index.analyzer, logger);
    this.synonyms = synonyms;
    this.searcher = new Searcher(this.index, synonyms === null ? undefined : () => synonyms.current);
    this.indexer = new Indexer(this.index, logger);
    this.warmUp = new EngineWarmUp(this.index, {
      onDone: (r) => logger.info({ ...r }, `query engine warmed: block maxima of ${r.lists} posting lists (${r.postings} postings) in ${r.ms} ms, ${r.slices} slices`),
    });
    this.store = createArticleStore(options.store, logger);
    const store = this.store;
    this.snapshots = new SnapshotScheduler(this.index, options.indexDir, logger, {
      store: () => store.identity,
      ...(options.snapshotDelayMs === undefined ? {} : { delayMs: options.snapshotDelayMs }),
    });
    // Not while starting: a snapshot of a half-built index is wasted work (start() schedules one when ready).
    this.indexer.onChange(() => {
      if (this.ready) this.snapshots.changed();
    });
  }

  status(): ServiceStatus {
    const last = this.snapshots.last;
    return {
      ready: this.ready,
      articles: this.index.articleCount,
      paragraphs: this.index.paragraphCount,
      lastChangeAt: this.indexer.lastChangeAt?.toISOString() ?? null,
      snapshot: last ? { writtenAt: last.writtenAt, bytes: last.bytes } : null,
      store: this.store.status(),
    };
  }

  /**
   * Read your writes across processes: resolves true once this process's index holds the store's change
   * `seq`, false after `timeoutMs`. A store without a log (the folder) has nothing to wait for: its writes
   * through this process are searchable when acknowledged.
   */
  waitForSeq(seq: number, timeoutMs: number): Promise<boolean> {
    if (!this.store.hasLog) return Promise.resolve(true);
    return this.indexer.waitForSeq(seq, timeoutMs);
  }

  /** Loads the snapshot, reconciles with the folder, starts watching, and becomes ready. */
  async start(): Promise<StartupReport> {
    const started = performance.now();
    await mkdir(this.options.indexDir, { recursive: true });
    await this.store.open();
    if (this.synonyms !== null) {
      await this.synonyms.load();
      if (this.options.watch !== false) await this.synonyms.watch();
    }
    const { snapshot, since } = await this.loadSnapshot();
    const apply = (...[changes, to]: Parameters<Indexer['apply']>) => this.indexer.apply(changes, to).then(() => undefined);
    // Watch first, so nothing written during the catch-up is missed; the catch-up's batches share the store's
    // delivery order with the watcher, so a change read later is always applied later.
    this.store.subscribe(apply, () => this.index.knownVersions());
    if (this.options.watch !== false) await this.store.watch();
    const scan = await this.store.changesSince(since, this.index.knownVersions(), apply, { exclusive: true });
    this.indexer.lastChangeAt ??= new Date();
    this.ready = true;
    this.warmUp.start();
    const ms = Math.round(performance.now() - started);
    if (snapshot !== 'loaded' || scan.upserts + scan.removals > 0) this.snapshots.changed(0);
    this.logger.info(
      { articles: this.index.articleCount, paragraphs: this.index.paragraphCount, snapshot, ...scan, ms, analyzer: this.index.analyzer.version },
      `indexed ${this.index.articleCount} articles, ${this.index.paragraphCount} paragraphs in ${ms} ms ` +
        `(snapshot ${snapshot}; ${scan.resumed ? `caught up from change ${since!.seq}, ` : ''}` +
        `${scan.upserts} read from ${this.store.identity === 'folder' ? 'files' : 'PostgreSQL'}, ${scan.removals} removed, ${scan.unchanged} unchanged)`,
    );
    return { snapshot, scan, ms };
  }

  /** Stops watching and writes any pending snapshot. */
  async stop(): Promise<void> {
    this.warmUp.stop();
    await this.synonyms?.close();
    await this.store.close();
    await this.snapshots.flush();
    this.snapshots.stop();
  }

  /**
   * Loads the snapshot, and says where to catch up from: its log position when it was stamped by this very
   * store and vouches for every article it holds; else null (compare the whole store with it).
   */
  private async loadSnapshot(): Promise<{ snapshot: StartupReport['snapshot']; since: LogPosition | null }> {
    try {
      const loaded = await readSnapshot(this.options.indexDir, this.index.analyzer);
      if (!loaded) {
        this.logger.info({ dir: this.options.indexDir }, `no snapshot in ${this.options.indexDir}: indexing every article`);
        return { snapshot: 'missing', since: null };
      }
      // Articles that changed while it was written were left out of it, and every such change comes after
      // its position in the log (the position was taken as the change tracker started), so the log brings
      // them back: a snapshot written under writes resumes too.
      const resumable = loaded.store === this.store.identity && loaded.position !== null;
      if (resumable) loaded.index.advanceTo(loaded.position);
      this.index.adopt(loaded.index);
      this.logger.info(
        { dir: this.options.indexDir, createdAt: loaded.createdAt, bytes: loaded.bytes, dirty: loaded.dirty.size, store: loaded.store, seq: loaded.position?.seq },
        `loaded snapshot from ${loaded.createdAt}: ${this.index.articleCount} articles, ${this.index.paragraphCount} paragraphs` +
          (loaded.position === null ? '' : resumable ? ` up to change ${loaded.position.seq}` : ` (stamped by ${loaded.store ?? 'no store'}: compared with the store instead)`),
      );
      return { snapshot: 'loaded', since: resumable ? loaded.position : null };
    } catch (error) {
      const reason = error instanceof SnapshotError ? error.reason : 'corrupt';
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ dir: this.options.indexDir, reason }, `snapshot in ${this.options.indexDir} unusable (${message}): rebuilding from the articles`);
      return { snapshot: reason, since: null };
    }
  }
}
