/**
 * Keeps the snapshot fresh without getting in the way: after changes it waits for a quiet moment
 * (debounce), but never longer than a maximum, writes one snapshot at a time off the request path, and
 * writes again if more changes arrived meanwhile.
 */
import type { Logger } from '../logger.js';
import type { SearchIndex } from './search-index.js';
import { writeSnapshot, type SnapshotWriteStats } from './snapshot.js';

export interface SnapshotSchedulerOptions {
  /** Quiet time after the last change before writing. */
  delayMs?: number;
  /** Longest a change waits to be persisted while changes keep coming. */
  maxDelayMs?: number;
}

export class SnapshotScheduler {
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  private pending = false;
  private writing: Promise<void> | undefined;
  private stopped = false;
  last: (SnapshotWriteStats & { writtenAt: string }) | null = null;
  private readonly delayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly index: SearchIndex,
    private readonly dir: string,
    private readonly logger: Logger,
    options: SnapshotSchedulerOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 5_000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
  }

  /** The index changed: write a snapshot after the next quiet moment. */
  changed(delayMs = this.delayMs): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!this.pending) this.firstPendingAt = now;
    this.pending = true;
    if (this.writing) return; // the running write reschedules when it ends
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(delayMs, this.firstPendingAt + this.maxDelayMs - now));
    this.timer = setTimeout(() => void this.write(), wait);
    this.timer.unref();
  }

  /** Writes now if anything is pending, and waits for it (used at shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    if (this.writing) await this.writing;
    if (this.pending) await this.write();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private write(): Promise<void> {
    if (this.writing) return this.writing;
    this.pending = false;
    let failed = false;
    const run = writeSnapshot(this.index, this.dir)
      .then((stats) => {
        this.last = { ...stats, writtenAt: new Date().toISOString() };
        this.logger.info({ ...stats }, `wrote snapshot ${stats.path}: ${stats.articles} articles, ${stats.paragraphs} paragraphs, ${stats.bytes} bytes in ${stats.ms} ms`);
      })
      .catch((error: unknown) => {
        this.pending = true;
        failed = true; // try again, but not in a tight loop: after the longest delay
        this.logger.error({ err: error, dir: this.dir }, `writing the snapshot failed: ${error instanceof Error ? error.message : error}`);
      })
      .finally(() => {
        this.writing = undefined;
        if (this.pending && !this.stopped) this.changed(failed ? this.maxDelayMs : this.delayMs);
      });
    this.writing = run;
    return run;
  }
}
