import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateRange, type Article } from '../../src/articles/article.js';
import { monthOrdinal, NO_MONTH, UNDATED } from '../../src/index/doc-values.js';
import { ArticleGroups, BEST_PER_ARTICLE, Counter, DateFilter, MonthCounts, TopDocs, type DayRange, type RankedDoc, type SortOrder } from '../../src/query/collectors.js';
import type { Collector } from '../../src/query/engine.js';
import { engineFor } from '../../src/query/engine.js';
import { compareParagraphIds } from '../../src/paragraphs/paragraphs.js';
import { buildIndex } from '../helpers/corpus.js';

const TEXTS = [
  'De NAVO-top in Den Haag begint vandaag.',
  'Rutte spreekt over de steun aan Oekraïne.',
  'Het kabinet bespreekt de begroting.',
  'Poetin en Trump voerden gesprekken.',
  'Brussel wil meer geld voor defensie.',
  'De Europese Unie reageert verdeeld.',
];
const article = (id: string, date: string | null, paragraphs: number): Article => ({
  id,
  title: id,
  date,
  source: null,
  url: null,
  paragraphs: Array.from({ length: paragraphs }, (_, i) => `${TEXTS[i % TEXTS.length]} Alinea ${i + 1}.`),
});

/**
 * Articles whose ids and dates make the tie-breaks matter: twelve paragraphs (`a#2` before `a#10`), ids that
 * are prefixes of others (`nieuws`, `nieuws-2`), several articles on one first day (`2025-05-19`, and
 * `2025-05` starting on the day `2025-05-01` names), whole years, and undated ones.
 */
const ARTICLES = [
  article('a', '2025-05-19', 12),
  article('a-b', '2025-05-19', 2),
  article('b', '2025-05', 4),
  article('c', '2025', 3),
  article('d', null, 5),
  article('e', null, 1),
  article('f', '2024-12-31', 2),
  article('g', '2025-05-01', 3),
  article('h', '2025-06', 1),
  article('nieuws', '2025-05-20', 4),
  article('nieuws-2', '2025-05-20', 2),
  article('z', '1999', 2),
];
const index = buildIndex(ARTICLES);
const values = index.docValues;
const idOf = (doc: number) => engineFor(index).view.documentIds.get(doc)!;

interface Para {
  id: string;
  doc: number;
  article: Article;
  ordinal: number;
  first: number;
  last: number;
}
const PARAS: Para[] = ARTICLES.flatMap((a) =>
  a.paragraphs.map((_, i) => {
    const doc = index.shortIdOf(`${a.id}#${i + 1}`)!;
    const range = a.date === null ? null : dateRange(a.date);
    return { id: `${a.id}#${i + 1}`, doc, article: a, ordinal: values.articleOf(doc), first: range?.first ?? UNDATED, last: range?.last ?? UNDATED };
  }),
);
const para = (id: string) => PARAS.find((p) => p.id === id)!;

interface Hit {
  p: Para;
  score: number;
}

/** Distinct paragraphs in a random order, each with a score; equal scores are common on purpose. */
const hitsArbitrary: fc.Arbitrary<Hit[]> = fc
  .array(fc.record({ i: fc.nat({ max: PARAS.length - 1 }), score: fc.oneof(fc.constantFrom(1, 2, 2.5, 7), fc.double({ min: 0.001, max: 100, noNaN: true })) }), {
    maxLength: 60,
  })
  .map((list) => {
    const seen = new Set<number>();
    return list.filter(({ i }) => !seen.has(i) && seen.add(i) !== undefined).map(({ i, score }) => ({ p: PARAS[i]!, score }));
  });

/** Receives what a collector passes on. */
class Recorder implements Collector {
  readonly got: RankedDoc[] = [];
  collect(doc: number, score: number): void {
    this.got.push({ doc, score });
  }
}

function feed(collector: Collector, hits: Hit[]): void {
  for (const h of hits) collector.collect(h.p.doc, h.score);
}

/** The oracle orders, as the collectors document them. */
const byRelevance = (x: Hit, y: Hit) => y.score - x.score || compareParagraphIds(x.p.id, y.p.id);
const byDate = (x: Hit, y: Hit) => (x.p.first !== y.p.first ? (y.p.first > x.p.first ? 1 : -1) : byRelevance(x, y));
const ranked = (hits: Hit[]) => hits.map((h) => ({ doc: h.p.doc, score: h.score }));

interface Group {
  article: Article;
  ordinal: number;
  first: number;
  matching: number;
  best: Hit[];
}

function groupsOf(hits: Hit[], order: SortOrder): Group[] {
  const byArticle = new Map<string, Hit[]>();
  for (const h of hits) byArticle.set(h.p.article.id, [...(byArticle.get(h.p.article.id) ?? []), h]);
  const groups = [...byArticle.values()].map((list) => ({
    article: list[0]!.p.article,
    ordinal: list[0]!.p.ordinal,
    first: list[0]!.p.first,
    matching: list.length,
    best: [...list].sort(byRelevance).slice(0, BEST_PER_ARTICLE),
  }));
  return groups.sort(
    (x, y) =>
      (order === 'date' && x.first !== y.first ? (y.first > x.first ? 1 : -1) : 0) ||
      y.best[0]!.score - x.best[0]!.score ||
      y.matching - x.matching ||
      (x.article.id < y.article.id ? -1 : 1),
  );
}
const groupView = (g: Group) => ({ article: g.ordinal, matching: g.matching, best: ranked(g.best) });

/** Day numbers around the corpus's dates: each first and last day, and the days either side. */
const DAYS = [...new Set(PARAS.filter((p) => p.first !== UNDATED).flatMap((p) => [p.first - 1, p.first, p.first + 1, p.last - 1, p.last, p.last + 1]))];
const dayArbitrary = fc.option(fc.oneof(fc.constantFrom(...DAYS), fc.integer({ min: dateRange('1998').first, max: dateRange('2026').last })), { nil: null, freq: 4 });

describe('collectors', () => {
  it('has a corpus with one short id and one article ordinal per paragraph', () => {
    expect(new Set(PARAS.map((p) => p.doc)).size).toBe(PARAS.length);
    for (const p of PARAS) {
      expect(idOf(p.doc)).toBe(p.id);
      expect(values.articleId(p.ordinal)).toBe(p.article.id);
    }
  });

  describe('Counter', () => {
    it('counts every match and passes each on unchanged', () => {
      fc.assert(
        fc.property(hitsArbitrary, (hits) => {
          const recorder = new Recorder();
          const counter = new Counter(recorder);
          feed(counter, hits);
          expect(counter.count).toBe(hits.length);
          expect(recorder.got).toEqual(ranked(hits));
          const alone = new Counter();
          feed(alone, hits);
          expect(alone.count).toBe(hits.length);
        }),
        { numRuns: 100, seed: 1 },
      );
    });
  });

  describe('TopDocs', () => {
    it('keeps exactly the best k by relevance: score, then paragraph order', () => {
      fc.assert(
        fc.property(hitsArbitrary, fc.nat({ max: 70 }), (hits, k) => {
          const top = new TopDocs(k, idOf);
          feed(top, hits);
          expect(top.total).toBe(hits.length);
          expect(top.sorted()).toEqual(ranked([...hits].sort(byRelevance).slice(0, k)));
        }),
        { numRuns: 400, seed: 2 },
      );
    });

    it('keeps exactly the best k by date: newest first day, then score, then paragraph order; undated last', () => {
      fc.assert(
        fc.property(hitsArbitrary, fc.nat({ max: 70 }), (hits, k) => {
          const top = new TopDocs(k, idOf, 'date', values);
          feed(top, hits);
          expect(top.total).toBe(hits.length);
          expect(top.sorted()).toEqual(ranked([...hits].sort(byDate).slice(0, k)));
        }),
        { numRuns: 400, seed: 3 },
      );
    });

    it('breaks equal scores by paragraph number, not by the text of the id', () => {
      const top = new TopDocs(3, idOf);
      for (const id of ['a#10', 'a#2', 'a-b#1', 'a#1']) top.collect(para(id).doc, 1);
      expect(top.sorted().map((r) => idOf(r.doc))).toEqual(['a#1', 'a#2', 'a#10']);
    });

    it('puts the newest article first by date, equal first days by score, and undated articles last', () => {
      const top = new TopDocs(10, idOf, 'date', values);
      top.collect(para('d#1').doc, 100);
      top.collect(para('z#1').doc, 50);
      top.collect(para('b#1').doc, 1);
      top.collect(para('g#1').doc, 3);
      top.collect(para('h#1').doc, 0.5);
      top.collect(para('c#1').doc, 9);
      // `2025-06` (June 1st), then May 1st (`g` 3 before `b` 1: the month starts that day), then `2025` (January 1st).
      expect(top.sorted().map((r) => idOf(r.doc))).toEqual(['h#1', 'g#1', 'b#1', 'c#1', 'z#1', 'd#1']);
    });

    it('counts matches but keeps none when k is 0', () => {
      const top = new TopDocs(0, idOf);
      top.collect(para('a#1').doc, 1);
      top.collect(para('b#1').doc, 2);
      expect(top.total).toBe(2);
      expect(top.sorted()).toEqual([]);
    });

    it('refuses to order by date without the index values', () => {
      expect(() => new TopDocs(5, idOf, 'date')).toThrow('TopDocs: ordering by date needs the index values');
    });
  });

  describe('ArticleGroups', () => {
    it('refuses to go on once another grouping over the same index has started (they share one scratch area)', () => {
      const first = new ArticleGroups(values, idOf);
      first.collect(index.shortIdOf(PARAS[0]!.id)!, 1);
      const second = new ArticleGroups(values, idOf);
      expect(() => first.collect(index.shortIdOf(PARAS[1]!.id)!, 1)).toThrow('ArticleGroups: another grouping over this index started since');
      expect(() => first.page(0, 10, 'relevance')).toThrow('another grouping');
      second.collect(index.shortIdOf(PARAS[1]!.id)!, 1);
      expect(second.total).toBe(1);
    });

    it('groups by article: each article once, its matching count and its best 3 paragraphs', () => {
      fc.assert(
        fc.property(hitsArbitrary, fc.constantFrom<SortOrder>('relevance', 'date'), (hits, order) => {
          const groups = new ArticleGroups(values, idOf);
          feed(groups, hits);
          const expected = groupsOf(hits, order);
          expect(groups.total).toBe(expected.length);
          expect(groups.page(0, expected.length + 5, order)).toEqual(expected.map(groupView));
          const visited: number[] = [];
          groups.forEachArticle((a) => visited.push(a));
          expect(visited.sort((x, y) => x - y)).toEqual(expected.map((g) => g.ordinal).sort((x, y) => x - y));
        }),
        { numRuns: 400, seed: 4 },
      );
    });

    it('pages stably: every page is its slice of the whole order, and pages add up to it', () => {
      fc.assert(
        fc.property(hitsArbitrary, fc.constantFrom<SortOrder>('relevance', 'date'), fc.integer({ min: 1, max: 5 }), fc.nat({ max: 15 }), (hits, order, size, offset) => {
          const groups = new ArticleGroups(values, idOf);
          feed(groups, hits);
          const all = groupsOf(hits, order).map(groupView);
          expect(groups.page(offset, size, order)).toEqual(all.slice(offset, offset + size));
          const pages: unknown[] = [];
          for (let o = 0; o < all.length; o += size) pages.push(...groups.page(o, size, order));
          expect(pages).toEqual(all);
          expect(groups.page(all.length, size, order)).toEqual([]);
          expect(groups.page(offset, 0, order)).toEqual([]);
          // Asking for pages changes nothing: the whole order is still the same.
          expect(groups.page(0, all.length, order)).toEqual(all);
        }),
        { numRuns: 300, seed: 5 },
      );
    });

    it('starts each new collector afresh over the same index values', () => {
      fc.assert(
        fc.property(hitsArbitrary, hitsArbitrary, (first, second) => {
          const one = new ArticleGroups(values, idOf);
          feed(one, first);
          expect(one.page(0, 100, 'relevance')).toEqual(groupsOf(first, 'relevance').map(groupView));
          const two = new ArticleGroups(values, idOf);
          feed(two, second);
          expect(two.total).toBe(groupsOf(second, 'relevance').length);
          expect(two.page(0, 100, 'relevance')).toEqual(groupsOf(second, 'relevance').map(groupView));
        }),
        { numRuns: 200, seed: 6 },
      );
    });

    it('ranks by best score, then by more matching paragraphs, then by article id', () => {
      const groups = new ArticleGroups(values, idOf);
      groups.collect(para('b#1').doc, 5);
      groups.collect(para('c#1').doc, 5);
      groups.collect(para('c#2').doc, 1);
      groups.collect(para('a#1').doc, 5);
      groups.collect(para('f#1').doc, 9);
      groups.collect(para('a-b#1').doc, 5);
      const page = groups.page(0, 10, 'relevance');
      expect(page.map((g) => values.articleId(g.article))).toEqual(['f', 'c', 'a', 'a-b', 'b']);
      expect(page[1]).toEqual({ article: para('c#1').ordinal, matching: 2, best: [{ doc: para('c#1').doc, score: 5 }, { doc: para('c#2').doc, score: 1 }] });
      // By date: May 19th (`a`, `a-b`), May 1st (`b`), January 1st (`c`), then `f` from 2024.
      expect(groups.page(0, 10, 'date').map((g) => values.articleId(g.article))).toEqual(['a', 'a-b', 'b', 'c', 'f']);
    });

    it('keeps an article’s best three paragraphs, equal scores in paragraph order', () => {
      const groups = new ArticleGroups(values, idOf);
      for (const [id, score] of [['a#10', 2], ['a#3', 1], ['a#2', 2], ['a#11', 4], ['a#1', 1], ['a#12', 2]] as const) groups.collect(para(id).doc, score);
      const [group] = groups.page(0, 1, 'relevance');
      expect(group!.matching).toBe(6);
      expect(group!.best.map((r) => idOf(r.doc))).toEqual(['a#11', 'a#2', 'a#10']);
    });
  });

  describe('DateFilter', () => {
    it('passes on only articles whose whole date lies in the range, and counts the undated', () => {
      fc.assert(
        fc.property(hitsArbitrary, dayArbitrary, dayArbitrary, (hits, first, last) => {
          const range: DayRange = { first, last };
          const recorder = new Recorder();
          const filter = new DateFilter(range, values, recorder);
          feed(filter, hits);
          const undated = hits.filter((h) => h.p.first === UNDATED);
          const kept = hits.filter((h) => h.p.first !== UNDATED && (first === null || h.p.first >= first) && (last === null || h.p.last <= last));
          expect(recorder.got).toEqual(ranked(kept));
          expect(filter.undatedParagraphs).toBe(undated.length);
          expect(filter.undatedArticles).toBe(new Set(undated.map((h) => h.p.article.id)).size);
        }),
        { numRuns: 400, seed: 7 },
      );
    });

    it('treats `2025-05` as all of May and `2025` as the whole year', () => {
      const may = dateRange('2025-05');
      const run = (range: DayRange) => {
        const recorder = new Recorder();
        const filter = new DateFilter(range, values, recorder);
        for (const id of ['a#1', 'b#1', 'c#1', 'd#1', 'e#1', 'g#1', 'h#1', 'f#1']) filter.collect(para(id).doc, 1);
        return { ids: recorder.got.map((r) => idOf(r.doc)), undated: [filter.undatedParagraphs, filter.undatedArticles] };
      };
      expect(run({ first: may.first, last: may.last })).toEqual({ ids: ['a#1', 'b#1', 'g#1'], undated: [2, 2] });
      // From May 2nd: `b` names all of May, so it is no longer vouched for.
      expect(run({ first: may.first + 1, last: may.last }).ids).toEqual(['a#1']);
      expect(run({ first: null, last: dateRange('2025-05-19').last }).ids).toEqual(['a#1', 'g#1', 'f#1']);
      expect(run({ first: dateRange('2025').first, last: dateRange('2025').last }).ids).toEqual(['a#1', 'b#1', 'c#1', 'g#1', 'h#1']);
      expect(run({ first: null, last: null }).ids).toEqual(['a#1', 'b#1', 'c#1', 'g#1', 'h#1', 'f#1']);
    });
  });

  describe('MonthCounts', () => {
    it('counts matches by their article’s month, the rest as without a month, and passes each on', () => {
      fc.assert(
        fc.property(hitsArbitrary, (hits) => {
          const recorder = new Recorder();
          const months = new MonthCounts(values, recorder);
          feed(months, hits);
          const expected = new Map<number, number>();
          let without = 0;
          for (const h of hits) {
            const date = h.p.article.date;
            if (date === null || date.length < 7) without++;
            else expected.set(monthOrdinal(date), (expected.get(monthOrdinal(date)) ?? 0) + 1);
          }
          expect(new Map([...months.counts].sort((x, y) => x[0] - y[0]))).toEqual(new Map([...expected].sort((x, y) => x[0] - y[0])));
          expect(months.withoutMonth).toBe(without);
          expect(recorder.got).toEqual(ranked(hits));
        }),
        { numRuns: 200, seed: 8 },
      );
    });

    it('counts units handed to it directly, as grouped facets do', () => {
      const months = new MonthCounts(values, new Recorder());
      months.count(monthOrdinal('2025-05'));
      months.count(monthOrdinal('2025-05'));
      months.count(NO_MONTH);
      months.count(monthOrdinal('2024-12'));
      expect([...months.counts].sort((x, y) => x[0] - y[0])).toEqual([
        [monthOrdinal('2024-12'), 1],
        [monthOrdinal('2025-05'), 2],
      ]);
      expect(months.withoutMonth).toBe(1);
    });
  });

  describe('a chain of collectors', () => {
    it('filters, counts months and keeps the top k together, as a search runs them', () => {
      fc.assert(
        fc.property(hitsArbitrary, dayArbitrary, dayArbitrary, fc.nat({ max: 20 }), (hits, first, last, k) => {
          const top = new TopDocs(k, idOf, 'date', values);
          const counter = new Counter(top);
          const months = new MonthCounts(values, counter);
          const filter = new DateFilter({ first, last }, values, months);
          feed(filter, hits);
          const kept = hits.filter((h) => h.p.first !== UNDATED && (first === null || h.p.first >= first) && (last === null || h.p.last <= last));
          expect(counter.count).toBe(kept.length);
          expect(top.total).toBe(kept.length);
          expect(months.withoutMonth + [...months.counts.values()].reduce((s, n) => s + n, 0)).toBe(kept.length);
          expect(top.sorted()).toEqual(ranked([...kept].sort(byDate).slice(0, k)));
        }),
        { numRuns: 200, seed: 9 },
      );
    });
  });
});
