import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderWatcher } from '../../src/articles/folder-watcher.js';
import { isArticleFileName } from '../../src/articles/folder.js';

/** A watcher whose reports are collected; `saw` and `sweep` are driven by hand with explicit times. */
function watcherOf(dir: string, stableMs = 100) {
  const reported: string[][] = [];
  let unknown = 0;
  const watcher = new FolderWatcher(dir, {
    accept: isArticleFileName,
    stableMs,
    onNames: (names) => void reported.push(names),
    onUnknown: () => void unknown++,
    onError: (error) => {
      throw error;
    },
  });
  return { watcher, reported, unknown: () => unknown };
}

describe('folder-watcher', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nieuwszoeker-watcher-'));
    dir = join(root, 'articles');
    mkdirSync(dir);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('saw and sweep', () => {
    it('reports a name once it has been quiet for stableMs, and only once', () => {
      const { watcher, reported } = watcherOf(dir);
      watcher.saw('navo.txt', 1000);
      watcher.saw('navo.txt', 1050);
      watcher.sweep(1100);
      expect(reported).toEqual([]);
      watcher.sweep(1150);
      expect(reported).toEqual([['navo.txt']]);
      watcher.sweep(2000);
      expect(reported).toEqual([['navo.txt']]);
      watcher.close();
    });

    it('reports many names in one call, in the order of their last events, and keeps the unquiet ones', () => {
      const { watcher, reported } = watcherOf(dir);
      watcher.saw('a.txt', 1000);
      watcher.saw('b.txt', 1010);
      watcher.saw('c.txt', 1020);
      watcher.saw('a.txt', 1030);
      watcher.saw('d.txt', 1200);
      watcher.sweep(1130);
      expect(reported).toEqual([['b.txt', 'c.txt', 'a.txt']]);
      expect(watcher.pending).toBe(1);
      watcher.close();
    });

    it('drops names that are not article file names', () => {
      const { watcher, reported } = watcherOf(dir);
      for (const name of ['.navo.txt', 'navo.txt~', '#navo.txt#', '.navo.txt.swp', '4913', 'notities.md']) watcher.saw(name, 1000);
      watcher.saw(Buffer.from('echt.txt'), 1000);
      watcher.sweep(5000);
      expect(reported).toEqual([['echt.txt']]);
      watcher.close();
    });

    it('asks for a whole comparison when the system does not name the entry', () => {
      const { watcher, reported, unknown } = watcherOf(dir);
      watcher.saw(null, 1000);
      expect(unknown()).toBe(1);
      expect(reported).toEqual([]);
    });
  });

  describe('start', () => {
    it('reports every one of a burst of files renamed in while the event loop is busy', async () => {
      const { watcher, reported } = watcherOf(dir, 50);
      const staging = join(root, 'staging');
      mkdirSync(staging);
      const n = 500;
      for (let i = 0; i < n; i++) writeFileSync(join(staging, `nieuw-${i}.txt`), `title: Nieuw ${i}\n\nTekst.\n`);
      watcher.start();
      for (let i = 0; i < n; i++) {
        renameSync(join(staging, `nieuw-${i}.txt`), join(dir, `nieuw-${i}.txt`));
        // Other work holds the loop now and then, as indexing and searching do in the service.
        if (i % 50 === 0) {
          const until = performance.now() + 20;
          while (performance.now() < until);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const deadline = Date.now() + 10_000;
      while (reported.flat().length < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      watcher.close();
      expect(new Set(reported.flat()).size).toBe(n);
    });
  });
});
