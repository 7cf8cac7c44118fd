/**
 * The article store backed by ARTICLES_DIR: one `.txt` file per article. It scans the folder against what
 * the index knows, watches it for changes, and writes articles atomically. Every change it reports — from
 * the watcher or from its own writes — passes one lock, so changes are totally ordered and the last write
 * to an article is the last change reported. Every file is read by the one rule (`readArticleFile`): a
 * regular file directly in the folder, never through a link.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { ArticleError, encodeArticle, isValidArticleId, slugify, type Article, type ArticleInput } from './article.js';
import { entryKind, fileToken, readArticleFile, versionOf, type ArticleFileState } from './article-file.js';
import { removeLeftoverTemporaryFiles, writeFileAtomically, type WrittenFile } from './atomic-write.js';
import { articleIdOf, isArticleFileName } from './folder.js';
import { FolderWatcher } from './folder-watcher.js';
import { StoreError, type ArticleChange, type ArticleStore, type ArticleVersion, type CatchUp, type ChangeListener, type LogPosition } from './store.js';

export interface FolderStoreOptions {
  /** How long a file must stay the same size before it is read (a write in progress is not read half). */
  stableMs?: number;
  /** Files read in one batch; a burst of thousands is absorbed batch by batch. */
  batchSize?: number;
  /**
   * How often the whole folder is compared with the index while watching (5 minutes): the system's change
   * queue can overflow (Linux's inotify drops events past `max_queued_events` without saying which), and a
   * missed file would otherwise stay unindexed until a restart. 0: never.
   */
  reconcileEveryMs?: number;
}

const READ_CONCURRENCY = 16;

export class FolderArticleStore implements ArticleStore {
  /** One folder is one store; it has no change log, so its cursor is always null. */
  readonly identity = 'folder';
  readonly hasLog = false;

  status(): { kind: 'folder' } {
    return { kind: 'folder' };
  }
  private watcher: FolderWatcher | undefined;
  private listener: ChangeListener | undefined;
  private known: (() => ReadonlyMap<string, ArticleVersion>) | undefined;
  private readonly pending = new Set<string>();
  private flushing = false;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly stableMs: number;
  private readonly batchSize: number;
  private readonly reconcileEveryMs: number;
  private reconcileTimer: NodeJS.Timeout | undefined;
  /**
   * Files the watcher found unusable, with the reason logged: a link whose target keeps changing (the
   * watcher reports those) is logged once, not at every change, until it becomes an article or goes.
   */
  private readonly refused = new Map<string, string>();

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
    options: FolderStoreOptions = {},
  ) {
    this.stableMs = options.stableMs ?? 100;
    this.batchSize = options.batchSize ?? 256;
    this.reconcileEveryMs = options.reconcileEveryMs ?? 300_000;
  }

  /** Removes the temporary files of writers that were killed (each with one log line); call before scanning. */
  async open(): Promise<void> {
    for (const { path, target, pid } of await removeLeftoverTemporaryFiles(this.dir)) {
      this.logger.warn({ file: path, pid }, `removed ${path}: a temporary file for ${target} left by a writer that stopped (pid ${pid})`);
    }
  }

  /** A folder keeps no log: whatever `since` says, its files are compared with `known` (cheaply, by size and mtime). */
  async changesSince(
    _since: LogPosition | null,
    known: ReadonlyMap<string, ArticleVersion>,
    onBatch: ChangeListener,
    options: { exclusive?: boolean; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<CatchUp> {
    const guarded = <T>(task: () => Promise<T>) => (options.exclusive ? this.exclusive(task) : task());
    const names = await this.articleFileNames();
    const summary: CatchUp = { files: names.length, unchanged: 0, upserts: 0, removals: 0, skipped: 0, resumed: false, position: null };
    const present = new Set<string>();
    const unusable = new Set<string>();
    for (let start = 0; start < names.length; start += this.batchSize) {
      const batch = names.slice(start, start + this.batchSize);
      await guarded(async () => {
        const states = await mapLimited(batch, READ_CONCURRENCY, (name) => this.readIfChanged(name, known.get(articleIdOf(name))));
        const changes: ArticleChange[] = [];
        batch.forEach((name, i) => {
          const id = articleIdOf(name);
          const state = states[i]!;
          if (state === 'unchanged') {
            present.add(id);
            summary.unchanged++;
          } else if (state.kind === 'article') {
            present.add(id);
            changes.push({ type: 'upsert', article: state.article, version: state.version });
            summary.upserts++;
          } else if (state.kind === 'refused') {
            summary.skipped++;
            unusable.add(id);
            this.logSkip(name, state.reason, known.has(id) ? 'removed from the index' : 'not indexed');
            this.refused.set(name, state.reason);
          }
        });
        if (changes.length > 0) await onBatch(changes);
      });
      options.onProgress?.(Math.min(start + batch.length, names.length), names.length);
    }
    await guarded(async () => {
      const removals: ArticleChange[] = [];
      for (const id of known.keys()) {
        // A file that appeared after the listing is the watcher's to report; an unusable one is dropped.
        if (present.has(id)) continue;
        if (unusable.has(id) || !(await exists(this.pathOf(id)))) removals.push({ type: 'remove', id });
      }
      summary.removals = removals.length;
      if (removals.length > 0) await onBatch(removals);
    });
    return summary;
  }

  subscribe(listener: ChangeListener, known?: () => ReadonlyMap<string, ArticleVersion>): void {
    this.listener = listener;
    this.known = known;
  }

  async watch(): Promise<void> {
    if (this.watcher) throw new Error('FolderArticleStore: already watching');
    // The system names each entry that changed; hidden files, editors' temporary files and anything but article
    // file names are dropped here. An entry with an article's name that is a folder or a link is reported: it
    // is read (and refused) by the one rule. No folder listing per event: chokidar, used before, listed the
    // whole folder after each one (66,667 entries at a million paragraphs), and a listing slower than its
    // 1 s throttle lost the files created meanwhile (bench:writes: 84 of 90 new files of a burst, never indexed).
    const watcher = new FolderWatcher(this.dir, {
      accept: isArticleFileName,
      stableMs: this.stableMs,
      onNames: (names) => {
        for (const name of names) this.enqueue(name);
      },
      onUnknown: () => void this.compareAll(),
      onError: (error) => this.logger.error({ err: error, dir: this.dir }, `watching ${this.dir} failed: ${String(error)}`),
    });
    watcher.start();
    this.watcher = watcher;
    if (this.reconcileEveryMs > 0) {
      this.reconcileTimer = setInterval(() => void this.compareAll(), this.reconcileEveryMs);
      this.reconcileTimer.unref();
    }
  }

  /** The watcher could not name what changed: compares the whole folder with what the listener holds. */
  private async compareAll(): Promise<void> {
    const listener = this.listener;
    if (!listener || !this.known) return;
    try {
      await this.changesSince(null, this.known(), listener, { exclusive: true });
    } catch (error) {
      this.logger.error({ err: error, dir: this.dir }, `comparing ${this.dir} with the index failed: ${String(error)}`);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.reconcileTimer);
    this.watcher?.close();
    this.watcher = undefined;
    await this.lock.catch(() => undefined);
  }

  async create(input: ArticleInput): Promise<{ article: Article; seq: null }> {
    // Checked completely before anything touches the disk (and outside the lock: it needs no file).
    const { bytes, article } = encodeArticle('x', input);
    const stem = slugify(article.title);
    return this.exclusive(async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const id = `${stem}-${randomBytes(3).toString('hex')}`;
        // link() refuses to replace an existing file: a new article never overwrites another.
        const written = await this.write(id, bytes, false);
        if (written) {
          const created = { ...article, id };
          await this.emit([{ type: 'upsert', article: created, version: versionOf(bytes, written.mtimeMs) }]);
          return { article: created, seq: null };
        }
      }
      throw new Error(`FolderArticleStore: no free id for "${stem}" after 5 attempts`);
    });
  }

  async put(id: string, input: ArticleInput): Promise<{ article: Article; created: boolean; seq: null }> {
    if (!isValidArticleId(id)) throw new ArticleError('invalid_id', `"${id}" is not a valid article id`);
    const { bytes, article } = encodeArticle(id, input);
    return this.exclusive(async () => {
      const entry = await lstat(this.pathOf(id)).catch(() => undefined);
      // A folder (or FIFO, device…) under the article's name is not ours to replace; a link is replaced by
      // the file itself (rename swaps the directory entry, never writes through the link).
      if (entry && !entry.isFile() && !entry.isSymbolicLink()) {
        throw new StoreError('conflict', `${this.pathOf(id)} is ${entryKind(entry)}, not an article file; remove it first`);
      }
      const written = (await this.write(id, bytes, true))!;
      // The version comes from the bytes just written, not from reading the file back: nothing after the
      // rename can fail on the content, and what was acknowledged is exactly what is stored.
      await this.emit([{ type: 'upsert', article, version: versionOf(bytes, written.mtimeMs) }]);
      this.refused.delete(`${id}.txt`);
      return { article, created: !entry?.isFile(), seq: null };
    });
  }

  /** Writes an article file; a full disk becomes a StoreError (the temporary file is gone, the old file intact). */
  private async write(id: string, bytes: Buffer, overwrite: boolean): Promise<WrittenFile | null> {
    try {
      return await writeFileAtomically(this.dir, `${id}.txt`, bytes, { overwrite });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new StoreError('storage_full', `no space left in ${this.dir} (${code}); nothing was written`);
      throw error;
    }
  }

  remove(id: string): Promise<{ removed: boolean; seq: null }> {
    if (!isValidArticleId(id)) return Promise.resolve({ removed: false, seq: null });
    return this.exclusive(async () => {
      try {
        await unlink(this.pathOf(id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { removed: false, seq: null };
        throw error;
      }
      await this.emit([{ type: 'remove', id }]);
      return { removed: true, seq: null };
    });
  }

  // ---- watching ----------------------------------------------------------------------------------

  private enqueue(name: string): void {
    this.pending.add(name);
    if (!this.flushing) {
      this.flushing = true;
      // A short pause lets a burst (an rsync of an archive) gather into full batches.
      setTimeout(() => void this.flush(), 10);
    }
  }

  /** Reads pending files a batch at a time, under the lock, and reports what changed. */
  private async flush(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const batch = [...this.pending].slice(0, this.batchSize);
        for (const name of batch) this.pending.delete(name);
        await this.exclusive(async () => {
          // Read inside the lock: what is reported is the file as it is now, after any write before it.
          const states = await mapLimited(batch, READ_CONCURRENCY, (name) => this.readFile(name));
          const changes: ArticleChange[] = [];
          batch.forEach((name, i) => {
            const state = states[i]!;
            if (state.kind === 'refused') {
              if (this.refused.get(name) !== state.reason) this.logSkip(name, state.reason, 'not indexed');
              this.refused.set(name, state.reason);
              changes.push({ type: 'remove', id: articleIdOf(name) });
              return;
            }
            this.refused.delete(name);
            if (state.kind === 'article') changes.push({ type: 'upsert', article: state.article, version: state.version });
            else changes.push({ type: 'remove', id: articleIdOf(name) });
          });
          await this.emit(changes);
        });
      }
    } catch (error) {
      this.logger.error({ err: error, dir: this.dir }, `applying changes from ${this.dir} failed: ${String(error)}`);
    } finally {
      this.flushing = false;
      if (this.pending.size > 0) this.enqueue([...this.pending][0]!);
    }
  }

  private async emit(changes: ArticleChange[]): Promise<void> {
    if (changes.length > 0 && this.listener) await this.listener(changes);
  }

  // ---- files -------------------------------------------------------------------------------------

  private pathOf(id: string): string {
    return join(this.dir, `${id}.txt`);
  }

  /** Every entry with an article file's name, whatever its type: what is not a regular file is refused when read. */
  private async articleFileNames(): Promise<string[]> {
    const entries = await readdir(this.dir);
    return entries.filter(isArticleFileName).sort();
  }

  /** 'unchanged' when the entry is a regular file whose size and mtime match what the index knows (no read). */
  private async readIfChanged(name: string, known: ArticleVersion | undefined): Promise<ArticleFileState | 'unchanged'> {
    if (known) {
      try {
        const s = await lstat(join(this.dir, name));
        if (s.isFile() && fileToken(s.size, s.mtimeMs) === known.token) return 'unchanged';
      } catch {
        return { kind: 'missing' };
      }
    }
    return this.readFile(name);
  }

  private readFile(name: string): Promise<ArticleFileState> {
    return readArticleFile(join(this.dir, name), articleIdOf(name));
  }

  private logSkip(name: string, reason: string, outcome: 'removed from the index' | 'not indexed'): void {
    const file = join(this.dir, name);
    this.logger.warn({ file, reason }, `skipped ${file}: ${reason}; ${outcome}`);
  }

  /** Runs `task` after every task before it, one at a time. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

/** Whether anything (a file, a link, a folder) is at `path`. */
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** `fn` over `items` with at most `limit` running at once; results in order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
