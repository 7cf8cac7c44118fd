/**
 * The search service assembled: the folder store feeds the indexer, the indexer keeps the index, the
 * scheduler keeps the snapshot. Start-up loads the snapshot, reconciles it with the folder (only new,
 * changed and deleted articles are indexed), then watches. Shared by src/main.ts, the CLI and the tests.
 */
import { mkdir } from 'node:fs/promises';
import { createAnalyzer } from './analysis/analyzer.js';
import type { StemmerName } from './analysis/stemmers.js';
import { FolderArticleStore } from './articles/folder-store.js';
import type { ArticleStore, ScanSummary } from './articles/store.js';
import { Indexer } from './index/indexer.js';
import { SearchIndex } from './index/search-index.js';
import { SnapshotScheduler } from './index/snapshot-scheduler.js';
import { readSnapshot, SnapshotError } from './index/snapshot.js';
import type { ServiceStatus } from './http/status.js';
import type { Logger } from './logger.js';
import { Searcher } from './search/search.js';
import { SynonymFile } from './search/synonym-file.js';

export interface ServiceOptions {
  articlesDir: string;
  indexDir: string;
  stemmer: StemmerName;
  /** The synonym file (Solr format); none when unset or missing. Watched with the articles. */
  synonymsFile?: string;
  /** Watch ARTICLES_DIR (and the synonym file) for changes (default true). */
  watch?: boolean;
  /** Quiet time after changes before the snapshot is rewritten. */
  snapshotDelayMs?: number;
  /** How long a file must stay unchanged before it is read. */
  stableMs?: number;
}

export interface StartupReport {
  snapshot: 'loaded' | 'missing' | 'corrupt' | 'incompatible';
  scan: ScanSummary;
  ms: number;
}

export class SearchService {
  readonly index: SearchIndex;
  readonly searcher: Searcher;
  readonly indexer: Indexer;
  readonly store: ArticleStore;
  readonly snapshots: SnapshotScheduler;
  readonly synonyms: SynonymFile | null;
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
    this.store = new FolderArticleStore(options.articlesDir, logger, options.stableMs === undefined ? {} : { stableMs: options.stableMs });
    this.snapshots = new SnapshotScheduler(this.index, options.indexDir, logger, options.snapshotDelayMs === undefined ? {} : { delayMs: options.snapshotDelayMs });
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
    };
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
    const snapshot = await this.loadSnapshot();
    const apply = (changes: Parameters<Indexer['apply']>[0]) => this.indexer.apply(changes).then(() => undefined);
    // Watch first, so nothing written during the scan is missed; the scan's batches share the store's lock
    // with the watcher, so a file read later is always applied later.
    this.store.subscribe(apply);
    if (this.options.watch !== false) await this.store.watch();
    const scan = await this.store.scan(this.index.knownVersions(), apply, { exclusive: true });
    this.indexer.lastChangeAt ??= new Date();
    this.ready = true;
    const ms = Math.round(performance.now() - started);
    if (snapshot !== 'loaded' || scan.upserts + scan.removals > 0) this.snapshots.changed(0);
    this.logger.info(
      { articles: this.index.articleCount, paragraphs: this.index.paragraphCount, snapshot, ...scan, ms, analyzer: this.index.analyzer.version },
      `indexed ${this.index.articleCount} articles, ${this.index.paragraphCount} paragraphs in ${ms} ms ` +
        `(snapshot ${snapshot}; ${scan.upserts} read from files, ${scan.removals} removed, ${scan.unchanged} unchanged)`,
    );
    return { snapshot, scan, ms };
  }

  /** Stops watching and writes any pending snapshot. */
  async stop(): Promise<void> {
    await this.synonyms?.close();
    await this.store.close();
    await this.snapshots.flush();
    this.snapshots.stop();
  }

  private async loadSnapshot(): Promise<StartupReport['snapshot']> {
    try {
      const loaded = await readSnapshot(this.options.indexDir, this.index.analyzer);
      if (!loaded) {
        this.logger.info({ dir: this.options.indexDir }, `no snapshot in ${this.options.indexDir}: indexing every article`);
        return 'missing';
      }
      this.index.adopt(loaded.index);
      this.logger.info(
        { dir: this.options.indexDir, createdAt: loaded.createdAt, bytes: loaded.bytes, dirty: loaded.dirty.size },
        `loaded snapshot from ${loaded.createdAt}: ${this.index.articleCount} articles, ${this.index.paragraphCount} paragraphs`,
      );
      return 'loaded';
    } catch (error) {
      const reason = error instanceof SnapshotError ? error.reason : 'corrupt';
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ dir: this.options.indexDir, reason }, `snapshot in ${this.options.indexDir} unusable (${message}): rebuilding from the articles`);
      return reason;
    }
  }
}
