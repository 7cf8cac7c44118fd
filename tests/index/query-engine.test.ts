import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { compareParagraphIds, type QueryNode } from '../../src/index/query-engine.js';
import type { SearchIndex } from '../../src/index/search-index.js';
import { buildIndex, fixtureArticles } from '../helpers/corpus.js';
import { udArticles } from '../helpers/ud.js';

/** A small seeded PRNG, so the generated corpus is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Short paragraphs of words drawn Zipf-like from the fixtures' vocabulary: frequent terms with long
 * postings, rare ones, and many equal scores (equal lengths and frequencies) to exercise the tie order.
 */
function generatedArticles(count: number, seed: number): Article[] {
  const words = [...new Set(fixtureArticles().flatMap((a) => a.paragraphs.join(' ').match(/\p{L}[\p{L}'-]*/gu) ?? []))].sort();
  const random = prng(seed);
  const pick = () => words[Math.floor(words.length * random() ** 3)]!;
  const articles: Article[] = [];
  for (let a = 0; a < count; a++) {
    const paragraphs: string[] = [];
    const n = 1 + Math.floor(random() * 6);
    for (let p = 0; p < n; p++) {
      const length = 2 + Math.floor(random() * 12);
      paragraphs.push(Array.from({ length }, pick).join(' ') + '.');
    }
    articles.push({ id: `gen-${String(a).padStart(4, '0')}`, title: `Artikel ${a}`, date: null, source: null, url: null, paragraphs });
  }
  return articles;
}

/** An index that has seen changes: some articles replaced and some removed, so short ids have gaps. */
function changedIndex(articles: Article[]): SearchIndex {
  const index = buildIndex(articles);
  const random = prng(7);
  for (const article of articles) {
    const r = random();
    if (r < 0.1) index.removeArticle(article.id);
    else if (r < 0.2) index.replaceArticle({ ...article, paragraphs: [...article.paragraphs].reverse().slice(0, 3) });
  }
  return index;
}

/** Random query trees over the index's own terms (frequent and rare), unknown terms, prefixes and typos. */
function queryArbitrary(terms: string[]): fc.Arbitrary<QueryNode> {
  const known = fc.integer({ min: 0, max: terms.length - 1 }).map((i) => terms[i]!);
  const frequent = fc.integer({ min: 0, max: Math.min(30, terms.length - 1) }).map((i) => terms[i]!);
  const term = fc.oneof({ weight: 4, arbitrary: known }, { weight: 3, arbitrary: frequent }, { weight: 1, arbitrary: fc.constantFrom('xyzzy', 'qqq') });
  const leaf = fc.oneof(
    { weight: 6, arbitrary: term },
    { weight: 1, arbitrary: term.filter((t) => t.length >= 3).map((t) => ({ term: t.slice(0, Math.max(2, t.length - 3)), prefix: true })) },
    { weight: 1, arbitrary: fc.tuple(term, fc.constantFrom(1, 2)).map(([t, fuzzy]) => ({ term: t, fuzzy })) },
    { weight: 1, arbitrary: term.map((t) => ({ term: t.slice(0, -1), prefix: true, fuzzy: 1 })) },
  );
  const { node } = fc.letrec<{ node: QueryNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ combineWith: fc.constantFrom('AND' as const, 'OR' as const), queries: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
    ),
  }));
  return node;
}

/** Index terms, most frequent first. */
function termsByFrequency(index: SearchIndex): string[] {
  const counts = new Map<string, number>();
  for (const article of index.allArticles()) {
    for (const p of article.paragraphs) for (const t of new Set(index.analyzer.indexTerms(p))) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/** Our top k against MiniSearch's own search: same count, same scores rank by rank, same ids up to ties. */
function expectSameTopK(index: SearchIndex, query: QueryNode, k: number): void {
  const reference = index.search(query);
  const ours = index.top(query, k);
  expect(ours.total).toBe(reference.length);
  expect(ours.matches).toHaveLength(Math.min(k, reference.length));
  const referenceById = new Map(reference.map((m) => [m.doc.id, m]));
  ours.matches.forEach((m, rank) => {
    const ref = referenceById.get(m.doc.id);
    expect(ref, `${m.doc.id} is not a MiniSearch match`).toBeDefined();
    expect(close(m.score, ref!.score), `score of ${m.doc.id}: ${m.score} vs ${ref!.score}`).toBe(true);
    expect(close(m.score, reference[rank]!.score), `score at rank ${rank}`).toBe(true);
    expect(new Set(m.terms)).toEqual(new Set(ref!.terms));
  });
  // Ranked best first, equal scores in paragraph order.
  for (let i = 1; i < ours.matches.length; i++) {
    const [a, b] = [ours.matches[i - 1]!, ours.matches[i]!];
    expect(a.score > b.score || (a.score === b.score && compareParagraphIds(a.doc.id, b.doc.id) < 0)).toBe(true);
  }
}

describe('query-engine', () => {
  describe('compareParagraphIds', () => {
    it('orders by article id, then paragraph number, as string and number comparison would', () => {
      const id = fc.tuple(fc.string({ maxLength: 6 }).filter((a) => !a.includes('#')), fc.integer({ min: 1, max: 5000 }));
      fc.assert(
        fc.property(id, id, ([a, n], [b, m]) => {
          const expected = a !== b ? (a < b ? -1 : 1) : Math.sign(n - m);
          expect(Math.sign(compareParagraphIds(`${a}#${n}`, `${b}#${m}`))).toBe(expected);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('QueryEngine.top (through SearchIndex.top)', () => {
    const index = changedIndex(generatedArticles(1500, 42));
    const terms = termsByFrequency(index);

    it('ranks a few known queries exactly as MiniSearch does', () => {
      const [a, b, c] = terms as [string, string, string];
      for (const q of [a, { combineWith: 'AND', queries: [a, b] }, { combineWith: 'OR', queries: [a, { combineWith: 'AND', queries: [b, c] }] }] as QueryNode[]) {
        for (const k of [1, 10, 100_000]) expectSameTopK(index, q, k);
      }
    });

    it('counts a query of one frequent term as MiniSearch does, and keeps only k', () => {
      const ours = index.top(terms[0]!, 5);
      expect(ours.total).toBeGreaterThan(100);
      expect(ours.matches).toHaveLength(5);
    });

    it('probes frequent terms through membership bitsets, rebuilt when the index changes', () => {
      // Both terms are frequent enough for bitsets (over 1,024 postings, probed over 256 times).
      expect(index.documentFrequency(terms[1]!)).toBeGreaterThan(1024);
      const both: QueryNode = { combineWith: 'AND', queries: [terms[0]!, terms[1]!] };
      expectSameTopK(index, both, 10);
      const changed = changedIndex(generatedArticles(1500, 42));
      expectSameTopK(changed, both, 10);
      const victim = changed.top(both, 1).matches[0]!.doc.articleId;
      changed.removeArticle(victim);
      expectSameTopK(changed, both, 10);
      expect(changed.top(both, 100_000).matches.some((m) => m.doc.articleId === victim)).toBe(false);
      // Added again under a new id: found again (a stale bitset would hide it).
      const text = changed.top(both, 1).matches[0]!.doc.text;
      changed.addArticle({ id: 'zzz-nieuw', title: 'Nieuw', date: null, source: null, url: null, paragraphs: [text] });
      expectSameTopK(changed, both, 10);
      expect(changed.top(both, 100_000).matches.some((m) => m.doc.articleId === 'zzz-nieuw')).toBe(true);
    });

    it('finds nothing for an unknown term and for AND with an unknown term', () => {
      expect(index.top('xyzzy', 10)).toEqual({ total: 0, matches: [] });
      expect(index.top({ combineWith: 'AND', queries: [terms[0]!, 'xyzzy'] }, 10)).toEqual({ total: 0, matches: [] });
    });

    it('equals MiniSearch on 3,000 random query trees (AND, OR, nesting, prefix, fuzzy), ties in paragraph order', () => {
      fc.assert(
        fc.property(queryArbitrary(terms), fc.integer({ min: 1, max: 40 }), (query, k) => expectSameTopK(index, query, k)),
        { numRuns: 3000, seed: 20261124 },
      );
    });

    it('falls back to MiniSearch for more distinct terms than its mask holds, with the same results', () => {
      const many: QueryNode = { combineWith: 'OR', queries: terms.slice(0, 40) };
      expectSameTopK(index, many, 10);
    });

    it('follows the index through changes: a removed article stops matching, a new one starts', () => {
      const small = buildIndex(generatedArticles(50, 3));
      const t = termsByFrequency(small)[0]!;
      const before = small.top(t, 1000).total;
      const victim = small.top(t, 1).matches[0]!.doc.articleId;
      const lost = small.getArticle(victim)!.paragraphs.filter((p) => small.analyzer.indexTerms(p).includes(t)).length;
      small.removeArticle(victim);
      expect(small.top(t, 1000).total).toBe(before - lost);
      expectSameTopK(small, t, 20);
    });
  });

  describe('on real Dutch text (../shared/ud-dutch)', () => {
    const articles = udArticles('the query-engine equivalence test on real text');
    it.skipIf(articles.length === 0)('equals MiniSearch on 1,000 random query trees', () => {
      const index = changedIndex(articles);
      const terms = termsByFrequency(index);
      fc.assert(
        fc.property(queryArbitrary(terms), fc.integer({ min: 1, max: 40 }), (query, k) => expectSameTopK(index, query, k)),
        { numRuns: 1000, seed: 11 },
      );
    });
  });
});
