/**
 * The article store backed by ARTICLES_DIR: one `.txt` file per article. It scans the folder against what
 * the index knows, watches it for changes, and writes articles atomically. Every change it reports — from
 * the watcher or from its own writes — passes one lock, so changes are totally ordered and the last write
 * to an article is the last change reported.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../logger.js';
import {
  ArticleError,
  MAX_ARTICLE_BYTES,
  decodeArticleBytes,
  formatArticle,
  isValidArticleId,
  parseArticle,
  slugify,
  type Article,
  type ArticleInput,
} from './article.js';
import { writeFileAtomically } from './atomic-write.js';
import { articleIdOf, isArticleFileName } from './folder.js';
import type { ArticleChange, ArticleStore, ArticleVersion, ChangeListener, ScanSummary } from './store.js';

export interface FolderStoreOptions {
  /** How long a file must stay the same size before it is read (a write in progress is not read half). */
  stableMs?: number;
  /** Files read in one batch; a burst of thousands is absorbed batch by batch. */
  batchSize?: number;
}

/** What reading one file gave: an article, a reason it is unusable, or that it is gone. */
type FileState =
  | { kind: 'article'; article: Article; version: ArticleVersion }
  | { kind: 'unusable'; reason: string }
  | { kind: 'missing' };

const READ_CONCURRENCY = 16;

export class FolderArticleStore implements ArticleStore {
  private watcher: FSWatcher | undefined;
  private listener: ChangeListener | undefined;
  private readonly pending = new Set<string>();
  private flushing = false;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly stableMs: number;
  private readonly batchSize: number;

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
    options: FolderStoreOptions = {},
  ) {
    this.stableMs = options.stableMs ?? 100;
    this.batchSize = options.batchSize ?? 256;
  }

  async scan(
    known: ReadonlyMap<string, ArticleVersion>,
    onBatch: ChangeListener,
    options: { exclusive?: boolean; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<ScanSummary> {
    const guarded = <T>(task: () => Promise<T>) => (options.exclusive ? this.exclusive(task) : task());
    const names = await this.articleFileNames();
    const summary: ScanSummary = { files: names.length, unchanged: 0, upserts: 0, removals: 0, skipped: 0 };
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
          } else if (state.kind === 'unusable') {
            summary.skipped++;
            unusable.add(id);
            this.logSkip(name, state.reason, known.has(id));
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

  subscribe(listener: ChangeListener): void {
    this.listener = listener;
  }

  async watch(): Promise<void> {
    if (this.watcher) throw new Error('FolderArticleStore: already watching');
    const watcher = watch(this.dir, {
      ignoreInitial: true,
      depth: 0,
      // Hidden files, editors' temporary files and anything but article files never reach us.
      ignored: (path, stats) => path !== this.dir && (stats?.isDirectory() === true || !isArticleFileName(basename(path))),
      awaitWriteFinish: { stabilityThreshold: this.stableMs, pollInterval: Math.max(10, Math.round(this.stableMs / 4)) },
    });
    this.watcher = watcher;
    const changed = (path: string) => this.enqueue(basename(path));
    watcher.on('add', changed).on('change', changed).on('unlink', changed);
    watcher.on('error', (error) => this.logger.error({ err: error, dir: this.dir }, `watching ${this.dir} failed: ${String(error)}`));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
    await this.lock.catch(() => undefined);
  }

  create(input: ArticleInput): Promise<Article> {
    return this.exclusive(async () => {
      const text = formatArticle(input);
      const article = parseArticle('x', text); // validates before anything touches the disk
      const stem = slugify(article.title);
      for (let attempt = 0; attempt < 5; attempt++) {
        const id = `${stem}-${randomBytes(3).toString('hex')}`;
        // link() refuses to replace an existing file: a new article never overwrites another.
        if (await writeFileAtomically(this.dir, `${id}.txt`, text, { overwrite: false })) {
          const state = await this.readFile(`${id}.txt`);
          if (state.kind !== 'article') throw new Error(`FolderArticleStore: wrote ${id} but cannot read it back`);
          await this.emit([{ type: 'upsert', article: state.article, version: state.version }]);
          return state.article;
        }
      }
      throw new Error(`FolderArticleStore: no free id for "${stem}" after 5 attempts`);
    });
  }

  put(id: string, input: ArticleInput): Promise<{ article: Article; created: boolean }> {
    if (!isValidArticleId(id)) return Promise.reject(new ArticleError('invalid_id', `"${id}" is not a valid article id`));
    return this.exclusive(async () => {
      const text = formatArticle(input);
      parseArticle(id, text);
      const created = !(await exists(this.pathOf(id)));
      await writeFileAtomically(this.dir, `${id}.txt`, text, { overwrite: true });
      const state = await this.readFile(`${id}.txt`);
      if (state.kind !== 'article') throw new Error(`FolderArticleStore: wrote ${id} but cannot read it back`);
      await this.emit([{ type: 'upsert', article: state.article, version: state.version }]);
      return { article: state.article, created };
    });
  }

  remove(id: string): Promise<boolean> {
    if (!isValidArticleId(id)) return Promise.resolve(false);
    return this.exclusive(async () => {
      try {
        await unlink(this.pathOf(id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
      await this.emit([{ type: 'remove', id }]);
      return true;
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
            if (state.kind === 'article') changes.push({ type: 'upsert', article: state.article, version: state.version });
            else if (state.kind === 'missing') changes.push({ type: 'remove', id: articleIdOf(name) });
            else {
              this.logSkip(name, state.reason, true);
              changes.push({ type: 'remove', id: articleIdOf(name) });
            }
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

  private async articleFileNames(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile() && isArticleFileName(e.name)).map((e) => e.name).sort();
  }

  /** 'unchanged' when size and mtime match what the index knows (no read), else the file's state. */
  private async readIfChanged(name: string, known: ArticleVersion | undefined): Promise<FileState | 'unchanged'> {
    if (known) {
      try {
        const s = await stat(join(this.dir, name));
        if (s.size === known.size && s.mtimeMs === known.mtimeMs) return 'unchanged';
      } catch {
        return { kind: 'missing' };
      }
    }
    return this.readFile(name);
  }

  private async readFile(name: string): Promise<FileState> {
    const path = join(this.dir, name);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'unusable', reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? error})` };
    }
    try {
      const s = await handle.stat();
      if (s.size > MAX_ARTICLE_BYTES) return { kind: 'unusable', reason: `larger than ${MAX_ARTICLE_BYTES} bytes (${s.size})` };
      const bytes = await handle.readFile();
      const article = parseArticle(articleIdOf(name), decodeArticleBytes(bytes));
      const hash = createHash('sha256').update(bytes).digest('hex');
      return { kind: 'article', article, version: { hash, size: bytes.length, mtimeMs: s.mtimeMs } };
    } catch (error) {
      if (error instanceof ArticleError) return { kind: 'unusable', reason: error.message };
      return { kind: 'unusable', reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? error})` };
    } finally {
      await handle.close();
    }
  }

  private logSkip(name: string, reason: string, wasIndexed: boolean): void {
    const file = join(this.dir, name);
    const note = wasIndexed ? '; removed from the index' : '';
    this.logger.warn({ file, reason }, `skipped ${file}: ${reason}${note}`);
  }

  /** Runs `task` after every task before it, one at a time. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
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
