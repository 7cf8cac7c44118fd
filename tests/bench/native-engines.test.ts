// The benchmark's native contenders (SQLite FTS5, LanceDB) over five paragraphs: what each finds and returns.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { toParagraphDocs } from '../../src/paragraphs/paragraphs.js';
import type { BenchCorpus } from '../../bench/engines/engine.js';

const ARTICLES: Article[] = [
  {
    id: 'begroting',
    title: 'Begroting',
    date: '2025-09-16',
    source: null,
    url: null,
    paragraphs: [
      'De minister van Financiën presenteerde dinsdag de begroting voor volgend jaar.',
      'De begrotingen van gemeenten staan onder druk door hogere kosten.',
      'Om 17.00 uur sprak de minister de Tweede Kamer toe.',
    ],
  },
  {
    id: 'voetbal',
    title: 'Voetbal',
    date: '2025-09-14',
    source: null,
    url: null,
    paragraphs: ['Ajax won zondag met 2-1 van PSV in een uitverkocht stadion.', 'De minister van Sport keek vanaf de tribune naar het voetbal.'],
  },
];
const CORPUS: BenchCorpus = { articles: ARTICLES, docs: ARTICLES.flatMap(toParagraphDocs) };

/** Strings that mean something in FTS5's query syntax. */
const SYNTAX = ['"', 'minister "', 'NEAR(minister', 'AND', 'OR minister', 'NOT', 'text:minister', '^minister', 'minis*', '-minister', '(', ')', '+', ':'];

/** Loads an engine's module, or says why it cannot (a native module that did not build or install). */
async function load<T>(what: string, importer: () => Promise<T>): Promise<T | null> {
  try {
    return await importer();
  } catch (error) {
    console.warn(`notice: ${what} cannot load (${error instanceof Error ? error.message.split('\n')[0] : String(error)}), so its tests are skipped`);
    return null;
  }
}

const sqlite = await load('better-sqlite3', async () => {
  const mod = await import('../../bench/engines/sqlite-fts5.js');
  // The native binding is loaded by the first database, not by the import.
  new mod.SqliteFts5Engine().close();
  return mod;
});
const lance = await load('@lancedb/lancedb', () => import('../../bench/engines/lancedb.js'));

describe('bench/engines/sqlite-fts5', () => {
  describe('ftsMatch', () => {
    it.skipIf(!sqlite)('quotes every word, doubling quotes inside, and has nothing to match in blank input', () => {
      expect(sqlite!.ftsMatch('minister  begroting')).toBe('"minister" "begroting"');
      expect(sqlite!.ftsMatch('minister "NEAR(')).toBe('"minister" """NEAR("');
      expect(sqlite!.ftsMatch(' \t ')).toBeNull();
    });
  });

  describe('SqliteFts5Engine', () => {
    let engine: InstanceType<NonNullable<typeof sqlite>['SqliteFts5Engine']>;
    beforeAll(() => {
      if (!sqlite) return;
      engine = new sqlite.SqliteFts5Engine();
      engine.build(CORPUS);
    });
    afterAll(() => engine?.close());

    it.skipIf(!sqlite)('requires every word and marks each in the hit’s text', () => {
      expect(engine.top('minister begroting')).toEqual([
        { id: 'begroting#1', highlight: 'De <mark>minister</mark> van Financiën presenteerde dinsdag de <mark>begroting</mark> voor volgend jaar.' },
      ]);
      expect(engine.count('minister begroting')).toBe(1);
      expect(engine.search('minister begroting')).toBe(1);
    });

    it.skipIf(!sqlite)('folds diacritics but does not stem: `financien` finds Financiën, `begroting` not begrotingen', () => {
      expect(engine.top('financien').map((h) => h.highlight)).toEqual(['De minister van <mark>Financiën</mark> presenteerde dinsdag de begroting voor volgend jaar.']);
      expect(engine.top('begroting').map((h) => h.id)).toEqual(['begroting#1']);
    });

    it.skipIf(!sqlite)('ranks by BM25 and counts every hit beyond the page', () => {
      const ids = engine.top('minister').map((h) => h.id);
      expect(ids.sort()).toEqual(['begroting#1', 'begroting#3', 'voetbal#2']);
      expect(engine.count('minister')).toBe(3);
    });

    it.skipIf(!sqlite)('reads a word with punctuation as the tokens of its text: 17.00 is 17 then 00', () => {
      expect(engine.top('17.00').map((h) => h.highlight)).toEqual(['Om <mark>17.00</mark> uur sprak de minister de Tweede Kamer toe.']);
    });

    it.skipIf(!sqlite)('never reads a query as FTS5 syntax', () => {
      for (const q of SYNTAX) expect(() => engine.search(q), q).not.toThrow();
      expect(engine.count('OR minister')).toBe(0);
      expect(engine.count('^minister')).toBe(3);
      expect(engine.search('')).toBe(0);
    });
  });
});

describe('bench/engines/lancedb', () => {
  describe('LanceDbEngine', () => {
    let engine: InstanceType<NonNullable<typeof lance>['LanceDbEngine']>;
    beforeAll(async () => {
      if (!lance) return;
      engine = new lance.LanceDbEngine();
      await engine.build(CORPUS);
    });
    afterAll(async () => {
      await engine?.close();
    });

    it.skipIf(!lance)('requires every word (Operator.And) and returns the hit’s text', async () => {
      expect(await engine.top('minister begroting')).toEqual([
        expect.objectContaining({ id: 'begroting#1', text: 'De minister van Financiën presenteerde dinsdag de begroting voor volgend jaar.' }),
      ]);
      expect(await engine.count('minister begroting')).toBe(1);
      expect(await engine.searchAsync('minister begroting')).toBe(1);
    });

    it.skipIf(!lance)('stems Dutch and folds diacritics: `begroting` finds begrotingen, `financien` Financiën', async () => {
      expect((await engine.top('begroting')).map((h) => h.id).sort()).toEqual(['begroting#1', 'begroting#2']);
      expect((await engine.top('financien')).map((h) => h.id)).toEqual(['begroting#1']);
    });

    it.skipIf(!lance)('counts every hit beyond the page, and finds nothing in blank input', async () => {
      expect(await engine.count('minister')).toBe(3);
      expect(await engine.searchAsync('  ')).toBe(0);
    });

    it.skipIf(!lance)('keeps its table on disk in a directory that close removes', async () => {
      const other = new lance!.LanceDbEngine();
      await other.build(CORPUS);
      expect(other.diskBytes()).toBeGreaterThan(0);
      expect(existsSync(other.dir)).toBe(true);
      other.close();
      expect(existsSync(other.dir)).toBe(false);
    });
  });
});
