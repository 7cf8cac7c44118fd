import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import type { Article } from '../../src/articles/article.js';
import { indexMeta } from '../../src/index/minisearch-internals.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { LINE_BYTES, MAX_POSTINGS_PER_RECORD, readSnapshot, Slicer, SNAPSHOT_FILE, SnapshotError, writeSnapshot, WRITE_SLICE_MS } from '../../src/index/snapshot.js';
import { Searcher } from '../../src/search/search.js';
import { fixtureArticles } from '../helpers/corpus.js';
import { udArticles, versionOf } from '../helpers/ud.js';
import { top } from '../helpers/query.js';

const QUERIES = [
  'NAVO',
  'Witkoff',
  'gesprekken',
  'oekraine',
  'Kremlin-woordvoerder',
  'financiele',
  'regering minister',
  'Brussel',
  'de',
  '"Poetin en Trump"',
  '"in gesprek"',
  '"van de"',
  'Rusland -NAVO',
  '"de eerste" OF "het jaar"',
];

function indexOf(articles: Article[]): SearchIndex {
  const index = new SearchIndex(createAnalyzer());
  for (const a of articles) index.upsert(a, versionOf(a));
  return index;
}

/** What a user sees for the queries: ids, scores and highlights of every hit, and suggestions as they type. */
function results(index: SearchIndex) {
  const searcher = new Searcher(index);
  const searches = QUERIES.map((q) => {
    const r = searcher.search(q, { limit: 100, offset: 0 });
    return { q, total: r.total, hits: r.hits.map((h) => [h.id, h.score, h.highlight]) };
  });
  const suggestions = ['oekr', 'ned', 'Kreml', 'ge', 'Peskov gespr'].map((q) => searcher.suggest(q));
  return { searches, suggestions };
}

/** Resolves once a snapshot write in `dir` has its temporary file open (it is iterating by then). */
async function writerStarted(dir: string): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (readdirSync(dir).some((f) => f.startsWith('.snapshot.'))) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('the snapshot writer never started');
}

async function snapshotError(promise: Promise<unknown>): Promise<SnapshotError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
  throw new Error('expected a SnapshotError');
}

describe('snapshot', () => {
  let dir: string;
  const corpus = [...fixtureArticles(), ...udArticles('the snapshot round trip over real Dutch text')];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-snapshot-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('Slicer', () => {
    it('yields at the first call after sliceMs of work, reading the clock at every call', async () => {
      let now = 0;
      vi.spyOn(performance, 'now').mockImplementation(() => now);
      const slicer = new Slicer(2);
      const yieldsAfter: number[] = [];
      for (let call = 1; call <= 10; call++) {
        now += 1; // each record a millisecond of work
        const before = slicer.yields;
        await slicer.maybeYield();
        if (slicer.yields > before) yieldsAfter.push(call);
      }
      expect(yieldsAfter).toEqual([2, 4, 6, 8, 10]);
      expect(slicer.longest).toBe(2);
      vi.restoreAllMocks();
    });
  });

  describe('writeSnapshot and readSnapshot', () => {
    it('writes in slices of WRITE_SLICE_MS of work and lines of about LINE_BYTES', async () => {
      const index = indexOf(corpus);
      // Every reading of the clock is a millisecond later: the writer yields every WRITE_SLICE_MS readings.
      let now = 0;
      vi.spyOn(performance, 'now').mockImplementation(() => now++);
      const stats = await writeSnapshot(index, dir);
      vi.restoreAllMocks();
      const lines = readFileSync(join(dir, SNAPSHOT_FILE), 'utf8').split('\n').filter((line) => line.length > 0);
      // The clock is read once per record: no slice ran more than WRITE_SLICE_MS readings (plus the one that
      // ended it), so it yielded many times a line.
      expect(stats.longestSliceMs).toBeLessThanOrEqual(WRITE_SLICE_MS + 1);
      expect(stats.slices).toBeGreaterThan(10 * lines.length);
      // A line ends once it holds LINE_BYTES: at most that plus its last record (articles: about 5 KB here).
      for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThan(LINE_BYTES + 64 * 1024);
      expect(lines.length).toBeGreaterThan(Buffer.byteLength(lines.join('\n')) / (LINE_BYTES + 64 * 1024));
      const loaded = await readSnapshot(dir, createAnalyzer());
      expect(results(loaded!.index)).toEqual(results(index));
    });

    it('round-trip the index: same articles, versions and search results', async () => {
      const index = indexOf(corpus);
      index.removeArticle(corpus[1]!.id); // discarded documents must not come back
      const stats = await writeSnapshot(index, dir);
      expect(stats).toMatchObject({ articles: index.articleCount, paragraphs: index.paragraphCount, dirty: 0 });
      expect(readdirSync(dir)).toEqual([SNAPSHOT_FILE]);

      const loaded = await readSnapshot(dir, createAnalyzer());
      expect(loaded!.dirty.size).toBe(0);
      expect(loaded!.index.articleCount).toBe(index.articleCount);
      expect(loaded!.index.paragraphCount).toBe(index.paragraphCount);
      expect(loaded!.index.getArticle(corpus[1]!.id)).toBeUndefined();
      expect([...loaded!.index.knownVersions()]).toEqual([...index.knownVersions()]);
      expect(results(loaded!.index)).toEqual(results(index));
    });

    it('reads lines that cross the reader\'s chunks with text outside ASCII, and a last line without its newline', async () => {
      // About 1.5 MB: many lines, each 64 KiB at most, cross the loader's 256 KiB reads, some inside a letter.
      const accented = Array.from({ length: 1200 }, (_, i): Article => ({
        id: `accent-${i}`, title: `Café ${i}`, date: null, source: null, url: null,
        paragraphs: [`Één coördinatie van de reünie in het café ${i}, naïef en geëmotioneerd: “ja” — ${'ëé€'.repeat(100 + (i % 50))}.`, `Ruïne ${i * 7} bij de überhaupt ideeën.`],
      }));
      const index = indexOf([...corpus, ...accented]);
      await writeSnapshot(index, dir);
      const file = join(dir, SNAPSHOT_FILE);
      expect(statSync(file).size).toBeGreaterThan(4 * 256 * 1024);
      const expected = results(index);
      expect(results((await readSnapshot(dir, createAnalyzer()))!.index)).toEqual(expected);
      const loaded = (await readSnapshot(dir, createAnalyzer()))!.index;
      for (const a of accented) expect(loaded.getArticle(a.id)).toEqual(index.getArticle(a.id));
      const found = (i: SearchIndex) => new Searcher(i).search('coördinatie reünie', { limit: 1, offset: 0 }).total;
      expect(found((await readSnapshot(dir, createAnalyzer()))!.index)).toBe(found(index));
      expect(found(index)).toBeGreaterThanOrEqual(1200);
      const bytes = readFileSync(file);
      expect(bytes.at(-1)).toBe(0x0a);
      writeFileSync(file, bytes.subarray(0, bytes.length - 1));
      expect(results((await readSnapshot(dir, createAnalyzer()))!.index)).toEqual(expected);
    });

    it('splits a frequent term over several records, and merges them back', async () => {
      const many = Array.from({ length: MAX_POSTINGS_PER_RECORD * 2 + 100 }, (_, i): Article => ({
        id: `kort-${i}`, title: `Kort ${i}`, date: null, source: null, url: null, paragraphs: [`De NAVO en bericht ${i}.`],
      }));
      const index = indexOf([...corpus, ...many]);
      await writeSnapshot(index, dir);
      const records = readFileSync(join(dir, SNAPSHOT_FILE), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('["t"'))
        .flatMap((line) => (JSON.parse(line)[1] as Array<[string, unknown]>).filter(([term]) => term === 'navo'));
      expect(records.length).toBe(3);
      const loaded = await readSnapshot(dir, createAnalyzer());
      expect(top(loaded!.index, 'navo', 1).total).toBe(top(index, 'navo', 1).total);
      expect(results(loaded!.index)).toEqual(results(index));
    });

    it('stamps the store and the log position the index held when the write began, and leaves the loaded index unadvanced', async () => {
      const index = indexOf(corpus);
      index.advanceTo({ seq: 41, mark: '1764612000123456' });
      await writeSnapshot(index, dir, { store: 'postgres:0b7c' });
      const loaded = await readSnapshot(dir, createAnalyzer());
      expect(loaded).toMatchObject({ store: 'postgres:0b7c', position: { seq: 41, mark: '1764612000123456' } });
      // The caller advances it, and only when the snapshot is of the store it reads.
      expect(loaded!.index.appliedSeq).toBeNull();
      await writeSnapshot(indexOf(corpus), dir);
      expect(await readSnapshot(dir, createAnalyzer())).toMatchObject({ store: null, position: null });
    });

    it('answers null when there is no snapshot', async () => {
      expect(await readSnapshot(dir, createAnalyzer())).toBeNull();
    });

    it('refuses a truncated, altered or garbled file as corrupt', async () => {
      await writeSnapshot(indexOf(corpus), dir);
      const path = join(dir, SNAPSHOT_FILE);
      const original = readFileSync(path);

      truncateSync(path, Math.floor(original.length / 2));
      expect((await snapshotError(readSnapshot(dir, createAnalyzer()))).reason).toBe('corrupt');

      const altered = Buffer.from(original);
      const at = altered.indexOf('Witkoff');
      altered.write('Witkofg', at);
      writeFileSync(path, altered);
      expect((await snapshotError(readSnapshot(dir, createAnalyzer()))).message).toBe('the content does not match its hash');

      writeFileSync(path, 'geen snapshot\n');
      expect((await snapshotError(readSnapshot(dir, createAnalyzer()))).reason).toBe('corrupt');
    });

    it('refuses a snapshot built with another analyzer as incompatible', async () => {
      await writeSnapshot(indexOf(corpus), dir);
      const porter = createAnalyzer({ stemmer: 'dutch_porter' });
      const error = await snapshotError(readSnapshot(dir, porter));
      expect(error.reason).toBe('incompatible');
      expect(error.message).toBe(`built with analyzer ${createAnalyzer().version}, running ${porter.version}`);
      expect(porter.version).toMatch(/^nl-3-dutch_porter-compounds-opentaal-2\.20\.21\+freq-3\.0\.14-irregular$/);
    });

    it('goes on while the index changes, and the loader re-reads exactly the articles that changed', async () => {
      const [first, second, third, ...rest] = corpus;
      const index = indexOf([first!, second!, ...rest]);
      const before = results(index);
      const writing = writeSnapshot(index, dir, { sliceMs: 0 });
      // Change the index between the writer's slices.
      await writerStarted(dir);
      index.upsert(third!, versionOf(third!));
      index.removeArticle(second!.id);
      const stats = await writing;
      expect(stats.dirty).toBe(2);

      const loaded = await readSnapshot(dir, createAnalyzer());
      expect([...loaded!.dirty].sort()).toEqual([second!.id, third!.id].sort());
      // The captured paragraphs of the changed articles were dropped and vacuumed: no discarded postings remain.
      expect(indexMeta(loaded!.index.miniSearch).dirtCount).toBe(0);
      // Neither changed article is half there: both are simply absent until re-read.
      expect(loaded!.index.getArticle(second!.id)).toBeUndefined();
      expect(loaded!.index.getArticle(third!.id)).toBeUndefined();
      for (const doc of [...Array(third!.paragraphs.length).keys()].map((i) => `${third!.id}#${i + 1}`)) {
        expect(loaded!.index.getParagraph(doc)).toBeUndefined();
      }
      // Re-reading them (as the service does from the store) restores the live index exactly.
      loaded!.index.upsert(third!, versionOf(third!));
      const live = results(index);
      // Phrases included: the positions of the dropped paragraphs went with them. (Suggestion counts may drift
      // here — the words of articles changed while writing are counted again when re-read; DESIGN.md.)
      expect(results(loaded!.index).searches.map((r) => [r.q, r.total, r.hits.map((h) => h[0])])).toEqual(live.searches.map((r) => [r.q, r.total, r.hits.map((h) => h[0])]));
      expect(before).not.toEqual(live);
    });

    it('leaves no temporary file behind, and the old snapshot in place, when a write fails', async () => {
      const index = indexOf(corpus);
      await writeSnapshot(index, dir);
      const before = statSync(join(dir, SNAPSHOT_FILE)).mtimeMs;
      const writing = writeSnapshot(index, dir, { sliceMs: 0 });
      await writerStarted(dir);
      index.adopt(indexOf(corpus.slice(0, 2))); // a wholesale swap invalidates the write
      await expect(writing).rejects.toThrow('snapshot: the index was swapped while it was written; not saved');
      expect(readdirSync(dir)).toEqual([SNAPSHOT_FILE]);
      expect(statSync(join(dir, SNAPSHOT_FILE)).mtimeMs).toBe(before);
    });
  });
});
