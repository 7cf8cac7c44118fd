import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import type { Article } from '../../src/articles/article.js';
import { FolderArticleStore } from '../../src/articles/folder-store.js';
import type { ArticleChange, ArticleVersion, ChangeListener } from '../../src/articles/store.js';
import { APPLY_SLICE_MS, applyChanges, Indexer, type RebuildRun } from '../../src/index/indexer.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { versionOf } from '../helpers/ud.js';

const article = (id: string, paragraphs: string[]): Article => ({
  id,
  title: `Artikel ${id}`,
  date: '2025-06-01',
  source: 'Voorbeeldkrant',
  url: null,
  paragraphs,
});
/** An explicit version (the helper's `versionOf` hashes only the text's length: equal lengths would collide). */
const version = (hash: string, changedAtMs = 1): ArticleVersion => ({ hash, token: `100:${changedAtMs}`, changedAtMs });
const upsert = (a: Article, v: ArticleVersion = versionOf(a)): ArticleChange => ({ type: 'upsert', article: a, version: v });
const remove = (id: string): ArticleChange => ({ type: 'remove', id });
/** A log position as PostgreSQL would report it (the mark: the change's commit time). */
const at = (seq: number) => ({ seq, mark: `${1_700_000_000_000_000 + seq}` });

const analyzer = createAnalyzer();
const emptyIndex = () => new SearchIndex(analyzer);

/**
 * The paragraphs (ids, sorted) that hold the index term of `word` (the index holds stems: `molens` →
 * `molen`), by MiniSearch's own search over the index's postings.
 */
function hits(index: SearchIndex, word: string): string[] {
  const [term] = index.analyzer.indexTerms(word);
  return index.miniSearch
    .search(term!)
    .map((r) => String(r.id))
    .sort();
}

const sortedIds = (index: SearchIndex) => [...index.allArticles()].map((a) => a.id).sort();

/** Makes every article use up a whole time slice, so applyChanges yields to the event loop after each one. */
function everyArticleTakesASlice(): void {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => (now += 10));
}

/** Waits (real time, with a deadline) until `condition` holds. */
async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** The real folder store, whose first scan stops before its `holdAt`-th batch until `release` is called. */
function heldStore(dir: string, holdAt: number, options: { batchSize: number }) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reached!: () => void;
  const held = new Promise<void>((resolve) => (reached = resolve));
  let scans = 0;
  class HeldStore extends FolderArticleStore {
    override changesSince(...[since, known, onBatch, scanOptions]: Parameters<FolderArticleStore['changesSince']>) {
      if (++scans > 1) return super.changesSince(since, known, onBatch, scanOptions);
      let batches = 0;
      const holding: ChangeListener = async (changes) => {
        if (++batches === holdAt) {
          reached();
          await gate;
        }
        await onBatch(changes);
      };
      return super.changesSince(since, known, holding, scanOptions);
    }
  }
  return { store: new HeldStore(dir, silentLogger, options), held, release };
}

describe('indexer', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  describe('Indexer', () => {
    describe('apply', () => {
      it('applies upserts and removals in order and returns what they did', async () => {
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        const amsterdam = article('amsterdam', ['De tulpen bloeien.', 'Toeristen komen kijken.', 'De boeren zijn tevreden.']);
        await indexer.apply([upsert(amsterdam, version('a-1')), upsert(article('brussel', ['In Brussel vergaderen de ministers over stikstof.']))]);

        const amsterdamNew = article('amsterdam', ['De molens van Amsterdam draaien weer.']);
        const summary = await indexer.apply([
          upsert(article('den-haag', ['De wethouder opent de brug.'])), // added
          upsert(amsterdamNew, version('a-2')), // changed: fewer paragraphs
          remove('brussel'), // removed
          remove('bestaat-niet'), // nothing
          upsert(amsterdamNew, version('a-2', 2)), // the same hash again: unchanged, new mtime
          upsert(article('zwolle', ['De schaatsers wachten op ijs.'])), // added …
          remove('zwolle'), // … and removed again
          remove('utrecht'), // nothing yet …
          upsert(article('utrecht', ['De treinen rijden weer.'])), // … then added
        ]);

        expect(summary).toEqual({ added: 3, changed: 1, removed: 2, unchanged: 1 });
        expect(sortedIds(index)).toEqual(['amsterdam', 'den-haag', 'utrecht']);
        expect(index.getArticle('amsterdam')).toEqual(amsterdamNew);
        expect(index.versionOf('amsterdam')).toEqual(version('a-2', 2));
        expect(index.paragraphCount).toBe(3);
        expect(hits(index, 'molens')).toEqual(['amsterdam#1']);
        // Words only in paragraphs that went: no stale paragraph is left behind.
        expect(hits(index, 'tulpen')).toEqual([]);
        expect(hits(index, 'boeren')).toEqual([]);
        expect(index.getParagraph('amsterdam#3')).toBeUndefined();
        expect(hits(index, 'stikstof')).toEqual([]);
        expect(hits(index, 'schaatsers')).toEqual([]);
        expect(hits(index, 'treinen')).toEqual(['utrecht#1']);
      });

      it('only records the new version of an upsert whose hash is the indexed one', async () => {
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        const polder = article('polder', ['De polder staat onder water.', 'De dijkgraaf is bezorgd.']);
        await indexer.apply([upsert(polder, version('p-1', 1))]);
        const tracker = index.trackChanges();

        // Same hash, new mtime (the file was touched): the content is not looked at, nothing is re-indexed.
        const touched = article('polder', ['Heel andere tekst over zeehonden.']);
        const summary = await indexer.apply([upsert(touched, { hash: 'p-1', token: '5:99', changedAtMs: 99 })]);

        expect(summary).toEqual({ added: 0, changed: 0, removed: 0, unchanged: 1 });
        expect(index.versionOf('polder')).toEqual({ hash: 'p-1', token: '5:99', changedAtMs: 99 });
        expect(index.getArticle('polder')).toEqual(polder);
        expect(tracker.ids.size).toBe(0); // the article was not touched
        tracker.stop();
        expect(hits(index, 'zeehonden')).toEqual([]);
        expect(hits(index, 'dijkgraaf')).toEqual(['polder#2']);
      });

      it('applies the batches of calls made back to back in call order: the last write to an article wins', async () => {
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        everyArticleTakesASlice(); // the first batch yields after every article
        const fillers = Array.from({ length: 20 }, (_, i) => upsert(article(`vulling-${i}`, [`Bericht ${i} over de gemeente.`])));
        const done: string[] = [];
        const first = indexer
          .apply([...fillers, upsert(article('sluis', ['De molens draaien.']), version('s-1'))])
          .then((s) => done.push(`eerste ${s.added}`));
        const second = indexer.apply([upsert(article('sluis', ['De sluizen gaan dicht.']), version('s-2'))]).then((s) => done.push(`tweede ${s.changed}`));
        const third = indexer.apply([remove('vulling-0')]).then((s) => done.push(`derde ${s.removed}`));
        await Promise.all([first, second, third]);

        expect(done).toEqual(['eerste 21', 'tweede 1', 'derde 1']);
        expect(index.versionOf('sluis')).toEqual(version('s-2'));
        expect(hits(index, 'sluizen')).toEqual(['sluis#1']);
        expect(hits(index, 'molens')).toEqual([]);
        expect(index.hasArticle('vulling-0')).toBe(false);
        expect(index.articleCount).toBe(20);
      });

      it('rejects a batch that fails and still applies the batches after it', async () => {
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        vi.spyOn(index, 'upsert').mockImplementationOnce(() => {
          throw new Error('schijf kapot');
        });
        const failing = indexer.apply([upsert(article('kapot', ['Dit gaat mis.']))]);
        const next = indexer.apply([upsert(article('heel', ['De brug is weer open.']))]);
        await expect(failing).rejects.toThrow('schijf kapot');
        expect(await next).toEqual({ added: 1, changed: 0, removed: 0, unchanged: 0 });
        expect(hits(index, 'brug')).toEqual(['heel#1']);
      });

      it('announces what a failing batch applied before it failed, so the snapshot follows', async () => {
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        const listener = vi.fn();
        indexer.onChange(listener);
        const upsertArticle = index.upsert.bind(index);
        vi.spyOn(index, 'upsert').mockImplementation((a, v) => {
          if (a.id === 'kapot') throw new Error('schijf kapot');
          upsertArticle(a, v);
        });
        await expect(indexer.apply([upsert(article('eerst', ['De brug is open.'])), upsert(article('kapot', ['Mis.']))])).rejects.toThrow('schijf kapot');
        expect(index.hasArticle('eerst')).toBe(true);
        expect(listener).toHaveBeenCalledOnce();
        expect(indexer.lastChangeAt).not.toBeNull();
      });
    });

    describe('log position', () => {
      it('advances the index to a batch\'s sequence once the whole batch is in, never backwards, and not after a failure', async () => {
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        expect(index.appliedSeq).toBeNull();
        await indexer.apply([upsert(article('een', ['De brug is open.']))], at(5));
        expect(index.logPosition).toEqual(at(5));
        // Delivered again (a replica that re-reads the log): idempotent, and the position stays.
        expect(await indexer.apply([upsert(article('een', ['De brug is open.']))], at(3))).toMatchObject({ unchanged: 1 });
        expect(index.appliedSeq).toBe(5);
        vi.spyOn(index, 'upsert').mockImplementationOnce(() => {
          throw new Error('kapot');
        });
        await expect(indexer.apply([upsert(article('twee', ['Mis.']))], at(9))).rejects.toThrow('kapot');
        expect(index.appliedSeq).toBe(5);
        // After a whole-store compare of a log that went back (a restored database), the position is set outright.
        await indexer.apply([], { ...at(2), reset: true });
        expect(index.logPosition).toEqual(at(2));
      });

      it('waitForSeq resolves true once a batch brings the index to the sequence, false after the timeout', async () => {
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        const waiting = indexer.waitForSeq(7, 5_000);
        const timedOut = indexer.waitForSeq(8, 50);
        await indexer.apply([upsert(article('een', ['De brug is open.']))], at(6));
        await indexer.apply([remove('bestaat-niet')], at(7));
        expect(await waiting).toBe(true);
        expect(await timedOut).toBe(false);
        expect(await indexer.waitForSeq(7, 0)).toBe(true);
      });
    });

    describe('onChange', () => {
      it('calls the listeners after a batch that changed the index, not after one that changed nothing', async () => {
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        const seen: boolean[] = [];
        const listener = vi.fn(() => void seen.push(index.hasArticle('haven')));
        indexer.onChange(listener);
        const other = vi.fn();
        const unsubscribe = indexer.onChange(other);
        unsubscribe();
        expect(indexer.lastChangeAt).toBeNull();

        const before = Date.now();
        const haven = article('haven', ['De haven van Rotterdam groeit.']);
        await indexer.apply([upsert(haven)]);
        expect(listener).toHaveBeenCalledOnce();
        expect(seen).toEqual([true]); // called once the change is searchable
        const changedAt = indexer.lastChangeAt;
        expect(changedAt).toBeInstanceOf(Date);
        expect(changedAt!.getTime()).toBeGreaterThanOrEqual(before);
        expect(changedAt!.getTime()).toBeLessThanOrEqual(Date.now());

        // Only an equal hash and a removal of what is not there: nothing changed.
        await indexer.apply([upsert(haven, { ...versionOf(haven), changedAtMs: 5 }), remove('bestaat-niet')]);
        expect(listener).toHaveBeenCalledOnce();
        expect(indexer.lastChangeAt).toBe(changedAt);

        await indexer.apply([remove('haven')]);
        expect(listener).toHaveBeenCalledTimes(2);
        expect(seen).toEqual([true, false]);
        expect(other).not.toHaveBeenCalled();
      });
    });

    describe('settle', () => {
      it("drops the index's term cache a second after the last batch, not during a burst", async () => {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        // New articles only: a removal drops the cache by itself (SearchIndex.removeArticle).
        const settle = vi.spyOn(index, 'settle');
        const dijk = article('dijk', ['De dijk wordt verhoogd.']);
        await indexer.apply([upsert(dijk)]);
        await vi.advanceTimersByTimeAsync(900);
        expect(settle).not.toHaveBeenCalled();
        await indexer.apply([upsert(article('polder', ['De polder loopt onder.']))]);
        await vi.advanceTimersByTimeAsync(900); // 1.8 s after the first batch, 0.9 s after the last
        expect(settle).not.toHaveBeenCalled();
        await vi.advanceTimersByTimeAsync(200);
        expect(settle).toHaveBeenCalledOnce();
        await vi.advanceTimersByTimeAsync(10_000);
        expect(settle).toHaveBeenCalledOnce();

        // A batch that changes nothing keeps nothing warm, so it schedules nothing either.
        await indexer.apply([upsert(dijk)]);
        await vi.advanceTimersByTimeAsync(5_000);
        expect(settle).toHaveBeenCalledOnce();
      });
    });

    describe('rebuild', () => {
      let dir: string;
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-indexer-'));
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));

      const file = (id: string, title: string, ...paragraphs: string[]) =>
        writeFileSync(join(dir, `${id}.txt`), `title: ${title}\n\n${paragraphs.join('\n\n')}\n`);
      const finished = (run: RebuildRun) => until(() => run.finishedAt !== null, 'the rebuild to finish');

      it('builds a fresh index from the store while the old one answers, replays the changes made meanwhile, and swaps it in', async () => {
        // The live index is out of date: an old Amsterdam, and an article whose file is gone.
        const index = emptyIndex();
        const indexer = new Indexer(index, silentLogger);
        await indexer.apply([
          upsert(article('amsterdam-1', ['Oude tekst over de tulpen in Amsterdam.']), version('oud-a')),
          upsert(article('brussel-2', ['In Brussel vergaderen de ministers over stikstof.'])),
          upsert(article('weg-0', ['Dit artikel over de veerpont bestaat niet meer.'])),
        ]);
        const listener = vi.fn();
        indexer.onChange(listener);

        file('amsterdam-1', 'Amsterdam', 'De molens van Amsterdam draaien weer.', 'Toeristen fotograferen de grachten.');
        file('brussel-2', 'Brussel', 'In Brussel vergaderen de ministers over stikstof.');
        file('den-haag-3', 'Den Haag', 'De wethouder opent de nieuwe brug.');
        file('utrecht-4', 'Utrecht', 'De treinen rijden weer naar Utrecht.');
        file('zwolle-5', 'Zwolle', 'In Zwolle kijken de schaatsers naar de ijsbaan.');
        // Batches of two: [amsterdam, brussel], [den-haag, utrecht], [zwolle]; held before the second.
        const { store, held, release } = heldStore(dir, 2, { batchSize: 2 });

        const run = indexer.rebuild(store);
        expect(run).toMatchObject({ finishedAt: null, ok: null, articles: null, paragraphs: null, ms: null, error: null });
        expect(Date.parse(run.startedAt)).not.toBeNaN();
        await held;

        // Half-way: progress is reported, and searches are answered from the old index.
        expect(indexer.rebuildStatus).toEqual({ running: true, current: run, last: null });
        expect(run.progress).toEqual({ done: 2, total: 5 });
        expect(hits(index, 'veerpont')).toEqual(['weg-0#1']);
        expect(hits(index, 'tulpen')).toEqual(['amsterdam-1#1']);
        expect(hits(index, 'molens')).toEqual([]);
        expect(indexer.rebuild(store)).toBe(run);

        // Changes arrive meanwhile: to articles already scanned (Amsterdam, Brussel) and to one not yet (Zwolle).
        unlinkSync(join(dir, 'brussel-2.txt'));
        const amsterdamLive = article('amsterdam-1', ['De sluizen van Amsterdam gaan dicht.']);
        const zwolleLive = article('zwolle-5', ['In Zwolle zwemmen geen zeehonden.']);
        await indexer.apply([
          remove('brussel-2'),
          upsert(amsterdamLive, version('live-a')),
          upsert(article('live-6', ['De dijkgraaf waarschuwt voor hoog water.'])),
          upsert(zwolleLive, version('live-z')),
        ]);
        expect(listener).toHaveBeenCalledOnce();
        expect(hits(index, 'sluizen')).toEqual(['amsterdam-1#1']);

        release();
        await finished(run);

        expect(run.ok).toBe(true);
        expect(run.error).toBeNull();
        expect(run.progress).toEqual({ done: 5, total: 5 });
        expect(indexer.rebuildStatus).toEqual({ running: false, current: null, last: run });
        expect(indexer.index).toBe(index); // swapped in place: every reference stays valid
        expect(sortedIds(index)).toEqual(['amsterdam-1', 'den-haag-3', 'live-6', 'utrecht-4', 'zwolle-5']);
        expect(run.articles).toBe(5);
        expect(run.paragraphs).toBe(5);
        expect(index.paragraphCount).toBe(5);
        expect(run.ms).toBeGreaterThanOrEqual(0);
        expect(Date.parse(run.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));

        // From the store: what the live index lacked, with the store's versions (SHA-256 of the file).
        expect(hits(index, 'treinen')).toEqual(['utrecht-4#1']);
        expect(hits(index, 'wethouder')).toEqual(['den-haag-3#1']);
        expect(index.versionOf('den-haag-3')?.hash).toMatch(/^[0-9a-f]{64}$/);
        // What only the old index had is gone.
        expect(hits(index, 'veerpont')).toEqual([]);
        // The changes made meanwhile win over what the scan read, before or after them.
        expect(index.getArticle('amsterdam-1')).toEqual(amsterdamLive);
        expect(index.versionOf('amsterdam-1')).toEqual(version('live-a'));
        expect(hits(index, 'molens')).toEqual([]);
        expect(hits(index, 'grachten')).toEqual([]);
        expect(index.getArticle('zwolle-5')).toEqual(zwolleLive);
        expect(hits(index, 'schaatsers')).toEqual([]);
        expect(index.hasArticle('brussel-2')).toBe(false);
        expect(hits(index, 'stikstof')).toEqual([]);
        expect(hits(index, 'dijkgraaf')).toEqual(['live-6#1']);

        expect(listener).toHaveBeenCalledTimes(2); // the live batch, then the swap
      });

      it('returns the running rebuild to a second call, and starts a new one once it finished', async () => {
        file('dijk-1', 'Dijk', 'De dijk wordt verhoogd.');
        file('polder-2', 'Polder', 'De polder loopt onder.');
        const indexer = new Indexer(emptyIndex(), silentLogger);
        const { store, held, release } = heldStore(dir, 1, { batchSize: 1 });
        const first = indexer.rebuild(store);
        await held;
        expect(indexer.rebuild(store)).toBe(first);
        expect(indexer.rebuild(new FolderArticleStore(dir, silentLogger))).toBe(first);
        release();
        await finished(first);

        const second = indexer.rebuild(store);
        expect(second).not.toBe(first);
        expect(indexer.rebuildStatus).toEqual({ running: true, current: second, last: first });
        await finished(second);
        expect(second.ok).toBe(true);
        expect(indexer.rebuildStatus).toEqual({ running: false, current: null, last: second });
        expect(sortedIds(indexer.index)).toEqual(['dijk-1', 'polder-2']);
      });

      it('reports a failed rebuild and keeps the live index', async () => {
        const index = emptyIndex();
        const errors: string[] = [];
        const logger: Logger = { ...silentLogger, error: (_obj, msg) => void errors.push(msg ?? '') };
        const indexer = new Indexer(index, logger);
        await indexer.apply([upsert(article('haven', ['De haven van Rotterdam groeit.']))]);
        const listener = vi.fn();
        indexer.onChange(listener);

        const run = indexer.rebuild(new FolderArticleStore(join(dir, 'bestaat-niet'), silentLogger));
        await finished(run);

        expect(run.ok).toBe(false);
        expect(run.error).toMatch(/ENOENT/);
        expect(errors).toEqual([`rebuild failed: ${run.error}`]);
        expect(indexer.rebuildStatus).toEqual({ running: false, current: null, last: run });
        expect(sortedIds(index)).toEqual(['haven']);
        expect(hits(index, 'haven')).toEqual(['haven#1']);
        expect(listener).not.toHaveBeenCalled();
      });
    });
  });

  describe('applyChanges', () => {
    it('applies a burst in slices of APPLY_SLICE_MS of work, yielding to the event loop between them', async () => {
      const index = emptyIndex();
      const burst = Array.from({ length: 40 }, (_, i) => upsert(article(`golf-${i}`, [`Bericht ${i} over de dijken.`])));
      // Each article takes a millisecond of the clock (one reading per article, one at the start).
      let now = 0;
      vi.spyOn(performance, 'now').mockImplementation(() => now++);
      let done = false;
      const applying = applyChanges(index, burst).finally(() => (done = true));
      const between: number[] = [];
      while (!done) {
        between.push(index.articleCount);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      expect(await applying).toEqual({ added: 40, changed: 0, removed: 0, unchanged: 0 });
      // The loop ran between slices: every APPLY_SLICE_MS articles, it saw the index with one slice more.
      const slices = [...new Set(between)].filter((n) => n > 0 && n < 40);
      expect(slices.length).toBeGreaterThanOrEqual(40 / APPLY_SLICE_MS - 2);
      for (let k = 1; k < slices.length; k++) expect(slices[k]! - slices[k - 1]!).toBeLessThanOrEqual(APPLY_SLICE_MS);
    });

    it('applies each article in one step: between yields every article is wholly old or wholly new', async () => {
      const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
      const oldOf = (id: string) => article(id, [`De tulpen van ${id} bloeien.`, `Veel tulpen in de polder ${id}.`, `Tulpen en nog eens tulpen.`]);
      const newOf = (id: string) => article(id, [`De molens van ${id} draaien.`, `Molens langs de dijk ${id}.`]);
      const index = emptyIndex();
      for (const id of ids) index.upsert(oldOf(id), version(`oud-${id}`));

      /** Checks that every article is wholly one version; returns how many are new. */
      const check = (): number => {
        let fresh = 0;
        const tulips = hits(index, 'tulpen');
        const mills = hits(index, 'molens');
        let paragraphs = 0;
        for (const id of ids) {
          const current = index.getArticle(id)!;
          const isNew = current.paragraphs.length === 2;
          expect(current).toEqual(isNew ? newOf(id) : oldOf(id));
          expect(index.versionOf(id)).toEqual(version(isNew ? `nieuw-${id}` : `oud-${id}`));
          expect(tulips.filter((p) => p.startsWith(`${id}#`))).toEqual(isNew ? [] : [`${id}#1`, `${id}#2`, `${id}#3`]);
          expect(mills.filter((p) => p.startsWith(`${id}#`))).toEqual(isNew ? [`${id}#1`, `${id}#2`] : []);
          expect(index.getParagraph(`${id}#3`) === undefined).toBe(isNew);
          paragraphs += current.paragraphs.length;
          if (isNew) fresh++;
        }
        expect(index.paragraphCount).toBe(paragraphs);
        return fresh;
      };

      everyArticleTakesASlice();
      let done = false;
      const applying = applyChanges(index, ids.map((id) => upsert(newOf(id), version(`nieuw-${id}`)))).finally(() => (done = true));
      const seen = new Set<number>();
      while (!done) {
        seen.add(check());
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      expect(await applying).toEqual({ added: 0, changed: 6, removed: 0, unchanged: 0 });
      expect(check()).toBe(6);
      // It yielded after every article, and each state in between was seen: 1 new, 2 new, …
      expect([...seen].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(hits(index, 'tulpen')).toEqual([]);
      expect(index.paragraphCount).toBe(12);
    });
  });
});
