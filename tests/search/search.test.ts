import { describe, expect, it, vi } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { engineFor, QueryEngine } from '../../src/query/engine.js';
import { QueryError } from '../../src/query/query-error.js';
import { parseSynonyms, Synonyms } from '../../src/query/synonyms.js';
import { Searcher, type ArticleResults, type ParagraphResults, type SearchOptions } from '../../src/search/search.js';
import { buildIndex, fixtureArticles, generatedArticles, seedArticle, SEED_ID } from '../helpers/corpus.js';
import { udArticles } from '../helpers/ud.js';

const seedSearcher = new Searcher(buildIndex());
const fixtureSearcher = new Searcher(buildIndex(fixtureArticles()));
/** Paragraph results (the default grouping). */
const page = (searcher: Searcher, q: string, options: SearchOptions = { limit: 10, offset: 0 }) => searcher.search(q, options) as ParagraphResults;
const seed = { search: (q: string, options?: SearchOptions) => page(seedSearcher, q, options), markArticle: seedSearcher.markArticle.bind(seedSearcher) };
const fixtures = { search: (q: string, options?: SearchOptions) => page(fixtureSearcher, q, options) };
const ids = (r: { hits: Array<{ id: string }> }) => r.hits.map((h) => h.id);
const paragraphs = (r: { hits: Array<{ paragraph: number }> }) => r.hits.map((h) => h.paragraph).sort((a, b) => a - b);
const all = { limit: 100, offset: 0 };
/** The marked spans of a hit, as text. */
const marked = (hit: { text: string; matches: Array<{ start: number; end: number }> }) => hit.matches.map((m) => hit.text.slice(m.start, m.end));

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

    it('reads a query text again when the synonyms in force change, and never lets a response change what it remembered', () => {
      const index = buildIndex();
      let synonyms = new Synonyms([], index.analyzer);
      const searcher = new Searcher(index, () => synonyms);
      const before = page(searcher, 'bondgenootschap');
      expect(before.total).toBe(0);
      synonyms = new Synonyms(parseSynonyms('bondgenootschap, NAVO').rules, index.analyzer);
      const after = page(searcher, 'bondgenootschap');
      expect(after.total).toBe(2);
      expect(after.expansions.length).toBe(1);
      // The remembered analysis is shared by later responses: its arrays are frozen, not copied.
      expect(() => (after.terms as string[]).push('x')).toThrow(TypeError);
      expect(page(searcher, 'bondgenootschap').terms).toEqual(after.terms);
      synonyms = new Synonyms([], index.analyzer);
      expect(page(searcher, 'bondgenootschap').total).toBe(0);
    });

    it('finds the one paragraph that mentions Witkoff', () => {
      const r = seed.search('Witkoff');
      expect(ids(r)).toEqual([`${SEED_ID}#6`]);
      expect(r.hits[0]!.highlight).toContain('Steven <mark>Witkoff</mark> van plan');
    });

    it('finds other inflections of an inflected query', () => {
      // `gesprekken` occurs in paragraphs 3 and 4; `gesprek` in 2, 3, 4 and 18; `telefoongesprek` (8) holds it as a part.
      const r = seed.search('gesprekken');
      expect(ids(r).sort()).toEqual([2, 3, 4, 18, 8].map((n) => `${SEED_ID}#${n}`).sort());
      expect(ids(r).at(-1)).toBe(`${SEED_ID}#8`);
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

  describe('membership bitsets reused from search to search', () => {
    it('answers exactly as with a roomy cache when every search drops and reuses bitsets: hits, marks, totals, suggestions', () => {
      const articles = generatedArticles(1500, 42);
      const roomy = new Searcher(buildIndex(articles));
      const tightIndex = buildIndex(articles);
      const tight = new Searcher(tightIndex);
      engineFor(tightIndex).maxBitsets = 1;
      const index = tightIndex;
      const counts = new Map<string, number>();
      for (const a of articles) for (const p of a.paragraphs) for (const w of new Set(p.toLowerCase().match(/\p{L}+/gu))) counts.set(w, (counts.get(w) ?? 0) + 1);
      const words = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1));
      const frequent = words.filter((w) => index.analyzer.indexTerms(w).some((t) => index.documentFrequency(t) > 1024)).slice(0, 3);
      words.splice(40);
      expect(frequent.length).toBeGreaterThanOrEqual(2);
      const built = vi.spyOn(QueryEngine.prototype, 'membership');
      // ORs of frequent words are probed through bitsets; the suggestion counts run more queries in between.
      const queries = words.flatMap((w, i) => [`${w} (${frequent[0]} OF ${frequent[1]})`, `${words[(i + 7) % words.length]} OF ${frequent[i % frequent.length]} ${w}`]);
      for (const query of queries) {
        for (const options of [{ limit: 10, offset: 0, suggest: true }, { limit: 5, offset: 0, group: 'article' as const }]) {
          expect(tight.search(query, options)).toEqual({ ...roomy.search(query, options), tookMs: expect.any(Number) });
        }
      }
      const arrays = built.mock.results.map((r) => r.value as Uint32Array);
      expect(arrays.length).toBeGreaterThan(queries.length);
      expect(new Set(arrays.filter((_a, i) => built.mock.contexts[i] === engineFor(tightIndex))).size).toBeLessThan(20);
    });
  });

  describe('the query language on the bundled article', () => {
    it('finds a phrase only where its words stand together, in order, inflections and diacritics allowed', () => {
      expect(paragraphs(seed.search('"speciale gezant"', all))).toEqual([6]);
      expect(paragraphs(seed.search('"speciale gezanten"', all))).toEqual([6]);
      expect(paragraphs(seed.search('"Poetin en Trump"', all))).toEqual([8, 9]);
      expect(paragraphs(seed.search('"Trump en Poetin"', all))).toEqual([]);
      expect(seed.search('"Poetin en Trump"').fallback).toBe(false);
    });

    it('keeps stopwords in their place in a phrase', () => {
      expect(paragraphs(seed.search('"in gesprek"', all))).toEqual([18]);
      // Order counts: `gesprek in` is only in 4 (`gesprekken (in Istanbul)`: punctuation holds no position).
      expect(paragraphs(seed.search('"gesprek in"', all))).toEqual([4]);
      // `zei hij` (10, 17), not `zei Peskov` (9).
      expect(paragraphs(seed.search('"zei hij"', all))).toEqual([10, 17]);
    });

    it('excludes words and phrases', () => {
      expect(paragraphs(seed.search('Rusland -NAVO', all))).toEqual([3, 6, 14, 15]);
      expect(paragraphs(seed.search('Rusland -"in gesprek"', all))).toEqual([3, 6, 14, 15, 16].filter((p) => p !== 16));
      expect(paragraphs(seed.search('Poetin -(Trump OF Peskov)', all))).toEqual([]);
    });

    it('reads OF and OR between parts, binding looser than the words around them', () => {
      expect(paragraphs(seed.search('Witkoff OF Peskov', all))).toEqual([1, 2, 5, 6, 9]);
      expect(paragraphs(seed.search('Witkoff OR Peskov', all))).toEqual([1, 2, 5, 6, 9]);
      // `gesprek Peskov OF NAVO OVSE` = (gesprek AND Peskov) OR (NAVO AND OVSE)
      expect(paragraphs(seed.search('gesprek Peskov OF NAVO OVSE', all))).toEqual([2, 16, 18]);
      expect(paragraphs(seed.search('(Trump OF Biden) "Witte Huis"', all))).toEqual([]);
      expect(paragraphs(seed.search('(Trump OF Peskov) Poetin', all))).toEqual([1, 8, 9, 12]);
    });

    it('falls back to any word only for a query of plain words', () => {
      expect(seed.search('Witkoff NAVO').fallback).toBe(true);
      for (const q of ['(Witkoff NAVO)', 'Witkoff NAVO -OVSE', '"Witkoff" "NAVO"']) {
        expect(seed.search(q), q).toMatchObject({ total: 0, fallback: false });
      }
    });

    it('lets prefixes and typo tolerance work inside phrases and exclusions', () => {
      expect(paragraphs(seed.search('"speciale gezan*"', all))).toEqual([6]);
      expect(paragraphs(seed.search('"spesiale gezant"', all))).toEqual([6]);
      expect(seed.search('"spesiale gezant"').approximate).toEqual(['"spesiale gezant"']);
      expect(paragraphs(seed.search('Rusland -Witkof', all))).toEqual([3, 14, 15, 18]);
    });

    it('marks a phrase as a whole where it matched, its stopwords included, and no excluded word', () => {
      const inGesprek = seed.search('"in gesprek"').hits[0]!;
      expect(marked(inGesprek)).toEqual(['in gesprek']);
      expect(inGesprek.highlight.match(/<mark>[^<]*<\/mark>/g)).toEqual(['<mark>in gesprek</mark>']);
      // Phrase words are not marked where the phrase did not match: 1 has Poetin and Trump apart.
      expect(marked(seed.search('"Poetin en Trump" OF Vladimir').hits.find((h) => h.paragraph === 1)!)).toEqual(['Vladimir']);
      expect(marked(seed.search('"Poetin en Trump"').hits.find((h) => h.paragraph === 8)!)).toEqual(['Poetin en Trump']);
      for (const hit of seed.search('Rusland -NAVO', all).hits) expect(marked(hit).every((m) => m === 'Rusland')).toBe(true);
      // Prefix and typo matches are marked on the words as written.
      expect(marked(seed.search('"speciale gezan*"').hits[0]!)).toEqual(['speciale gezant']);
      expect(marked(seed.search('Witkof').hits[0]!)).toEqual(['Witkoff']);
    });

    it('refuses a query it cannot read with the position of the fault, never guessing', () => {
      for (const [q, code, position] of [
        ['"speciale gezant', 'bad_query', 0],
        ['NAVO OF', 'bad_query', 5],
        ['-NAVO', 'bad_query', 0],
        ['((((((((((NAVO))))))))))', 'too_deeply_nested', 8],
      ] as const) {
        let caught: unknown;
        try {
          seed.search(q);
        } catch (error) {
          caught = error;
        }
        expect(caught, q).toBeInstanceOf(QueryError);
        expect(caught).toMatchObject({ code, position });
      }
    });
  });

  describe('Searcher.markArticle', () => {
    it("marks the query's words in every paragraph, and nothing for an empty query", () => {
      const marked = seed.markArticle(seedArticle(), 'NAVO');
      expect(marked).toHaveLength(19);
      expect(marked.filter((p) => p.html.includes('<mark>')).map((p) => p.n)).toEqual([16, 18]);
      expect(seed.markArticle(seedArticle(), '').some((p) => p.html.includes('<mark>'))).toBe(false);
    });

    it('marks phrases where they stand and every word of the query, never an excluded one, and nothing for a query it cannot read', () => {
      const marks = (q: string) =>
        seed
          .markArticle(seedArticle(), q)
          .flatMap((p) => (p.html.match(/<mark>[^<]*<\/mark>/g) ?? []).map((m) => `${p.n}:${m.slice(6, -7)}`));
      expect(marks('"Poetin en Trump"')).toEqual(['8:Poetin en Trump', '9:Poetin en Trump']);
      // Every paragraph holding NAVO or OVSE is marked, not only those holding both.
      expect(marks('NAVO OVSE')).toEqual(['16:NAVO', '16:OVSE', '18:NAVO', '18:OVSE']);
      expect(marks('Witkoff -Rusland')).toEqual(['6:Witkoff']);
      expect(marks('"onafgemaakt')).toEqual([]);
    });
  });
});

describe('search over a dated copy of ../shared/ud-dutch', () => {
  const source = udArticles('the date, sorting, grouping and month-histogram tests');
  /** Dates cycling over 2024–2025: full dates, months only, a year only, and some undated. */
  const dated: Article[] = source.map((a, i) => {
    const month = String((i % 12) + 1).padStart(2, '0');
    const year = 2024 + (Math.floor(i / 12) % 2);
    const date = i % 11 === 0 ? null : i % 7 === 0 ? `${year}` : i % 3 === 0 ? `${year}-${month}` : `${year}-${month}-${String((i % 28) + 1).padStart(2, '0')}`;
    return { ...a, date };
  });
  const searcher = new Searcher(buildIndex(dated));
  const byId = new Map(dated.map((a) => [a.id, a]));
  const paragraphHits = (q: string, options: Partial<SearchOptions> = {}) => searcher.search(q, { limit: 10_000, offset: 0, ...options }) as ParagraphResults;
  const articleHits = (q: string, options: Partial<SearchOptions> = {}) => searcher.search(q, { limit: 10_000, offset: 0, group: 'article', ...options }) as ArticleResults;
  const QUERIES = ['jaar', 'Nederland', 'land OF stad', 'eerste'];

  it.skipIf(source.length === 0)('groups paragraphs into articles: one hit each, its best three, ranked by its best paragraph', () => {
    for (const q of QUERIES) {
      const flat = paragraphHits(q);
      const grouped = articleHits(q);
      expect(flat.total).toBe(grouped.paragraphTotal);
      expect(grouped.total, q).toBeGreaterThan(0);
      expect(new Set(grouped.articles.map((a) => a.articleId)).size).toBe(grouped.articles.length);
      for (const a of grouped.articles) {
        expect(a.paragraphs.length).toBeGreaterThan(0);
        expect(a.paragraphs.length).toBeLessThanOrEqual(Math.min(3, a.matchingParagraphs));
        expect(a.paragraphs.every((p) => p.articleId === a.articleId && p.highlight.includes('<mark>'))).toBe(true);
        expect(a.score).toBe(a.paragraphs[0]!.score);
        for (let i = 1; i < a.paragraphs.length; i++) expect(a.paragraphs[i - 1]!.score).toBeGreaterThanOrEqual(a.paragraphs[i]!.score);
      }
      for (let i = 1; i < grouped.articles.length; i++) expect(grouped.articles[i - 1]!.score).toBeGreaterThanOrEqual(grouped.articles[i]!.score);
      // The best article's best paragraph scores as the best paragraph overall (ties may differ in order).
      expect(grouped.articles[0]!.score).toBe(flat.hits[0]!.score);
      expect(grouped.total).toBe(new Set(flat.hits.map((h) => h.articleId)).size);
      for (const a of grouped.articles) expect(a.matchingParagraphs).toBe(flat.hits.filter((h) => h.articleId === a.articleId).length);
      // Paging over articles is stable.
      const first = articleHits(q, { limit: 2 }).articles.map((a) => a.articleId);
      const second = articleHits(q, { limit: 2, offset: 2 }).articles.map((a) => a.articleId);
      expect([...first, ...second]).toEqual(grouped.articles.slice(0, 4).map((a) => a.articleId));
    }
  });

  it.skipIf(source.length === 0)('filters by date, inclusive, keeping only articles whose whole date lies in the range, and counts the undated left out', () => {
    const everything = articleHits('jaar OF land OF stad');
    for (const [from, to] of [['2024-05', '2024-05'], ['2024', '2024'], ['2024-03-10', '2025-02-01'], [null, '2024-06'], ['2025-06-15', null]] as const) {
      const r = articleHits('jaar OF land OF stad', { from, to });
      const first = from === null ? -Infinity : Date.parse(from.length === 4 ? `${from}-01-01` : from.length === 7 ? `${from}-01` : from);
      const within = (date: string | null) => {
        if (date === null) return false;
        const [y, m, d] = date.split('-').map(Number) as [number, number | undefined, number | undefined];
        const start = Date.UTC(y, (m ?? 1) - 1, d ?? 1);
        const end = d !== undefined ? start : m !== undefined ? Date.UTC(y, m, 0) : Date.UTC(y, 11, 31);
        const last = to === null ? Infinity : to.length === 4 ? Date.UTC(Number(to), 11, 31) : to.length === 7 ? Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5)), 0) : Date.parse(to);
        return start >= first && end <= last;
      };
      const expected = everything.articles.filter((a) => within(a.date)).map((a) => a.articleId).sort();
      expect(r.articles.map((a) => a.articleId).sort(), `${from}–${to}`).toEqual(expected);
      expect(r.undated).toBe(everything.articles.filter((a) => a.date === null).length);
      expect(r).toMatchObject({ from, to });
    }
    expect(articleHits('jaar').undated).toBeNull();
  });

  it.skipIf(source.length === 0)('sorts newest first, ties by relevance, undated last', () => {
    const dayOf = (date: string | null) => (date === null ? -Infinity : Date.UTC(Number(date.slice(0, 4)), date.length >= 7 ? Number(date.slice(5, 7)) - 1 : 0, date.length === 10 ? Number(date.slice(8)) : 1));
    for (const grouped of [false, true]) {
      const rows = grouped
        ? articleHits('jaar OF land', { sort: 'date' }).articles.map((a) => ({ day: dayOf(a.date), score: a.score }))
        : paragraphHits('jaar OF land', { sort: 'date' }).hits.map((h) => ({ day: dayOf(h.date), score: h.score }));
      expect(rows.length).toBeGreaterThan(10);
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1]!, rows[i]!];
        expect(a.day > b.day || (a.day === b.day && a.score >= b.score), `row ${i}`).toBe(true);
      }
    }
  });

  it.skipIf(source.length === 0)('counts every match by month, paragraphs or articles, whatever the page shows', () => {
    for (const grouped of [false, true]) {
      const r = searcher.search('jaar OF land OF stad', { limit: 5, offset: 0, facets: true, group: grouped ? 'article' : 'paragraph' });
      const units = grouped
        ? articleHits('jaar OF land OF stad').articles.map((a) => a.date)
        : paragraphHits('jaar OF land OF stad').hits.map((h) => byId.get(h.articleId)!.date);
      expect(units.length).toBe(r.total);
      const expected = new Map<string, number>();
      for (const date of units) if (date !== null && date.length >= 7) expected.set(date.slice(0, 7), (expected.get(date.slice(0, 7)) ?? 0) + 1);
      expect(r.facets!.month).toEqual([...expected].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([month, count]) => ({ month, count })));
      expect(r.facets!.month.reduce((n, m) => n + m.count, 0) + r.facets!.withoutMonth).toBe(r.total);
    }
  });
});
