import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import type { CompactPostings } from '../../src/index/compact-postings.js';
import { TEXT_FIELD, type SearchIndex } from '../../src/index/search-index.js';
import { analyzeQuery } from '../../src/query/analyze.js';
import { ArticleGroups, DateFilter, TopDocs, type RankedDoc, type SortOrder } from '../../src/query/collectors.js';
import { engineFor, WORD_DENSITY, type Collector } from '../../src/query/engine.js';
import { relaxTypos } from '../../src/query/rewrite.js';
import { parseSyntax } from '../../src/query/syntax.js';
import { q, type Query } from '../../src/query/tree.js';
import { compareParagraphIds } from '../../src/paragraphs/paragraphs.js';
import { dayRange, Searcher } from '../../src/search/search.js';
import { buildIndex, fixtureArticles } from '../helpers/corpus.js';
import { prng } from '../helpers/random.js';

const WORDS = [...new Set(fixtureArticles().flatMap((a) => a.paragraphs.join(' ').match(/\p{L}[\p{L}'-]*/gu) ?? []))].sort();

/**
 * Paragraphs of words drawn Zipf-like from the fixtures' vocabulary, of very different lengths (so block
 * maxima differ from block to block), a third of the articles undated, the rest spread over three years.
 */
function datedArticles(count: number, seed: number): Article[] {
  const random = prng(seed);
  const pick = () => WORDS[Math.floor(WORDS.length * random() ** 3)]!;
  return Array.from({ length: count }, (_, a) => {
    const paragraphs = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
      const length = 2 + Math.floor(random() ** 2 * 40);
      return Array.from({ length }, pick).join(' ') + '.';
    });
    const day = Math.floor(random() * 1000);
    const date = random() < 0.33 ? null : new Date(Date.UTC(2023, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    return { id: `gen-${String(a).padStart(4, '0')}`, title: `Artikel ${a}`, date, source: null, url: null, paragraphs };
  });
}

/** The query tree of a query as typed, as the searcher makes it. */
function parse(index: SearchIndex, text: string): Query | null {
  const syntax = parseSyntax(text);
  const analyzed = analyzeQuery(text, syntax, index.analyzer);
  if (analyzed.query === null) return null;
  return relaxTypos(analyzed.query, { documentFrequency: (term) => index.documentFrequency(term) }).query;
}

interface Run {
  top: RankedDoc[];
  total: number;
  skipped: boolean;
  stats: ReturnType<typeof engineFor>['compile'] extends (q: Query) => infer C ? (C extends { lastRun: infer S } ? S : never) : never;
}

/**
 * Runs a query into a top k. `exactUpTo` null: the exhaustive evaluation (the collector is wrapped, so the
 * engine cannot see a top k to prune for); otherwise pruned once that many matches are counted.
 */
function run(index: SearchIndex, query: Query, k: number, exactUpTo: number | null, order: SortOrder = 'relevance', range: { from: string | null; to: string | null } | null = null): Run {
  const engine = engineFor(index);
  const compiled = engine.compile(query);
  const idOf = (doc: number) => engine.view.documentIds.get(doc)!;
  const top = new TopDocs(k, idOf, order, index.docValues);
  let head: Collector = top;
  if (exactUpTo === null) head = { collect: (doc, score) => top.collect(doc, score) };
  else top.exactUpTo = exactUpTo;
  const days = range === null ? null : dayRange(range.from, range.to);
  if (days !== null) head = new DateFilter(days, index.docValues, head);
  compiled.run(head);
  return { top: top.sorted(), total: top.total, skipped: top.skipped, stats: compiled.lastRun };
}

/**
 * The same ranking: the same paragraphs in the same order, with the same scores up to rounding (a clause's
 * score may be summed in another grouping when it is probed rather than walked, by either evaluation).
 */
function expectSameTop(actual: RankedDoc[], expected: RankedDoc[]): void {
  expect(actual.map((r) => r.doc)).toEqual(expected.map((r) => r.doc));
  actual.forEach((r, i) => expect(Math.abs(r.score - expected[i]!.score)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(r.score))));
}

/** Index terms by document frequency, most frequent first. */
function frequentTerms(index: SearchIndex): string[] {
  const view = engineFor(index).view;
  const all: Array<[string, number]> = [];
  for (const word of WORDS) {
    const term = index.analyzer.indexTerms(word)[0];
    if (term === undefined) continue;
    const df = view.terms.get(term)?.get(TEXT_FIELD)?.size ?? 0;
    if (df > 0) all.push([word, df]);
  }
  return [...new Map(all)].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
}

describe('pruning', () => {
  const index = buildIndex(datedArticles(2500, 11));
  const words = frequentTerms(index);
  const frequent = words.slice(0, 12);
  const common = words.slice(0, 80);

  it('skips blocks of a frequent word once the top k is full, and still counts its matches exactly (its postings are its matches)', () => {
    const query = parse(index, frequent[0]!)!;
    const exhaustive = run(index, query, 10, null);
    // Dense enough for its bitset: its top tier is read, the rest counted unread.
    const tiered = run(index, query, 10, 10_000);
    expectSameTop(tiered.top, exhaustive.top);
    expect(tiered).toMatchObject({ total: exhaustive.total, skipped: false });
    expect(tiered.stats!.candidates + tiered.stats!.skippedDocs).toBe(exhaustive.total);
    // A lone word's tier is cut to about 4 × k of each list's best: far fewer than its 1/32.
    expect(tiered.stats!.candidates).toBeLessThan(exhaustive.total / 10);
    // Without bitsets, its own loop over its postings, skipping blocks.
    const engine = engineFor(index);
    engine.bitsetDensity = 0;
    onTestFinished(() => {
      engine.bitsetDensity = WORD_DENSITY;
    });
    const pruned = run(index, query, 10, 10_000);
    expectSameTop(pruned.top, exhaustive.top);
    expect(pruned.stats!.skippedBlocks).toBeGreaterThan(0);
    expect(pruned.stats!.candidates).toBeLessThan(exhaustive.total / 2);
    expect(pruned).toMatchObject({ total: exhaustive.total, skipped: false });
    // Behind a date filter the matches are not known in advance: counted up to the bound, then skipped.
    const range = { from: '2023-06', to: null };
    const filtered = run(index, query, 10, null, 'relevance', range);
    const prunedFiltered = run(index, query, 10, 100, 'relevance', range);
    expectSameTop(prunedFiltered.top, filtered.top);
    expect(prunedFiltered.skipped).toBe(true);
    expect(prunedFiltered.total).toBeGreaterThanOrEqual(100);
    expect(prunedFiltered.total).toBeLessThan(filtered.total);
  });

  it('intersects plain words as bitsets: every match counted exactly, those outside every top tier mostly never read', () => {
    const query = parse(index, `${frequent[0]} ${frequent[1]}`)!;
    const exhaustive = run(index, query, 10, null);
    const fast = run(index, query, 10, 0);
    expectSameTop(fast.top, exhaustive.top);
    expect(fast).toMatchObject({ total: exhaustive.total, skipped: false });
    // Every match is either read (a candidate) or ruled out by the rest maxima without being read.
    expect(fast.stats!.candidates + fast.stats!.skippedDocs).toBe(exhaustive.total);
    expect(fast.stats!.candidates).toBeLessThan(exhaustive.total / 3);
    // Behind a date filter each match must be checked: all are candidates, and the block bounds prune.
    const range = { from: '2023-06', to: null };
    const filtered = run(index, query, 10, 0, 'relevance', range);
    expectSameTop(filtered.top, run(index, query, 10, null, 'relevance', range).top);
    expect(filtered.stats!.candidates).toBe(exhaustive.total);
    expect(filtered.stats!.passed).toBeGreaterThan(0);
  });

  it('gives a wrong top k when the rest maxima are broken (so the tests above would catch a bad tier bound)', () => {
    const fresh = buildIndex(datedArticles(2500, 11));
    const query = parse(fresh, `${frequent[0]} ${frequent[1]}`)!;
    const exhaustive = run(fresh, query, 10, null);
    const engine = engineFor(fresh);
    // Tiers emptied and rest maxima a third too low: once the first k fill the top, better matches are skipped.
    for (const word of [frequent[0]!, frequent[1]!]) {
      const postings = engine.view.terms.get(fresh.analyzer.indexTerms(word)[0]!)!.get(TEXT_FIELD)!;
      const maxima = engine.blockMaxima(postings, TEXT_FIELD);
      maxima.topCount = 0;
      maxima.restMax /= 3;
    }
    const broken = run(fresh, query, 10, 0);
    expect(broken.total).toBe(exhaustive.total); // the count does not depend on the bounds
    expect(broken.top).not.toEqual(exhaustive.top);
  });

  it('gives a wrong top k for a lone word when its cut tier is broken (so the engine is held to the cut bounds)', () => {
    const fresh = buildIndex(datedArticles(2500, 11));
    const query = parse(fresh, frequent[0]!)!;
    const exhaustive = run(fresh, query, 10, null);
    const engine = engineFor(fresh);
    const postings = engine.view.terms.get(fresh.analyzer.indexTerms(frequent[0]!)[0]!)!.get(TEXT_FIELD)!;
    // Nothing above the cut and a bound of 0 for the rest: the first k fill the top, better ones are skipped.
    engine.blockMaxima(postings, TEXT_FIELD).cut = () => ({ floor: Infinity, rest: 0 });
    const broken = run(fresh, query, 10, 0);
    expect(broken.total).toBe(exhaustive.total);
    expect(broken.top).not.toEqual(exhaustive.top);
  });

  it('evaluates a lone word of several forms (an OR of exact terms) as a conjunction of one word', () => {
    const term = (word: string) => q.term(index.analyzer.indexTerms(word)[0]!);
    const query = q.or([term(frequent[0]!), term(frequent[2]!)])!;
    const exhaustive = run(index, query, 10, null);
    const fast = run(index, query, 10, 0);
    expectSameTop(fast.top, exhaustive.top);
    expect(fast).toMatchObject({ total: exhaustive.total, skipped: false });
    expect(fast.stats!.candidates).toBeLessThan(exhaustive.total / 3);
  });

  it('intersects a word of several terms (an OR of its forms) as bitsets too, each term found counting in the quality', () => {
    const term = (word: string) => q.term(index.analyzer.indexTerms(word)[0]!);
    // `gaat` is gaat or gaan: a word whose forms have different terms is an OR of exact terms.
    const query = q.and([q.or([term(frequent[0]!), term(frequent[3]!)])!, term(frequent[1]!)])!;
    const exhaustive = run(index, query, 10, null);
    const fast = run(index, query, 10, 0);
    expectSameTop(fast.top, exhaustive.top);
    expect(fast).toMatchObject({ total: exhaustive.total, skipped: false });
    expect(fast.stats!.candidates + fast.stats!.skippedDocs).toBe(exhaustive.total);
    expect(fast.stats!.candidates).toBeLessThan(exhaustive.total / 2);
    // Some paragraphs hold both forms: their quality is one more, as in the exhaustive evaluation.
    const both = run(index, q.and([term(frequent[0]!), term(frequent[3]!), term(frequent[1]!)])!, 10, null);
    expect(both.total).toBeGreaterThan(0);
  });

  it('walks sparser words by cursors: counts the matches of an AND exactly up to the bound, then skips what cannot get in (the total a lower bound)', () => {
    const engine = engineFor(index);
    engine.bitsetDensity = 0;
    onTestFinished(() => {
      engine.bitsetDensity = WORD_DENSITY;
    });
    const query = parse(index, `${frequent[0]} ${frequent[1]}`)!;
    const exhaustive = run(index, query, 10, null);
    expect(exhaustive.total).toBeGreaterThan(200);
    const pruned = run(index, query, 10, 0);
    expectSameTop(pruned.top, exhaustive.top);
    expect(pruned.stats!.skippedBlocks).toBeGreaterThan(0);
    expect(pruned.skipped).toBe(true);
    expect(pruned.total).toBeLessThan(exhaustive.total);
    // With a bound above the matches, nothing is skipped.
    const counted = run(index, query, 10, exhaustive.total + 1);
    expect(counted).toMatchObject({ total: exhaustive.total, skipped: false });
    expectSameTop(counted.top, exhaustive.top);
    const partly = run(index, query, 10, 100);
    expect(partly.total).toBeGreaterThanOrEqual(100);
    expect(partly.total).toBeLessThan(exhaustive.total);
    expectSameTop(partly.top, exhaustive.top);
  });

  it('gives a wrong top k when the block maxima are broken (so the test above would catch a bad bound)', () => {
    const fresh = buildIndex(datedArticles(2500, 11));
    const query = parse(fresh, frequent[0]!)!;
    const exhaustive = run(fresh, query, 10, null);
    const engine = engineFor(fresh);
    const term = fresh.analyzer.indexTerms(frequent[0]!)[0]!;
    const postings = engine.view.terms.get(term)!.get(TEXT_FIELD)!;
    const maxima = engine.blockMaxima(postings, TEXT_FIELD);
    // Bounds a fifth too low in every block after the first: the floor set by the first block skips the rest.
    for (let b = 1; b < maxima.blocks; b++) maxima.maxima[b] = maxima.maxima[b]! * 0.8;
    engine.bitsetDensity = 0; // its own loop over its postings, which the block maxima prune
    onTestFinished(() => {
      engine.bitsetDensity = WORD_DENSITY;
    });
    const broken = run(fresh, query, 10, 0);
    expect(broken.top).not.toEqual(exhaustive.top);
  });

  it('equals the exhaustive evaluation on random queries (words, phrases, exclusions, OR, prefixes, typos), by relevance and by date, with and without a date filter', () => {
    const word = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...frequent) }, { weight: 2, arbitrary: fc.constantFrom(...common) });
    const part = fc.oneof(
      { weight: 6, arbitrary: word },
      { weight: 2, arbitrary: fc.tuple(word, word).map(([a, b]) => `"${a} ${b}"`) },
      { weight: 1, arbitrary: word.map((w) => `-${w}`) },
      { weight: 1, arbitrary: fc.tuple(word, word).map(([a, b]) => `(${a} OF ${b})`) },
      { weight: 1, arbitrary: word.filter((w) => w.length >= 5).map((w) => `${w.slice(0, 4)}*`) },
      { weight: 1, arbitrary: word.filter((w) => w.length >= 5).map((w) => `${w.slice(0, -1)}q`) },
    );
    const ranges = fc.constantFrom(null, { from: '2023-06', to: null }, { from: null, to: '2024-03-15' }, { from: '2023-09-01', to: '2024-12' });
    let pruned = 0;
    let walked = 0;
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom<SortOrder>('relevance', 'date'), ranges, fc.constantFrom(0, 20, 200), (parts, k, order, range, exactUpTo) => {
        let query: Query | null;
        try {
          query = parse(index, parts.join(' '));
        } catch {
          return; // a query of only exclusions, say: the searcher refuses it before the engine
        }
        if (query === null) return;
        let exhaustive: Run;
        try {
          exhaustive = run(index, query, k, null, order, range);
        } catch {
          return; // a query the engine refuses (too many expansions): refused either way
        }
        // Half the runs with the cursors only: both ways of intersecting words are held to the exhaustive one.
        const engine = engineFor(index);
        engine.bitsetDensity = k % 2 === 0 ? WORD_DENSITY : 0;
        const fast = run(index, query, k, exactUpTo, order, range);
        engine.bitsetDensity = WORD_DENSITY;
        expectSameTop(fast.top, exhaustive.top);
        if (!fast.skipped) expect(fast.total).toBe(exhaustive.total);
        else {
          expect(fast.total).toBeGreaterThanOrEqual(Math.min(exactUpTo, exhaustive.total));
          expect(fast.total).toBeLessThanOrEqual(exhaustive.total);
        }
        if (fast.skipped) pruned++;
        if (fast.stats !== null) walked++;
      }),
      { numRuns: 1500, seed: 20261201 },
    );
    // The property is about pruned runs: enough of them must have skipped something.
    expect(pruned).toBeGreaterThan(200);
    expect(walked).toBeGreaterThan(750);
  });

  it('skips by date without scoring: newest first, an older article than the worst kept is never scored', () => {
    const query = parse(index, frequent[1]!)!;
    const exhaustive = run(index, query, 10, null, 'date');
    const pruned = run(index, query, 10, 0, 'date');
    expectSameTop(pruned.top, exhaustive.top);
    expect(pruned.stats!.skippedDocs).toBeGreaterThan(0);
    expect(pruned.total).toBe(exhaustive.total);
  });

  it('keeps the top k exact as the index changes: appended postings patch the maxima, moved ones rebuild them', () => {
    const changing = buildIndex(datedArticles(1500, 12));
    const engine = engineFor(changing);
    const query = parse(changing, frequent[0]!)!;
    const check = () => expectSameTop(run(changing, query, 10, 0).top, run(changing, query, 10, null).top);
    check();
    const built = engine.maximaBuilt;
    // A paragraph saying only the word, forty times, scores highest: found although its block is new.
    changing.addArticle({ id: 'zzz-kort', title: 'Kort', date: '2026-01-01', source: null, url: null, paragraphs: [Array(40).fill(frequent[0]).join(' ') + '.'] });
    const best = run(changing, query, 1, 0).top[0]!;
    expect(engine.view.documentIds.get(best.doc)).toBe('zzz-kort#1');
    check();
    expect(engine.maximaBuilt).toBe(built); // patched, not built again
    // Removing many articles compacts the lists (slots move): built again, still exact.
    const random = prng(3);
    for (let a = 0; a < 1500; a++) if (random() < 0.4) changing.removeArticle(`gen-${String(a).padStart(4, '0')}`);
    check();
    expect(engine.maximaBuilt).toBeGreaterThan(built);
    changing.removeArticle('zzz-kort');
    check();
  });

  it('leaves a list of removed postings only: a cursor steps over tombstones', () => {
    const small = buildIndex(datedArticles(300, 13));
    const query = parse(small, frequent[0]!)!;
    const term = small.analyzer.indexTerms(frequent[0]!)[0]!;
    const postings = engineFor(small).view.terms.get(term)!.get(TEXT_FIELD) as CompactPostings;
    expect(postings.size).toBeGreaterThan(10);
    check(small, query);
    for (const article of [...small.allArticles()].slice(0, 40)) small.removeArticle(article.id);
    check(small, query);

    function check(i: SearchIndex, q: Query) {
      expectSameTop(run(i, q, 5, 0).top, run(i, q, 5, null).top);
    }
  });

  it('groups by article and counts months like the exhaustive evaluation, scoring only what can reach the page', () => {
    const searcher = new Searcher(index);
    // This index is small: let every lead be walked document at a time (the service does so from 16,384 postings).
    engineFor(index).minLeadForCounting = 0;
    const queries = [frequent[0]!, `${frequent[0]} ${frequent[1]}`, `${frequent[2]} -${frequent[3]}`, `"${frequent[0]} ${frequent[1]}"`, `${frequent[1]} (${frequent[4]} OF ${frequent[5]})`];
    let passed = 0;
    for (const text of queries) {
      for (const range of [{}, { from: '2023-06', to: '2024-12' }]) {
        // Every matching paragraph, exactly: the oracle the grouped page and the months are built from.
        const all = searcher.search(text, { limit: 10_000, offset: 0, exactTotal: true, ...range });
        expect(all.totalRelation).toBe('eq');
        const byArticle = new Map<string, typeof all.hits>();
        for (const hit of all.hits) byArticle.set(hit.articleId, [...(byArticle.get(hit.articleId) ?? []), hit]);
        const expected = [...byArticle].map(([articleId, hits]) => {
          const best = [...hits].sort((a, b) => b.score - a.score || compareParagraphIds(a.id, b.id)).slice(0, 3);
          return { articleId, matching: hits.length, best: best.map((h) => h.id), score: best[0]!.score };
        });
        expected.sort((a, b) => b.score - a.score || b.matching - a.matching || (a.articleId < b.articleId ? -1 : 1));
        for (const offset of [0, 10]) {
          const grouped = searcher.search(text, { limit: 10, offset, group: 'article', facets: true, ...range });
          expect(grouped.total).toBe(byArticle.size);
          expect(grouped.paragraphTotal).toBe(all.total);
          expect(grouped.articles.map((a) => ({ articleId: a.articleId, matching: a.matchingParagraphs, best: a.paragraphs.map((p) => p.id) }))).toEqual(
            expected.slice(offset, offset + 10).map(({ articleId, matching, best }) => ({ articleId, matching, best })),
          );
        }
        // Paragraphs with month counts: every match counted by its month.
        const withMonths = searcher.search(text, { limit: 10, offset: 0, facets: true, ...range });
        expect(withMonths.hits.map((h) => h.id)).toEqual(all.hits.slice(0, 10).map((h) => h.id));
        expect(withMonths.total).toBe(all.total);
        const months = new Map<string, number>();
        for (const hit of all.hits) if (hit.date !== null && hit.date.length >= 7) months.set(hit.date.slice(0, 7), (months.get(hit.date.slice(0, 7)) ?? 0) + 1);
        expect(Object.fromEntries(withMonths.facets!.month.map((m) => [m.month, m.count]))).toEqual(Object.fromEntries(months));
      }
      const compiled = engineFor(index).compile(parse(index, text)!);
      const groups = new ArticleGroups(index.docValues, (d) => engineFor(index).view.documentIds.get(d)!, 10);
      compiled.run(groups);
      passed += groups.passed;
    }
    // Most of the matches of frequent words cannot reach a page of ten articles: they were never scored.
    expect(passed).toBeGreaterThan(1000);
  });
});
