import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { engineFor } from '../../src/query/engine.js';
import { MAX_QUERY_LENGTH } from '../../src/search/search.js';
import { buildApp, buildIndex, fixtureArticles, SEED_ID } from '../helpers/corpus.js';
import { createAnalyzer } from '../../src/analysis/analyzer.js';

const analyzer = createAnalyzer();

const app = buildApp(buildIndex(fixtureArticles()));

/** Expects a JSON error with this status and code. */
async function expectError(url: string, status: number, code: string) {
  const res = await request(app).get(url);
  expect(res.status).toBe(status);
  expect(res.type).toBe('application/json');
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  return res;
}

describe('http api', () => {
  describe('GET /api/search', () => {
    it('explains each hit with explain=1: the words matched, how, and the BM25 parts', async () => {
      const res = await request(app).get('/api/search').query({ q: 'gesprek', explain: '1' });
      expect(res.status).toBe(200);
      expect(res.body.expansions).toEqual([]);
      const compound = res.body.hits.find((h: { paragraph: number }) => h.paragraph === 8);
      expect(compound.explanation.terms[0]).toMatchObject({ field: 'parts', words: [{ surface: 'telefoongesprek', how: 'compound part' }] });
      for (const h of res.body.hits) expect(h.explanation.score).toBeCloseTo(h.score, 9);
      const plain = await request(app).get('/api/search').query({ q: 'gesprek' });
      expect(plain.body.hits[0].explanation).toBeUndefined();
      await expectError('/api/search?q=gesprek&explain=ja', 400, 'invalid_explain');
    });

    it('answers hits with ids, scores, text, highlight and offsets', async () => {
      const res = await request(app).get('/api/search').query({ q: 'NAVO', limit: 5 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ query: 'NAVO', fallback: false });
      expect(typeof res.body.tookMs).toBe('number');
      const seedHits = res.body.hits.filter((h: { articleId: string }) => h.articleId === SEED_ID);
      expect(seedHits.map((h: { paragraph: number }) => h.paragraph)).toEqual([16, 18]);
      const hit = seedHits[0];
      expect(Object.keys(hit).sort()).toEqual(['articleId', 'date', 'highlight', 'id', 'matches', 'paragraph', 'score', 'text', 'title']);
      expect(hit.highlight).toContain('<mark>NAVO</mark>');
      expect(hit.text.slice(hit.matches[0].start, hit.matches[0].end)).toBe('NAVO');
    });

    it('counts exactly up to 10,000 matches and says "gte" beyond, unless exactTotal=1 asks for every one; the hits are the same', async () => {
      // 13,000 paragraphs holding both words, the short (best) ones among the first: once 10,000 are counted,
      // the rest cannot reach the page.
      const extra = ['lang', 'kort', 'vandaag', 'gisteren', 'morgen', 'buiten', 'binnen', 'samen', 'alleen', 'opnieuw', 'eindelijk'];
      const articles = Array.from({ length: 1000 }, (_, a) => ({
        id: `veel-${String(a).padStart(4, '0')}`,
        title: `Kabinetsbericht ${a}`,
        date: null,
        source: null,
        url: null,
        paragraphs: Array.from({ length: 13 }, (_, p) => `Het kabinet en de regering spraken ${extra.slice(0, a < 100 ? p % 3 : 5 + (p % 6)).join(' ')} over stikstof.`),
      }));
      const index = buildIndex(articles);
      const big = buildApp(index);
      // Plain words are intersected as bitsets: counted exactly however many. Walked by cursors (as sparser
      // words are in a large index), the count stops being exact past 10,000.
      const plain = (await request(big).get('/api/search').query({ q: 'kabinet regering', fields: 'id,score' })).body;
      expect(plain).toMatchObject({ total: 13_000, totalRelation: 'eq' });
      engineFor(index).bitsetDensity = 0;
      const counted = (await request(big).get('/api/search').query({ q: 'kabinet regering', fields: 'id,score' })).body;
      expect(counted).toMatchObject({ totalRelation: 'gte' });
      expect(counted.total).toBeGreaterThanOrEqual(10_000);
      expect(counted.total).toBeLessThan(13_000);
      const exact = (await request(big).get('/api/search').query({ q: 'kabinet regering', fields: 'id,score', exactTotal: '1' })).body;
      expect(exact).toMatchObject({ total: 13_000, totalRelation: 'eq' });
      expect(counted.hits).toEqual(exact.hits);
      expect(plain.hits).toEqual(exact.hits);
      // One word: its postings are its matches, counted without walking them.
      expect((await request(big).get('/api/search').query({ q: 'stikstof', fields: 'id' })).body).toMatchObject({ total: 13_000, totalRelation: 'eq' });
      expect((await request(app).get('/api/search').query({ q: 'Rusland' })).body.totalRelation).toBe('eq');
      await expectError('/api/search?q=kabinet&exactTotal=ja', 400, 'invalid_exactTotal');
    });

    it('pages with limit and offset', async () => {
      const all = (await request(app).get('/api/search').query({ q: 'Rusland', limit: 100 })).body;
      const page = (await request(app).get('/api/search').query({ q: 'Rusland', limit: 2, offset: 1 })).body;
      expect(page.total).toBe(all.total);
      expect(page.hits.map((h: { id: string }) => h.id)).toEqual(all.hits.slice(1, 3).map((h: { id: string }) => h.id));
    });

    it('answers after=SEQ at once where no change log is followed (a folder: acknowledged writes are searchable), and refuses a bad one', async () => {
      const res = await request(app).get('/api/search').query({ q: 'Rusland', after: '123456789012' });
      expect(res.status).toBe(200);
      expect(res.body.total).toBeGreaterThan(0);
      const bad = await expectError('/api/search?q=Rusland&after=-1', 400, 'invalid_after');
      expect(bad.body.error.message).toMatch(/after must be a change sequence number/);
    });

    it('leaves out the hit fields not asked for with fields=, paragraphs and grouped alike, and refuses unknown ones', async () => {
      const full = (await request(app).get('/api/search').query({ q: 'Rusland', limit: 5 }).expect(200)).body;
      const lean = (await request(app).get('/api/search').query({ q: 'Rusland', limit: 5, fields: 'id,highlight' }).expect(200)).body;
      expect(lean.total).toBe(full.total);
      expect(lean.hits).toEqual(full.hits.map((h: { id: string; highlight: string }) => ({ id: h.id, highlight: h.highlight })));
      const grouped = (await request(app).get('/api/search').query({ q: 'Rusland', group: 'article', fields: 'score, paragraph' }).expect(200)).body;
      expect(grouped.articles.length).toBeGreaterThan(0);
      for (const article of grouped.articles) {
        expect(article.title).toEqual(expect.any(String)); // the article's own fields stay
        for (const p of article.paragraphs) expect(Object.keys(p).sort()).toEqual(['paragraph', 'score']);
      }
      const bad = await expectError('/api/search?q=Rusland&fields=id,tekst', 400, 'invalid_fields');
      expect(bad.body.error.message).toMatch(/unknown "tekst"; choose from id, articleId/);
      await expectError('/api/search?q=Rusland&fields=,', 400, 'invalid_fields');
    });

    it('says when it fell back to any word', async () => {
      const res = await request(app).get('/api/search').query({ q: 'Witkoff Rutte' });
      expect(res.body.fallback).toBe(true);
      expect(res.body.total).toBeGreaterThanOrEqual(2);
    });

    it('refuses a missing, empty, repeated or overlong q', async () => {
      await expectError('/api/search', 400, 'invalid_q');
      await expectError('/api/search?q=', 400, 'invalid_q');
      await expectError('/api/search?q=%20%20', 400, 'invalid_q');
      await expectError('/api/search?q=a&q=b', 400, 'invalid_q');
      const res = await expectError(`/api/search?q=${'a'.repeat(MAX_QUERY_LENGTH + 1)}`, 400, 'invalid_q');
      expect(res.body.error.message).toContain(`at most ${MAX_QUERY_LENGTH}`);
      expect((await request(app).get('/api/search').query({ q: 'a'.repeat(MAX_QUERY_LENGTH) })).status).toBe(200);
    });

    it('refuses a bad limit or offset, naming the field', async () => {
      for (const limit of ['0', '101', 'tien', '1.5', '-1', '1e2']) {
        const res = await expectError(`/api/search?q=NAVO&limit=${limit}`, 400, 'invalid_limit');
        expect(res.body.error.fields).toEqual([{ field: 'limit', message: 'limit must be a whole number from 1 to 100' }]);
      }
      for (const offset of ['-1', 'x', '10001']) await expectError(`/api/search?q=NAVO&offset=${offset}`, 400, 'invalid_offset');
    });

    it('answers any query with hits or a 400 naming the fault and where it is, markup inert in JSON', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60 }).filter((q) => q.trim() !== ''), async (q) => {
          const res = await request(app).get('/api/search').query({ q });
          expect(res.type).toBe('application/json');
          if (res.status === 400) {
            expect(['bad_query', 'too_deeply_nested', 'too_many_terms', 'too_many_expansions']).toContain(res.body.error.code);
            expect(res.body.error.position).toBeGreaterThanOrEqual(0);
            expect(res.body.error.position).toBeLessThan(q.trimEnd().length);
            expect(res.body.error.position).toBeGreaterThanOrEqual(q.length - q.trimStart().length);
            return;
          }
          expect(res.status).toBe(200);
          for (const hit of res.body.hits) expect(hit.highlight.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
        }),
        { numRuns: 60 },
      );
    });

    it('answers 400 bad_query with the position for a query it cannot read', async () => {
      const res = await request(app).get('/api/search').query({ q: 'NAVO "speciale gezant' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'bad_query', message: 'this quotation mark is never closed', position: 5 } });
      const deep = await request(app).get('/api/search').query({ q: '(((((((((NAVO)))))))))' });
      expect([deep.status, deep.body.error.code, deep.body.error.position]).toEqual([400, 'too_deeply_nested', 8]);
      // Counted from q as sent, leading blanks included.
      const padded = await request(app).get('/api/search').query({ q: '  Rusland "NAVO' });
      expect([padded.status, padded.body.error.position]).toEqual([400, 10]);
    });
  });

  describe('GET /api/suggest', () => {
    it('completes the last word to words of the index as people write them, most frequent first', async () => {
      const res = await request(app).get('/api/suggest?q=oekr');
      expect(res.status).toBe(200);
      expect(res.body.query).toBe('oekr');
      expect(res.body.suggestions.map((s: { text: string }) => s.text).sort()).toEqual(['Oekraïense', 'Oekraïne']);
      // Counted in paragraphs: `Oekraïens` is in the bundled article and a fixture, `Oekraïne` in one paragraph.
      expect(res.body.suggestions).toEqual([
        { text: 'Oekraïense', count: 2 },
        { text: 'Oekraïne', count: 1 },
      ]);
      expect((await request(app).get('/api/suggest?q=OEKRAI')).body.suggestions.map((s: { text: string }) => s.text).sort()).toEqual(['Oekraïense', 'Oekraïne']);
      expect((await request(app).get('/api/suggest?q=o')).body.suggestions).toEqual([]);
    });

    it('completes in context, counting the words before it, and in the OpenSearch form browsers read', async () => {
      const withContext = await request(app).get('/api/suggest').query({ q: 'Peskov gespr' });
      expect(withContext.body.suggestions[0]).toEqual({ text: 'Peskov gesprek', count: 1 });
      const opensearch = await request(app).get('/api/suggest?q=Witk&format=opensearch');
      expect(opensearch.type).toBe('application/x-suggestions+json');
      expect(JSON.parse(opensearch.text)).toEqual(['Witk', ['Witkoff']]);
    });

    it('follows live changes: a new word is offered once indexed, and not after it is gone', async () => {
      const index = buildIndex(fixtureArticles());
      const live = buildApp(index);
      const offered = async () => (await request(live).get('/api/suggest?q=zeilst')).body.suggestions.map((s: { text: string }) => s.text);
      expect(await offered()).toEqual([]);
      index.addArticle({ id: 'zeilen', title: 'Zeilen', date: null, source: null, url: null, paragraphs: ['Zeilster Carolijn Brouwer won.'] });
      expect(await offered()).toEqual(['Zeilster']);
      index.removeArticle('zeilen');
      expect(await offered()).toEqual([]);
    });

    it('refuses a missing q or a bad limit or format', async () => {
      await expectError('/api/suggest', 400, 'invalid_q');
      await expectError('/api/suggest?q=navo&limit=9', 400, 'invalid_limit');
      await expectError('/api/suggest?q=navo&format=xml', 400, 'invalid_format');
    });
  });

  describe('GET /api/search with grouping, dates, order and facets', () => {
    it('groups by article, filters by date, sorts by date and counts months on request', async () => {
      const grouped = await request(app).get('/api/search?q=NAVO&group=article&facets=month');
      expect(grouped.status).toBe(200);
      expect(grouped.body).toMatchObject({ group: 'article', total: 3, paragraphTotal: 4 });
      expect(grouped.body.articles.find((a: { articleId: string }) => a.articleId === SEED_ID)).toMatchObject({ matchingParagraphs: 2, date: '2025-05' });
      expect(grouped.body.facets).toEqual({
        month: [
          { month: '2025-05', count: 1 },
          { month: '2025-06', count: 1 },
        ],
        withoutMonth: 1,
      });
      const dated = await request(app).get('/api/search?q=NAVO&from=2025-06&to=2025-06-30&sort=date');
      expect(dated.body.hits.map((h: { articleId: string }) => h.articleId)).toEqual(['navo-top-2025']);
      expect(dated.body).toMatchObject({ from: '2025-06', to: '2025-06-30', sort: 'date', undated: 1 });
    });

    it('refuses a bad group, sort, date, period or facet, naming the field', async () => {
      await expectError('/api/search?q=NAVO&group=zin', 400, 'invalid_group');
      await expectError('/api/search?q=NAVO&sort=oud', 400, 'invalid_sort');
      await expectError('/api/search?q=NAVO&from=2025-13', 400, 'invalid_from');
      await expectError('/api/search?q=NAVO&to=gisteren', 400, 'invalid_to');
      const backwards = await expectError('/api/search?q=NAVO&from=2025-06&to=2025-05', 400, 'invalid_to');
      expect(backwards.body.error.message).toBe('to must not be before from');
      await expectError('/api/search?q=NAVO&facets=year', 400, 'invalid_facets');
    });
  });

  describe('GET /api/articles/:id', () => {
    it('answers the article with its paragraphs', async () => {
      const res = await request(app).get(`/api/articles/${SEED_ID}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: SEED_ID, date: '2025-05', source: null, url: null });
      expect(res.body.paragraphs).toHaveLength(19);
      expect(res.body.paragraphs[15]).toMatchObject({ id: `${SEED_ID}#16`, n: 16 });
      expect(res.body.paragraphs[15].text).toMatch(/^Echter, de NAVO/);
    });

    it('answers 404 JSON for an unknown or malformed id', async () => {
      await expectError('/api/articles/bestaat-niet', 404, 'article_not_found');
      await expectError('/api/articles/..%2F..%2Fetc%2Fpasswd', 404, 'article_not_found');
    });
  });

  describe('GET /api/articles', () => {
    it('lists articles by id with paging', async () => {
      const res = await request(app).get('/api/articles').query({ limit: 2 });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(4);
      expect(res.body.articles.map((a: { id: string }) => a.id)).toEqual([SEED_ID, 'cafe-crlf-bom']);
      expect(res.body.articles[0]).toMatchObject({ paragraphs: 19, date: '2025-05' });
      await expectError('/api/articles?limit=0', 400, 'invalid_limit');
    });
  });

  describe('GET /api/analyze', () => {
    it("shows the analyzer's tokens, like Elasticsearch's _analyze", async () => {
      const res = await request(app).get('/api/analyze').query({ text: 'De gesprekken in Oekraïne' });
      expect(res.status).toBe(200);
      expect(res.body.analyzer).toBe(analyzer.version);
      expect(res.body.tokens).toEqual([
        { surface: 'De', start: 0, end: 2, normalized: 'de', stem: 'de', stopword: true, terms: [], partTerms: [] },
        { surface: 'gesprekken', start: 3, end: 13, normalized: 'gesprekken', stem: 'sprek', stopword: false, terms: ['sprek'], partTerms: [] },
        { surface: 'in', start: 14, end: 16, normalized: 'in', stem: 'in', stopword: true, terms: [], partTerms: [] },
        { surface: 'Oekraïne', start: 17, end: 25, normalized: 'oekraïne', stem: 'oekraïne', stopword: false, terms: ['oekraine'], partTerms: [] },
      ]);
    });

    it('shows closed compounds with their parts and irregular forms with their lemma', async () => {
      const res = await request(app).get('/api/analyze').query({ text: 'Hij zei: veiligheidsgaranties' });
      expect(res.status).toBe(200);
      const [, zei, garanties] = res.body.tokens;
      expect(zei).toMatchObject({ surface: 'zei', lemma: 'zeggen', terms: ['zei', analyzer.indexTerms('zeggen')[0]] });
      expect(garanties).toMatchObject({
        surface: 'veiligheidsgaranties',
        compound: [
          { text: 'veiligheids', lemma: 'veiligheid', link: 's', start: 9, end: 20 },
          { text: 'garanties', lemma: 'garantie', link: '', start: 20, end: 29 },
        ],
      });
      expect(garanties.partTerms).toEqual(['veiligheid', 'garanties'].map((w) => analyzer.indexTerms(w)[0]));
    });

    it('refuses a missing, empty or overlong text', async () => {
      await expectError('/api/analyze', 400, 'invalid_text');
      await expectError('/api/analyze?text=', 400, 'invalid_text');
      await expectError(`/api/analyze?text=${'a'.repeat(10_001)}`, 400, 'invalid_text');
    });
  });

  describe('unknown API routes', () => {
    it('answer 404 JSON, with or without a query string, in any case', async () => {
      await expectError('/api/bestaat-niet', 404, 'not_found');
      for (const path of ['/api', '/api?q=', '/api?q=NAVO&limit=1', '/API?x', '/api/?q=', '/Api/bestaat-niet?q=1', '//api/search?q=NAVO', '/api//bestaat-niet']) {
        const res = await request(app).get(path);
        expect([res.status, res.type, res.body.error?.code], path).toEqual([404, 'application/json', 'not_found']);
      }
      const res = await request(app).post('/api/search');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    });
  });

  describe('GET /healthz', () => {
    it('answers ok with the index size', async () => {
      const res = await request(app).get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', articles: 4, paragraphs: 26 });
    });
  });
});
