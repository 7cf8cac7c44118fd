import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSynonyms, Synonyms } from '../../src/query/synonyms.js';
import { Searcher, type ParagraphResults } from '../../src/search/search.js';
import { buildIndex, SEED_ID } from '../helpers/corpus.js';

// The bundled article, searched with the shipped synonym file: compounds, irregular forms and synonyms.
const index = buildIndex();
const shipped = readFileSync(fileURLToPath(new URL('../../data/synonyms.txt', import.meta.url)), 'utf8');
const searcher = new Searcher(index, () => new Synonyms(parseSynonyms(shipped).rules, index.analyzer));
const search = (q: string, explain = false) => searcher.search(q, { limit: 50, offset: 0, explain }) as ParagraphResults;
const paragraphs = (r: ParagraphResults) => r.hits.map((h) => h.paragraph);
const hit = (r: ParagraphResults, n: number) => r.hits.find((h) => h.paragraph === n)!;

describe('Dutch beyond stemming, on the bundled article', () => {
  it('the shipped synonym file reads without a bad line', () => {
    expect(parseSynonyms(shipped).errors).toEqual([]);
    expect(parseSynonyms(shipped).rules.length).toBeGreaterThan(200);
  });

  it('gesprek also finds the telefoongesprek of paragraph 8, below every paragraph with the word itself', () => {
    const r = search('gesprek');
    expect(paragraphs(r).sort((a, b) => a - b)).toEqual([2, 3, 4, 8, 18]);
    expect(paragraphs(r).at(-1)).toBe(8);
    expect(hit(r, 8).highlight).toContain('<mark>telefoongesprek</mark>');
  });

  it('garanties finds 18 (veiligheidsgaranties) and 19, 19 first', () => {
    const r = search('garanties');
    expect(paragraphs(r)).toEqual([19, 18]);
    expect(hit(r, 18).highlight).toContain('<mark>veiligheidsgaranties</mark>');
  });

  it('NATO finds 16 and 18, with NAVO marked, and lists the expansion', () => {
    const r = search('NATO');
    expect(paragraphs(r).sort((a, b) => a - b)).toEqual([16, 18]);
    for (const n of [16, 18]) expect(hit(r, n).highlight).toContain('<mark>NAVO</mark>');
    expect(r.expansions[0]).toMatchObject({ text: 'NATO', synonyms: expect.arrayContaining(['NAVO']) });
    expect(r.approximate).toEqual([]); // NATO occurs nowhere, but is no typo of NAVO: a synonym
  });

  it('Verenigde Staten finds 18, where the article says VS', () => {
    const r = search('Verenigde Staten');
    expect(paragraphs(r)).toContain(18);
    expect(hit(r, 18).highlight).toContain('<mark>VS</mark>');
  });

  it('zeggen finds the paragraphs with zei', () => {
    const r = search('zeggen');
    const withZei = index.getArticle(SEED_ID)!.paragraphs.flatMap((p, i) => (/\bzei\b/.test(p) ? [i + 1] : []));
    expect(withZei.length).toBeGreaterThan(1);
    expect(paragraphs(r)).toEqual(expect.arrayContaining(withZei));
    for (const n of withZei) expect(hit(r, n).highlight).toContain('<mark>zei</mark>');
  });

  it('explains each hit: which term matched which word, how, and its BM25 parts', () => {
    const parts = search('gesprek', true);
    const part = hit(parts, 8).explanation!;
    expect(part.terms).toEqual([expect.objectContaining({ field: 'parts', words: [expect.objectContaining({ surface: 'telefoongesprek', how: 'compound part' })] })]);
    expect(part.score).toBeCloseTo(hit(parts, 8).score, 10);
    expect(hit(parts, 2).explanation!.terms[0]).toMatchObject({ field: 'text', tf: 1, weight: 1, words: [expect.objectContaining({ surface: 'gesprek', how: 'exact' })] });
    const hows = (q: string, n: number) => hit(search(q, true), n).explanation!.terms.flatMap((t) => t.words.map((w) => w.how));
    expect(hows('zeggen', withZeiParagraph())).toContain('irregular form');
    expect(hows('NATO', 16)).toEqual(['synonym']);
    expect(hows('gesprekken', 2)).toEqual(['stem']);
    expect(hows('gesprek*', 2)).toEqual(['prefix']);
    for (const r of [search('garanties', true), search('NATO', true)]) {
      for (const h of r.hits) expect(h.explanation!.score).toBeCloseTo(h.score, 10);
    }
  });
});

function withZeiParagraph(): number {
  return index.getArticle(SEED_ID)!.paragraphs.findIndex((p) => /\bzei\b/.test(p)) + 1;
}
