/**
 * Keeps the snapshot fresh without getting in the way: after changes it waits for a quiet moment
 * (debounce), but never longer than a maximum, writes one snapshot at a time off the request path, and
 * writes again if more changes arrived meanwhile.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import type { SearchIndex } from './search-index.js';
import { writeSnapshot, type SnapshotWriteStats } from './snapshot.js';

/** Sampling interval of the event-loop delay measured during a write (ms). */
const LOOP_DELAY_RESOLUTION_MS = 10;

export interface SnapshotSchedulerOptions {
  /** Quiet time after the last change before writing. */
  delayMs?: number;
  /** Longest a change waits to be persisted while changes keep coming. */
  maxDelayMs?: number;
  /** The identity of the store the index follows, stamped in the snapshot with the index's log position. */
  store?: () => string;
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
  private readonly store: (() => string) | undefined;

  constructor(
    private readonly index: SearchIndex,
    private readonly dir: string,
    private readonly logger: Logger,
    options: SnapshotSchedulerOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 5_000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.store = options.store;
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
    // The write just awaited rescheduled itself for what came in meanwhile: that is written now instead.
    clearTimeout(this.timer);
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
    const run = withLoopDelay(() => writeSnapshot(this.index, this.dir, this.store ? { store: this.store() } : {}))
      .then(({ result: stats, loop }) => {
        this.last = { ...stats, writtenAt: new Date().toISOString() };
        this.logger.info(
          { ...stats, ...loop },
          `wrote snapshot ${stats.path}: ${stats.articles} articles, ${stats.paragraphs} paragraphs, ${stats.bytes} bytes in ${stats.ms} ms ` +
            `(event loop delay max ${loop.eventLoopMaxMs} ms, p99 ${loop.eventLoopP99Ms} ms)`,
        );
      })
      .catch((error: unknown) => {
        this.pending = true;
        // Try again, but not in a tight loop: a full maxDelayMs from now (the cap counts from here).
        this.firstPendingAt = Date.now();
        failed = true;
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

/**
 * Runs `work` with the event loop's delay measured (`monitorEventLoopDelay`), so the log says how long
 * requests could have waited behind the writer. The figures are Node's: the time between two firings of a
 * 10 ms timer, so an idle loop reads about 10 ms and a stall of N ms reads N to N + 10 ms.
 */
async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; loop: { eventLoopMaxMs: number; eventLoopP99Ms: number } }> {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  // The histogram's first firing only takes a baseline and its last one must come after the work, so one
  // interval is waited on each side: otherwise a stall in the write's first or last 10 ms goes unseen.
  const interval = () => new Promise((resolve) => setTimeout(resolve, LOOP_DELAY_RESOLUTION_MS + 1));
  histogram.enable();
  try {
    await interval();
    const result = await work();
    await interval();
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    return { result, loop: { eventLoopMaxMs: ms(histogram.max), eventLoopP99Ms: ms(histogram.percentile(99)) } };
  } finally {
    histogram.disable();
  }
}
