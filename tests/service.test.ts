import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE } from '../src/index/snapshot.js';
import { silentLogger } from '../src/logger.js';
import { SearchService } from '../src/service.js';
import { FIXTURES_DIR, SEED_ID } from './helpers/corpus.js';
import { REPO_ROOT } from './helpers/shared.js';

const ids = (service: SearchService, q: string) => service.searcher.search(q, { limit: 100, offset: 0 }).hits.map((h) => h.id).sort();

/** Polls until `check` passes (live changes arrive asynchronously). */
async function eventually(check: () => void, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('service', () => {
  let articlesDir: string;
  let indexDir: string;
  const running: SearchService[] = [];
  const start = async (watch = true) => {
    const service = new SearchService({ store: { kind: 'folder', articlesDir, stableMs: 50 }, indexDir, stemmer: 'dutch', watch, snapshotDelayMs: 50 }, silentLogger);
    running.push(service);
    return { service, report: await service.start() };
  };
  beforeEach(() => {
    articlesDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-articles-'));
    indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-index-'));
    cpSync(join(REPO_ROOT, 'data', 'articles', `${SEED_ID}.txt`), join(articlesDir, `${SEED_ID}.txt`));
    cpSync(FIXTURES_DIR, articlesDir, { recursive: true });
  });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    rmSync(articlesDir, { recursive: true, force: true });
    rmSync(indexDir, { recursive: true, force: true });
  });

  describe('start', () => {
    it('indexes every article without a snapshot, writes one, and loads it next time', async () => {
      const first = await start(false);
      expect(first.report).toMatchObject({ snapshot: 'missing', scan: { files: 4, upserts: 4, unchanged: 0 } });
      expect(first.service.status()).toMatchObject({ ready: true, articles: 4, paragraphs: 26 });
      const before = ids(first.service, 'NAVO');
      await first.service.stop();
      readFileSync(join(indexDir, SNAPSHOT_FILE)); // written on stop at the latest

      const second = await start(false);
      expect(second.report).toMatchObject({ snapshot: 'loaded', scan: { files: 4, upserts: 0, unchanged: 4, removals: 0 } });
      expect(ids(second.service, 'NAVO')).toEqual(before);
    });

    it('reconciles the snapshot with edits made while it was down: only those articles are read', async () => {
      const first = await start(false);
      await first.service.stop();

      writeFileSync(join(articlesDir, 'nieuw.txt'), 'title: Nieuw\n\nWitkoff sprak met Rutte.\n');
      writeFileSync(join(articlesDir, 'navo-top-2025.txt'), 'title: NAVO-top\n\nDe top ging niet door.\n');
      unlinkSync(join(articlesDir, 'markup-in-text.txt'));

      const second = await start(false);
      expect(second.report).toMatchObject({ snapshot: 'loaded', scan: { files: 4, upserts: 2, removals: 1, unchanged: 2 } });
      expect(ids(second.service, 'Rutte')).toEqual(['nieuw#1']);
      expect(ids(second.service, 'top')).toEqual(['navo-top-2025#1']);
      expect(ids(second.service, 'NAVO')).toEqual([`${SEED_ID}#16`, `${SEED_ID}#18`]);
    });

    it('writes no snapshot of a half-built index while starting, and one when ready', async () => {
      for (let i = 0; i < 400; i++) writeFileSync(join(articlesDir, `extra-${i}.txt`), `title: Extra ${i}\n\nAlinea ${i} over de NAVO.\n`);
      const written: string[] = [];
      const logger = { ...silentLogger, info: (_obj: object, msg?: string) => void (msg?.startsWith('wrote snapshot') && written.push(msg)) };
      const service = new SearchService({ store: { kind: 'folder', articlesDir }, indexDir, stemmer: 'dutch', watch: false, snapshotDelayMs: 0 }, logger);
      running.push(service);
      await service.start(); // two scan batches of 256 files, each applied before ready
      expect(written).toEqual([]);
      await service.snapshots.flush();
      expect(written).toHaveLength(1);
      expect(written[0]).toContain('404 articles');
    });

    it('rebuilds from the articles when the snapshot is corrupt', async () => {
      const first = await start(false);
      const before = ids(first.service, 'gesprekken');
      await first.service.stop();
      const path = join(indexDir, SNAPSHOT_FILE);
      writeFileSync(path, readFileSync(path).subarray(0, 5000));

      const second = await start(false);
      expect(second.report).toMatchObject({ snapshot: 'corrupt', scan: { upserts: 4 } });
      expect(ids(second.service, 'gesprekken')).toEqual(before);
    });
  });

  describe('live changes', () => {
    it('makes a dropped, edited and deleted file searchable (or gone) while running', async () => {
      const { service } = await start(true);
      writeFileSync(join(articlesDir, 'live.txt'), 'title: Live\n\nDe Kremlin-woordvoerder sprak over Witkoff.\n');
      await eventually(() => expect(ids(service, 'Witkoff')).toEqual([`${SEED_ID}#6`, 'live#1'].sort()));
      writeFileSync(join(articlesDir, 'live.txt'), 'title: Live\n\nNu over de NAVO.\n');
      await eventually(() => expect(ids(service, 'Witkoff')).toEqual([`${SEED_ID}#6`]));
      expect(ids(service, 'NAVO')).toContain('live#1');
      unlinkSync(join(articlesDir, 'live.txt'));
      await eventually(() => expect(ids(service, 'NAVO')).not.toContain('live#1'));
      expect(service.status().lastChangeAt).not.toBeNull();
    });

    it('persists live changes to the snapshot: written once after a burst, and loaded at the next start', async () => {
      const written: string[] = [];
      const logger = { ...silentLogger, info: (_obj: object, msg?: string) => void (msg?.startsWith('wrote snapshot') && written.push(msg)) };
      const service = new SearchService({ store: { kind: 'folder', articlesDir, stableMs: 50 }, indexDir, stemmer: 'dutch', watch: true, snapshotDelayMs: 200 }, logger);
      running.push(service);
      await service.start();
      await eventually(() => expect(written).toHaveLength(1)); // the first snapshot, after start-up
      // A burst of changes closer together than the quiet time: one snapshot after it, not one each.
      for (let i = 0; i < 5; i++) await service.store.put(`via-api-${i}`, { title: 'Via de API', text: `Alinea ${i} over Istanbul en Oekraïne.` });
      await eventually(() => expect(written).toHaveLength(2));
      await new Promise((r) => setTimeout(r, 500));
      expect(written).toHaveLength(2);
      expect(written[1]).toContain('9 articles');
      await service.stop();
      const again = await start(false);
      expect(again.report).toMatchObject({ snapshot: 'loaded', scan: { upserts: 0 } });
      expect(ids(again.service, 'Istanbul')).toEqual(expect.arrayContaining(['via-api-0#1', 'via-api-4#1']));
    });
  });

  describe('links to files outside ARTICLES_DIR', () => {
    let outside: string;
    beforeEach(() => {
      outside = join(indexDir, 'elders.txt'); // any file outside ARTICLES_DIR
      writeFileSync(outside, 'title: Geheim\n\nroot:x:0:0:root:/root:/usr/sbin/nologin\n');
    });

    it('never indexes or serves one dropped in while running, and drops the article a link replaces', async () => {
      const { service } = await start(true);
      symlinkSync(outside, join(articlesDir, 'passwd-link.txt'));
      symlinkSync(join('..', indexDir.split('/').pop()!, 'elders.txt'), join(articlesDir, 'relatief.txt'));
      symlinkSync(join(articlesDir, 'bestaat-niet'), join(articlesDir, 'los.txt'));
      // Swapped in for an indexed article.
      symlinkSync(outside, join(articlesDir, 'tijdelijk'));
      renameSync(join(articlesDir, 'tijdelijk'), join(articlesDir, 'navo-top-2025.txt'));
      await eventually(() => expect(service.index.hasArticle('navo-top-2025')).toBe(false));
      await new Promise((r) => setTimeout(r, 300)); // let the watcher report the other links too
      expect(ids(service, 'nologin')).toEqual([]);
      for (const id of ['passwd-link', 'relatief', 'los', 'navo-top-2025']) expect(service.index.getArticle(id), id).toBeUndefined();
    });

    it('drops at start-up an article whose file became a link while the service was down (the snapshot still had it)', async () => {
      const first = await start(false);
      expect(first.service.index.hasArticle('navo-top-2025')).toBe(true);
      await first.service.stop();
      unlinkSync(join(articlesDir, 'navo-top-2025.txt'));
      symlinkSync(outside, join(articlesDir, 'navo-top-2025.txt'));
      symlinkSync(outside, join(articlesDir, 'passwd-link.txt'));

      const second = await start(false);
      expect(second.report).toMatchObject({ snapshot: 'loaded', scan: { skipped: 2, removals: 1 } });
      expect(second.service.index.hasArticle('navo-top-2025')).toBe(false);
      expect(second.service.index.hasArticle('passwd-link')).toBe(false);
      expect(ids(second.service, 'nologin')).toEqual([]);
    });
  });

  describe('a writer killed in the middle of a write', () => {
    it('leaves a temporary file that the next start removes, with the articles intact', async () => {
      const leftover = `.${SEED_ID}.txt.4194399.00ff00ff.tmp`;
      writeFileSync(join(articlesDir, leftover), 'title: Half\n\nHalf geschre');
      const { service, report } = await start(false);
      expect(existsSync(join(articlesDir, leftover))).toBe(false);
      expect(readdirSync(articlesDir).filter((f) => f.startsWith('.'))).toEqual([]);
      expect(report.scan).toMatchObject({ files: 4, upserts: 4, skipped: 0 });
      expect(service.index.articleCount).toBe(4);
      expect(service.index.getArticle(SEED_ID)!.paragraphs).toHaveLength(19);
    });
  });

  describe('rebuild', () => {
    it('rebuilds in the background, keeps answering, takes in changes made meanwhile, and swaps at once', async () => {
      const { service } = await start(true);
      const before = ids(service, 'NAVO');
      const run = service.indexer.rebuild(service.store);
      expect(service.indexer.rebuild(service.store)).toBe(run); // one at a time
      expect(ids(service, 'NAVO')).toEqual(before); // still answering from the current index
      await service.store.put('tijdens', { title: 'Tijdens', text: 'De NAVO tijdens de rebuild.' });
      await eventually(() => expect(service.indexer.rebuildStatus.running).toBe(false));
      const last = service.indexer.rebuildStatus.last!;
      expect(last).toMatchObject({ ok: true, error: null });
      expect(last.progress.done).toBe(last.progress.total);
      expect(last.progress.total).toBeGreaterThanOrEqual(4);
      // The change made meanwhile is in, whether it came before the swap (replayed) or after it (applied).
      await eventually(() => expect(ids(service, 'NAVO')).toEqual([...before, 'tijdens#1'].sort()));
      expect(service.index.articleCount).toBe(5);
    });
  });
});
