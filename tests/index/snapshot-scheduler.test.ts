import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { SNAPSHOT_FILE } from '../../src/index/snapshot.js';
import { SnapshotScheduler } from '../../src/index/snapshot-scheduler.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { fixtureArticles } from '../helpers/corpus.js';
import { versionOf } from '../helpers/ud.js';

// The writer's first step is `mkdir` of the snapshot folder: wrapped (it still creates the folder) so a test
// sees the moment a write starts, in the fake clock's time, and can hold a write there.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, mkdir: vi.fn(actual.mkdir) };
});
const { mkdir: realMkdir } = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');

function fixtureIndex(): SearchIndex {
  const index = new SearchIndex(createAnalyzer());
  for (const a of fixtureArticles()) index.upsert(a, versionOf(a));
  return index;
}

/** A logger that keeps the fields of every "wrote snapshot" line, and every error line (with the fake clock's time). */
function snapshotLog(): {
  logger: Logger;
  written: Array<Record<string, unknown>>;
  errors: Array<{ fields: Record<string, unknown>; msg: string; at: number }>;
} {
  const written: Array<Record<string, unknown>> = [];
  const errors: Array<{ fields: Record<string, unknown>; msg: string; at: number }> = [];
  const logger: Logger = {
    ...silentLogger,
    info: (obj: object, msg?: string) => void (msg?.startsWith('wrote snapshot') && written.push(obj as Record<string, unknown>)),
    error: (obj: object, msg?: string) => void errors.push({ fields: obj as Record<string, unknown>, msg: msg ?? '', at: Date.now() }),
  };
  return { logger, written, errors };
}

/** Keeps the thread busy, as a long synchronous step of the writer would. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/**
 * Fakes the scheduler's clock (its timers and `Date`); the fake clock also runs on with real time, so the
 * writer's real file I/O and its 10 ms event-loop samples complete without the test driving them.
 */
function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
}

/** Moves the fake clock on by `ms`, firing the timers due meanwhile. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** Waits (real time, with a deadline) until `condition` holds. */
async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Holds the next write at its first step until `release` is called. */
function holdNextWrite(): { release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  vi.mocked(mkdir).mockImplementationOnce((async (...args: Parameters<typeof realMkdir>) => {
    await gate;
    return realMkdir(...args);
  }) as typeof mkdir);
  return { release };
}

describe('SnapshotScheduler', () => {
  let dir: string;
  let scheduler: SnapshotScheduler | undefined;
  /** Writes started so far (the writer's first step, `mkdir` of the folder). */
  const started = () => vi.mocked(mkdir).mock.calls.filter(([path]) => path === dir).length;
  const schedule = (logger: Logger, delayMs: number, maxDelayMs: number) =>
    (scheduler = new SnapshotScheduler(fixtureIndex(), dir, logger, { delayMs, maxDelayMs }));
  /** A scheduler (1 s quiet time, 5 s at most) whose first write has started and is held until `first.release()`. */
  async function writeHeld() {
    fakeClock();
    const log = snapshotLog();
    schedule(log.logger, 1_000, 5_000);
    const first = holdNextWrite();
    scheduler!.changed();
    await advance(1_100);
    expect(started()).toBe(1);
    return { ...log, first };
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-scheduler-'));
    vi.mocked(mkdir).mockClear();
  });
  afterEach(() => {
    scheduler?.stop();
    scheduler = undefined;
    vi.useRealTimers();
    vi.mocked(mkdir).mockReset();
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('write', () => {
    it('logs the event-loop delay during the write, in ms rounded to 0.1', async () => {
      const { logger, written } = snapshotLog();
      const scheduler = new SnapshotScheduler(fixtureIndex(), dir, logger, { delayMs: 60_000 });
      scheduler.changed();
      await scheduler.flush();
      expect(written).toHaveLength(1);
      const { eventLoopMaxMs, eventLoopP99Ms } = written[0]!;
      for (const value of [eventLoopMaxMs, eventLoopP99Ms]) {
        expect(typeof value).toBe('number');
        expect(value).toBeGreaterThanOrEqual(0);
        expect(Math.round((value as number) * 10) / 10).toBe(value);
      }
      // The histogram samples every 10 ms and always has at least one sample of the write.
      expect(eventLoopMaxMs).toBeGreaterThanOrEqual(eventLoopP99Ms as number);
      expect(eventLoopMaxMs).toBeGreaterThanOrEqual(9);
    });

    it('reports a stall in the first step of the write as the longest delay', async () => {
      const index = fixtureIndex();
      const articles = index.allArticles.bind(index);
      // The writer's first step walks the articles: stall there, before it ever yields.
      vi.spyOn(index, 'allArticles').mockImplementation(() => {
        block(150);
        return articles();
      });
      const { logger, written } = snapshotLog();
      const scheduler = new SnapshotScheduler(index, dir, logger, { delayMs: 60_000 });
      scheduler.changed();
      await scheduler.flush();
      expect(index.allArticles).toHaveBeenCalledOnce();
      expect(written).toHaveLength(1);
      expect(written[0]!.eventLoopMaxMs).toBeGreaterThanOrEqual(150);
      expect(written[0]!.eventLoopMaxMs).toBeLessThan(60_000);
    });

    it('logs a failed write and tries again later, not at once, until it succeeds', async () => {
      fakeClock();
      const { logger, written, errors } = snapshotLog();
      schedule(logger, 1_000, 10_000);
      // A regular file where the folder should be: no one, root included, can write the snapshot into it.
      rmSync(dir, { recursive: true });
      writeFileSync(dir, 'geen map');
      scheduler!.changed();
      await advance(1_100);
      await until(() => errors.length === 1, 'the failure to be logged');
      const failedAt = errors[0]!.at;
      expect(errors[0]!.msg).toMatch(/^writing the snapshot failed: /);
      expect(errors[0]!.fields).toMatchObject({ dir });
      expect(errors[0]!.fields.err).toBeInstanceOf(Error);
      expect(written).toHaveLength(0);
      expect(scheduler!.last).toBeNull();

      // Not retried in a tight loop: nothing for the next 8 s (maxDelayMs less delayMs, less a second of margin).
      await advance(failedAt + 8_000 - Date.now());
      expect(started()).toBe(1);
      expect(errors).toHaveLength(1);

      // The cause goes away; by maxDelayMs after the failure the retry has written the snapshot.
      rmSync(dir);
      await advance(failedAt + 11_000 - Date.now());
      expect(started()).toBe(2);
      await until(() => written.length === 1, 'the retry to be written');
      expect(errors).toHaveLength(1);
      expect(scheduler!.last).toMatchObject({ path: join(dir, SNAPSHOT_FILE), articles: fixtureArticles().length });
      expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(true);

      // Written: nothing is pending any more.
      await advance(100_000);
      expect(started()).toBe(2);
    });

    // A folder that stays unwritable must not be retried in a tight loop (each attempt logs an error).
    it('waits about maxDelayMs between attempts while the write keeps failing', async () => {
      fakeClock();
      const { logger, errors } = snapshotLog();
      schedule(logger, 1_000, 5_000);
      rmSync(dir, { recursive: true });
      writeFileSync(dir, 'geen map');
      scheduler!.changed();
      for (let t = 0; t < 15_000; t += 250) {
        await advance(250);
        await until(() => errors.length === started(), 'the attempt to fail'); // its real I/O is done
      }
      // Attempts at 1 s, then about every 5 s: at most 4 in 15 s.
      expect(started()).toBeGreaterThanOrEqual(2);
      expect(started()).toBeLessThanOrEqual(4);
    });
  });

  describe('changed', () => {
    it('writes once, delayMs after the last of several close changes, and not before', async () => {
      fakeClock();
      const { logger, written } = snapshotLog();
      schedule(logger, 10_000, 120_000);
      scheduler!.changed();
      await advance(6_000);
      scheduler!.changed();
      await advance(6_000);
      scheduler!.changed(); // 12 s after the first: a write 10 s after the first would have started
      await advance(9_000);
      expect(started()).toBe(0);
      await advance(2_000);
      expect(started()).toBe(1);
      await until(() => written.length === 1, 'the snapshot to be written');
      expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(true);
      await advance(200_000);
      expect(started()).toBe(1);
      expect(written).toHaveLength(1);
    });

    it('writes no later than maxDelayMs after the first change while changes keep coming', async () => {
      fakeClock();
      const { logger, written } = snapshotLog();
      schedule(logger, 10_000, 60_000);
      scheduler!.changed();
      // A change every 5 s: the quiet time of 10 s never comes.
      for (let t = 5_000; t <= 55_000; t += 5_000) {
        await advance(5_000);
        scheduler!.changed();
        expect(started()).toBe(0);
      }
      await advance(4_000); // 59 s
      scheduler!.changed();
      expect(started()).toBe(0);
      await advance(2_000); // 61 s
      expect(started()).toBe(1);
      await until(() => written.length === 1, 'the snapshot to be written');
    });

    it('starts no write while one runs, and writes once more after it for the changes that came meanwhile', async () => {
      const { written, first } = await writeHeld();
      // Changes during the write, for far longer than maxDelayMs: still no second, concurrent write.
      for (let i = 0; i < 10; i++) {
        scheduler!.changed();
        await advance(2_000);
      }
      expect(started()).toBe(1);
      expect(written).toHaveLength(0);

      first.release();
      await until(() => written.length === 2, 'the first write and the one after it');
      expect(started()).toBe(2);
      await advance(100_000);
      expect(started()).toBe(2);
      expect(written).toHaveLength(2);
    });

    it('writes the snapshot of the index as it is when the write starts', async () => {
      fakeClock();
      const { logger, written } = snapshotLog();
      const index = new SearchIndex(createAnalyzer());
      scheduler = new SnapshotScheduler(index, dir, logger, { delayMs: 1_000, maxDelayMs: 5_000 });
      const [a, b] = fixtureArticles();
      index.upsert(a!, versionOf(a!));
      scheduler.changed();
      index.upsert(b!, versionOf(b!));
      scheduler.changed();
      await advance(1_100);
      await until(() => written.length === 1, 'the snapshot to be written');
      expect(written[0]).toMatchObject({ articles: 2, paragraphs: a!.paragraphs.length + b!.paragraphs.length });
      expect(scheduler.last).toMatchObject({ articles: 2 });
    });
  });

  describe('flush', () => {
    it('writes the pending changes at once and resolves once they are written', async () => {
      fakeClock();
      const { logger, written } = snapshotLog();
      schedule(logger, 60_000, 120_000);
      const changedAt = Date.now();
      scheduler!.changed();
      await scheduler!.flush();
      expect(written).toHaveLength(1);
      expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(true);
      // Written well before the 60 s the change would otherwise have waited.
      expect(Date.parse(scheduler!.last!.writtenAt) - changedAt).toBeLessThan(10_000);
      // The delayed write it replaced does not come as well.
      await advance(200_000);
      expect(started()).toBe(1);
    });

    it('writes nothing when nothing is pending', async () => {
      const { logger, written } = snapshotLog();
      schedule(logger, 60_000, 120_000);
      await scheduler!.flush();
      expect(started()).toBe(0);
      expect(written).toHaveLength(0);
      expect(scheduler!.last).toBeNull();
    });

    it('waits for a running write, then writes the changes that came during it', async () => {
      const { written, first } = await writeHeld();
      scheduler!.changed();
      let flushed = false;
      const flushing = scheduler!.flush().then(() => (flushed = true));
      await sleep(20);
      expect(flushed).toBe(false);
      first.release();
      await flushing;
      expect(written).toHaveLength(2);
      expect(started()).toBe(2);
    });

    // The running write reschedules itself when it ends; flush writes those changes itself, so that timer
    // must not write a third, redundant snapshot of an unchanged index.
    it('leaves no further write scheduled after flushing during a write', async () => {
      const { written, first } = await writeHeld();
      scheduler!.changed();
      const flushing = scheduler!.flush();
      first.release();
      await flushing;
      expect(written).toHaveLength(2);
      await advance(10_000);
      await sleep(50);
      expect(started()).toBe(2);
    });
  });

  describe('stop', () => {
    it('cancels the pending write and ignores later changes', async () => {
      fakeClock();
      const { logger, written } = snapshotLog();
      schedule(logger, 1_000, 5_000);
      scheduler!.changed();
      await advance(500);
      scheduler!.stop();
      await advance(100_000);
      scheduler!.changed();
      await advance(100_000);
      expect(started()).toBe(0);
      expect(written).toHaveLength(0);
      expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(false);
    });

    it('lets a running write finish but starts none after it', async () => {
      const { written, first } = await writeHeld();
      scheduler!.changed(); // would be written after the running write
      scheduler!.stop();
      first.release();
      await until(() => written.length === 1, 'the running write to finish');
      await advance(100_000);
      expect(started()).toBe(1);
      expect(written).toHaveLength(1);
    });
  });
});
