import { describe, expect, it } from 'vitest';
import { Searcher } from '../../src/search/search.js';
import { buildIndex, fixtureArticles, seedArticle, SEED_ID } from '../helpers/corpus.js';

const seed = new Searcher(buildIndex());
const fixtures = new Searcher(buildIndex(fixtureArticles()));
const ids = (r: { hits: Array<{ id: string }> }) => r.hits.map((h) => h.id);

describe('search', () => {
  describe('Searcher.search', () => {
    it('finds exactly the two paragraphs of the bundled article that mention NAVO, marked', () => {
      const r = seed.search('NAVO');
      expect(r.total).toBe(2);
      expect(ids(r)).toEqual([`${SEED_ID}#16`, `${SEED_ID}#18`]);
      for (const hit of r.hits) {
        expect(hit.highlight.match(/<mark>[^<]*<\/mark>/g)).toEqual(['<mark>NAVO</mark>']);
        expect(hit.text.slice(hit.matches[0]!.start, hit.matches[0]!.end)).toBe('NAVO');
        expect(hit).toMatchObject({ articleId: SEED_ID, title: seedArticle().title, date: '2025-05' });
        expect(hit.score).toBeGreaterThan(0);
      }
      expect(r.fallback).toBe(false);
    });

    it('finds the one paragraph that mentions Witkoff', () => {
      const r = seed.search('Witkoff');
      expect(ids(r)).toEqual([`${SEED_ID}#6`]);
      expect(r.hits[0]!.highlight).toContain('Steven <mark>Witkoff</mark> van plan');
    });

    it('finds other inflections of an inflected query', () => {
      // `gesprekken` occurs in paragraphs 3 and 4; `gesprek` in 2, 3, 4 and 18; `telefoongesprek` is another word.
      const r = seed.search('gesprekken');
      expect(ids(r).sort()).toEqual([2, 3, 4, 18].map((n) => `${SEED_ID}#${n}`).sort());
      expect(r.hits.find((h) => h.paragraph === 2)!.highlight).toContain('het <mark>gesprek</mark> gepland');
      // The participle meets the infinitive and the noun: `gepland` (2) and `plan` (6, 10) for `plannen`.
      expect(ids(seed.search('plannen')).sort()).toEqual([10, 2, 6].map((n) => `${SEED_ID}#${n}`));
      expect(seed.search('plannen').hits.find((h) => h.paragraph === 2)!.highlight).toContain('<mark>gepland</mark>');
    });

    it('finds Oekraïne for a query typed without diacritics, and the other way round', () => {
      expect(ids(seed.search('oekraine'))).toEqual([`${SEED_ID}#3`]);
      expect(seed.search('oekraine').hits[0]!.highlight).toContain('<mark>Oekraïne</mark>');
      expect(ids(fixtures.search('financiele')).length).toBeGreaterThan(0);
      expect(ids(fixtures.search('cremes brulees'))).toEqual(['cafe-crlf-bom#1']);
    });

    it('requires every word, and falls back to any word when no paragraph has them all', () => {
      const all = seed.search('Poetin Trump');
      expect(all.fallback).toBe(false);
      expect(all.hits.every((h) => /Poetin/.test(h.text) && /Trump/.test(h.text))).toBe(true);

      const any = seed.search('Witkoff NAVO');
      expect(any.fallback).toBe(true);
      expect(ids(any).sort()).toEqual([6, 16, 18].map((n) => `${SEED_ID}#${n}`).sort());
    });

    it('reports nothing found, without a fallback, when no word occurs', () => {
      expect(seed.search('xyzzy plugh')).toMatchObject({ total: 0, fallback: false, hits: [] });
    });

    it('ignores stopwords and says so', () => {
      expect(seed.search('de NAVO')).toMatchObject({ total: 2, ignored: ['de'], terms: ['navo'] });
      expect(seed.search('de het')).toMatchObject({ total: 0, ignored: ['de', 'het'], terms: [] });
    });

    it('pages with limit and offset over a stable order', () => {
      const everything = seed.search('Rusland', { limit: 100, offset: 0 });
      expect(everything.total).toBeGreaterThan(4);
      const first = seed.search('Rusland', { limit: 2, offset: 0 });
      const second = seed.search('Rusland', { limit: 2, offset: 2 });
      expect([...ids(first), ...ids(second)]).toEqual(ids(everything).slice(0, 4));
      expect(first.total).toBe(everything.total);
      expect(seed.search('Rusland', { limit: 10, offset: 1000 }).hits).toEqual([]);
    });

    it('reads a word that occurs nowhere as a typo of a similar word, says so, and marks what matched', () => {
      const r = seed.search('Witkof');
      expect(r).toMatchObject({ total: 1, approximate: ['Witkof'], fallback: false });
      expect(r.hits[0]!.highlight).toContain('<mark>Witkoff</mark>');
      expect(seed.search('Witkoff').approximate).toEqual([]);
    });

    it('takes a word that occurs as typed, even next to a typo', () => {
      const r = seed.search('Witkof NAVO');
      expect(r.approximate).toEqual(['Witkof']);
      // Witkoff and NAVO never share a paragraph: any-word fallback, and NAVO was not fuzzed into other words.
      expect(r.fallback).toBe(true);
      expect(ids(r).sort()).toEqual([6, 16, 18].map((n) => `${SEED_ID}#${n}`).sort());
    });

    it('expands a word ending in * to every word it begins, and marks them', () => {
      const r = seed.search('Kreml*');
      // Every Kreml… word is Kremlin or a compound holding it, whose parts are indexed too.
      expect(r.total).toBe(seed.search('Kremlin').total);
      expect(r.total).toBeGreaterThan(0);
      expect(r.hits.every((h) => /<mark>Kreml[^<]*<\/mark>/.test(h.highlight))).toBe(true);
      const page = seed.markArticle(seedArticle(), 'Kreml*');
      expect(page.some((p) => p.html.includes('<mark>Kremlin'))).toBe(true);
    });

    it('counts every match but ranks only the page asked for, in the same order as a longer page', () => {
      const long = seed.search('Rusland Oekraïne', { limit: 100, offset: 0 });
      for (const offset of [0, 1, 3]) {
        const short = seed.search('Rusland Oekraïne', { limit: 2, offset });
        expect(short.total).toBe(long.total);
        expect(ids(short)).toEqual(ids(long).slice(offset, offset + 2));
      }
    });

    it('keeps markup in paragraphs and queries inert', () => {
      const r = fixtures.search('<script>alert("NAVO")</script>');
      const hit = r.hits.find((h) => h.articleId === 'markup-in-text')!;
      expect(hit.text).toContain('<script>alert("NAVO")</script>');
      expect(hit.highlight).not.toContain('<script>');
      expect(hit.highlight).toContain('&lt;<mark>script</mark>&gt;');
    });
  });

  describe('Searcher.markArticle', () => {
    it("marks the query's words in every paragraph, and nothing for an empty query", () => {
      const marked = seed.markArticle(seedArticle(), 'NAVO');
      expect(marked).toHaveLength(19);
      expect(marked.filter((p) => p.html.includes('<mark>')).map((p) => p.n)).toEqual([16, 18]);
      expect(seed.markArticle(seedArticle(), '').some((p) => p.html.includes('<mark>'))).toBe(false);
    });
  });
});
