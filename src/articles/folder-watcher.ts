/**
 * Watches one folder (not below it) for entries whose names pass a filter, and hands each changed name over
 * once nothing has happened to it for a quiet time, so a file still being written is not read half. It reads
 * no file and lists no folder: the operating system names what changed (inotify, FSEvents), and the store
 * reads each name by its own rule.
 */
import { watch, type FSWatcher } from 'node:fs';

export interface FolderWatcherOptions {
  /** Which entry names matter (the others are never reported). */
  accept: (name: string) => boolean;
  /** Names that changed and have been quiet for `stableMs`, in the order of their last events. */
  onNames: (names: string[]) => void;
  /** The system could not say which entry changed: the whole folder must be compared. */
  onUnknown: () => void;
  onError: (error: Error) => void;
  /** Quiet time after an entry's last event before it is reported. */
  stableMs: number;
}

export class FolderWatcher {
  private watcher: FSWatcher | undefined;
  /** Names waiting to be quiet, with the time of their last event. */
  private readonly waiting = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly options: FolderWatcherOptions,
  ) {}

  /** Starts watching; events from the moment this returns are seen. */
  start(): void {
    if (this.watcher) throw new Error('FolderWatcher: already watching');
    this.watcher = watch(this.dir, { persistent: false }, (_event, name) => this.saw(name));
    this.watcher.on('error', (error) => this.options.onError(error));
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.clear();
  }

  /** Names seen and not yet reported. */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * An event for `name` (any kind: created, written, renamed, removed — the store finds out which by reading).
   * Public for the tests, which drive it without a file system.
   */
  saw(name: string | Buffer | null, now = Date.now()): void {
    if (name === null) {
      this.options.onUnknown();
      return;
    }
    const entry = typeof name === 'string' ? name : name.toString('utf8');
    if (!this.options.accept(entry)) return;
    // Deleted and set again, so the map keeps the names in the order of their last event.
    this.waiting.delete(entry);
    this.waiting.set(entry, now);
    this.timer ??= setTimeout(() => this.sweep(), this.pollMs());
  }

  /** Reports the names quiet for `stableMs`, and looks again later for the others. */
  sweep(now = Date.now()): void {
    this.timer = undefined;
    const quiet: string[] = [];
    for (const [name, at] of this.waiting) {
      if (now - at < this.options.stableMs) continue;
      quiet.push(name);
    }
    for (const name of quiet) this.waiting.delete(name);
    if (this.waiting.size > 0 && this.watcher) this.timer = setTimeout(() => this.sweep(), this.pollMs());
    if (quiet.length > 0) this.options.onNames(quiet);
  }

  private pollMs(): number {
    return Math.max(10, Math.round(this.options.stableMs / 4));
  }
}
