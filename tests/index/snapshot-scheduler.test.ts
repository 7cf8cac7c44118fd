import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { SnapshotScheduler } from '../../src/index/snapshot-scheduler.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { fixtureArticles } from '../helpers/corpus.js';
import { versionOf } from '../helpers/ud.js';

function fixtureIndex(): SearchIndex {
  const index = new SearchIndex(createAnalyzer());
  for (const a of fixtureArticles()) index.upsert(a, versionOf(a));
  return index;
}

/** A logger that keeps the fields of every "wrote snapshot" line. */
function snapshotLog(): { logger: Logger; written: Array<Record<string, unknown>> } {
  const written: Array<Record<string, unknown>> = [];
  const logger: Logger = {
    ...silentLogger,
    info: (obj: object, msg?: string) => void (msg?.startsWith('wrote snapshot') && written.push(obj as Record<string, unknown>)),
  };
  return { logger, written };
}

/** Keeps the thread busy, as a long synchronous step of the writer would. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('SnapshotScheduler', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-scheduler-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

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
  });
});
