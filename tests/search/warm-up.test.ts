import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { TopDocs } from '../../src/query/collectors.js';
import { engineFor, MIN_POSTINGS_FOR_PRUNING } from '../../src/query/engine.js';
import { q } from '../../src/query/tree.js';
import { EngineWarmUp } from '../../src/search/warm-up.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { pairBits } from '../../src/index/positions.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { readSnapshot, writeSnapshot } from '../../src/index/snapshot.js';
import { buildIndex } from '../helpers/corpus.js';
import { versionOf } from '../helpers/ud.js';

/** Many paragraphs of very different lengths over few words: several lists long enough to be warmed. */
function articles(count: number): Article[] {
  const words = ['regering', 'kabinet', 'minister', 'stikstof', 'boeren', 'provincie', 'water', 'dijk', 'haven', 'schip', 'trein', 'station'];
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  return Array.from({ length: count }, (_, a) => ({
    id: `w-${String(a).padStart(4, '0')}`,
    title: `Artikel ${a}`,
    date: null,
    source: null,
    url: null,
    paragraphs: Array.from({ length: 4 }, () => Array.from({ length: 2 + Math.floor(random() ** 2 * 40) }, () => words[Math.floor(random() ** 2 * words.length)]).join(' ') + '.'),
  }));
}

describe('EngineWarmUp', () => {
  it('builds the block maxima of every long list in slices, so a query afterwards builds none, and prunes to the exhaustive top k', async () => {
    const index = buildIndex(articles(1200));
    const engine = engineFor(index);
    const warm = new EngineWarmUp(index, { sliceMs: 0 });
    const report = (await warm.warm())!;
    expect(report.lists).toBeGreaterThan(3);
    expect(report.postings).toBeGreaterThanOrEqual(report.lists * MIN_POSTINGS_FOR_PRUNING);
    // A slice budget of 0 yields after every term: the work was spread over many turns of the event loop.
    expect(report.slices).toBeGreaterThan(report.lists / 2);
    const built = engine.maximaBuilt;
    const idOf = (doc: number) => engine.view.documentIds.get(doc)!;
    const term = (word: string) => q.term(index.analyzer.indexTerms(word)[0]!);
    const query = { kind: 'and' as const, children: [term('regering'), term('kabinet')] };
    const pruned = new TopDocs(10, idOf);
    pruned.exactUpTo = 0;
    const compiled = engine.compile(query);
    compiled.run(pruned);
    expect(engine.maximaBuilt).toBe(built);
    // Pruned on the warmed maxima and tiers: blocks skipped, or matches counted without a score or unread.
    expect(compiled.lastRun!.skippedBlocks + compiled.lastRun!.passed + compiled.lastRun!.skippedDocs).toBeGreaterThan(0);
    const exhaustive = new TopDocs(10, idOf);
    engine.compile(query).run({ collect: (doc, score) => exhaustive.collect(doc, score) });
    expect(pruned.sorted()).toEqual(exhaustive.sorted());
  });

  it('makes the pair signatures of paragraphs loaded from a snapshot, which then rule out absent pairs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-warm-'));
    try {
      // A snapshot keeps the articles with a version (as a store gives them).
      const built = new SearchIndex(createAnalyzer());
      for (const a of articles(300)) built.upsert(a, versionOf(a));
      await writeSnapshot(built, dir);
      const loaded = (await readSnapshot(dir, createAnalyzer()))!;
      const index = loaded.index;
      const symbol = (word: string) => index.positions.symbolOf(index.analyzer.indexTerms(word)[0]!);
      // Never side by side in the text: `schip` and `regering` are words of their own, not a pair.
      const absent = pairBits(symbol('regering'), 0x7ffff);
      // The loaded paragraphs, by the short ids their positions are stored under.
      const docs = [...Array(5000).keys()].filter((doc) => index.positions.encoded(doc) !== null);
      expect(docs.length).toBe(1200);
      expect(docs.filter((doc) => !index.positions.mayHoldPair(doc, absent))).toEqual([]);
      await new EngineWarmUp(index, { sliceMs: 0 }).warm();
      expect(index.positions.signPending(0)).toBe(true);
      expect(docs.filter((doc) => !index.positions.mayHoldPair(doc, absent)).length).toBeGreaterThan(docs.length / 2);
      // Every pair a paragraph holds is admitted (a "no" there would lose a phrase).
      for (const doc of docs) {
        const { symbols, length } = index.positions.read(doc);
        const held = Array.from(symbols.subarray(0, length));
        for (let i = 1; i < held.length; i++) expect(index.positions.mayHoldPair(doc, pairBits(held[i - 1]!, held[i]!))).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives up a generation replaced under it, and warms the new one', async () => {
    const index = buildIndex(articles(600));
    const warm = new EngineWarmUp(index, { sliceMs: 0 });
    const first = warm.warm();
    index.adopt(buildIndex(articles(700)));
    expect(await first).toBeNull();
    const second = (await warm.warm())!;
    expect(second.lists).toBeGreaterThan(0);
    expect(warm.last).toBe(second);
  });
});
