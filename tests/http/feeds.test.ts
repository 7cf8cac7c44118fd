import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { buildApp, buildIndex, seedArticle, SEED_ID } from '../helpers/corpus.js';

const article = (id: string, date: string | null, paragraphs: string[], title = id): Article => ({ id, title, date, source: null, url: null, paragraphs });
const app = buildApp(
  buildIndex([
    seedArticle(),
    article('oud', '2019-03-02', ['De NAVO vergaderde in Brussel.', 'Geen gezant aanwezig.'], 'Oude <b>top</b> & meer'),
    article('nieuw', '2025-06-25', ['De NAVO-top in Den Haag begon.'], 'NAVO-top in Den Haag'),
    article('zonder-datum', null, ['Een stuk over de NAVO zonder datum.']),
  ]),
);

describe('http feeds', () => {
  describe('GET /feed', () => {
    it('is a valid Atom 1.0 feed of the matching articles, newest first, each linking to its best paragraph', async () => {
      const res = await request(app).get('/feed?q=NAVO').set('Host', 'nieuws.test');
      const site = 'http://nieuws.test';
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/atom+xml');
      expect(XMLValidator.validate(res.text)).toBe(true);
      const feed = parseFeed(res.text);
      expect(feed.meta.type).toBe('atom');
      expect(feed.title).toBe('nieuwszoeker: NAVO');
      expect(feed.generator?.label).toBe('nieuwszoeker');
      // RFC 4287 4.1.1: the feed names an author, as its entries name none.
      expect(new XMLParser().parse(res.text).feed.author).toEqual({ name: 'nieuwszoeker' });
      expect(feed.items.map((i) => i.id)).toEqual(['nieuw', SEED_ID, 'oud', 'zonder-datum'].map((id) => `${site}/articles/${id}`));
      const seed = feed.items[1]!;
      expect(seed.url).toBe(`${site}/articles/${SEED_ID}?q=NAVO#p-16`);
      expect(seed.published?.toISOString() ?? seed.updated?.toISOString()).toBe('2025-05-01T00:00:00.000Z');
      expect(seed.content).toContain('<mark>NAVO</mark>');
      // A title is text: markup in it is shown, not obeyed.
      expect(feed.items[2]!.title).toBe('Oude <b>top</b> & meer');
    });

    it('takes the search parameters: a date filter, and a query it cannot read is a 400', async () => {
      const since = parseFeed((await request(app).get('/feed?q=NAVO&from=2025-06')).text);
      expect(since.items.map((i) => i.id?.split('/').pop())).toEqual(['nieuw']);
      const bad = await request(app).get('/feed?q=%22NAVO');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('this quotation mark is never closed');
      expect((await request(app).get('/feed')).status).toBe(400);
    });
  });

  describe('GET /opensearch.xml', () => {
    it('describes the search and its suggestions for a browser (OpenSearch 1.1)', async () => {
      const res = await request(app).get('/opensearch.xml').set('Host', 'nieuws.test');
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/opensearchdescription+xml');
      expect(XMLValidator.validate(res.text)).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false }).parse(res.text).OpenSearchDescription;
      expect(doc['@_xmlns']).toBe('http://a9.com/-/spec/opensearch/1.1/');
      expect(doc.ShortName).toBe('nieuwszoeker');
      const urls = Object.fromEntries((doc.Url as Array<Record<string, string>>).map((u) => [u['@_type'], u['@_template']]));
      const site = 'http://nieuws.test';
      expect(urls['text/html']).toBe(`${site}/?q={searchTerms}`);
      expect(urls['application/x-suggestions+json']).toBe(`${site}/api/suggest?format=opensearch&q={searchTerms}`);
    });

    it('is linked from every page, and a results page links its feed', async () => {
      for (const path of ['/', '/?q=NAVO', `/articles/${SEED_ID}`, '/bestaat-niet']) {
        expect((await request(app).get(path)).text, path).toContain('<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml" title="nieuwszoeker">');
      }
      expect((await request(app).get('/?q=NAVO')).text).toContain('<link rel="alternate" type="application/atom+xml" href="/feed?q=NAVO"');
      expect((await request(app).get('/')).text).not.toContain('application/atom+xml');
    });
  });
});
