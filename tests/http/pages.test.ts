import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildApp, buildIndex, fixtureArticles, SEED_ID } from '../helpers/corpus.js';

const app = buildApp(buildIndex(fixtureArticles()));
const seedOnly = buildApp();

describe('http pages', () => {
  describe('GET /', () => {
    it('serves a Dutch search page with a labelled search box in a GET form', async () => {
      const res = await request(app).get('/');
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('<html lang="nl">');
      expect(res.text).toContain('<form class="search" role="search" method="get" action="/">');
      expect(res.text).toContain('<label for="q">Zoek in het nieuws</label>');
      expect(res.text).toMatch(/<input id="q" name="q" type="search"/);
      expect(res.text).toContain('name="viewport"');
    });

    it('shows example searches in the empty state', async () => {
      const res = await request(app).get('/');
      expect(res.text).toContain('href="/?q=NAVO"');
      expect(res.text).toContain('href="/?q=Witkoff"');
    });

    it('runs no script: none in the page, and a policy that forbids them', async () => {
      const res = await request(app).get('/?q=NAVO');
      expect(res.text).not.toMatch(/<script/i);
      expect(res.text).not.toMatch(/\son[a-z]+=/i);
      expect(res.headers['content-security-policy']).toContain("script-src 'none'");
    });

    it('shows the hit count, time, and each hit with title, date, paragraph and marked text, linked to the article', async () => {
      const res = await request(seedOnly).get('/?q=NAVO');
      expect(res.status).toBe(200);
      expect(res.text).toContain('2 resultaten');
      expect(res.text).toMatch(/\(\d+(,\d+)? ms\)/);
      expect(res.text.match(/<li class="hit">/g)).toHaveLength(2);
      expect(res.text).toContain(`href="/articles/${SEED_ID}?q=NAVO#p-16"`);
      expect(res.text).toContain(`href="/articles/${SEED_ID}?q=NAVO#p-18"`);
      expect(res.text).toContain('<time datetime="2025-05">mei 2025</time> · alinea 16');
      expect(res.text).toContain('Echter, de <mark>NAVO</mark>, de Organisatie');
    });

    it('pages through many hits', async () => {
      const first = await request(seedOnly).get('/?q=Rusland+Poetin+Trump+gesprek+Peskov+woordvoerder');
      expect(first.text).toMatch(/pagina 1 van 2/);
      expect(first.text).toContain('rel="next"');
      const second = await request(seedOnly).get('/?q=Rusland+Poetin+Trump+gesprek+Peskov+woordvoerder&pagina=2');
      expect(second.text).toMatch(/pagina 2 van 2/);
      expect(second.text).toContain('<ol class="hits" start="11">');
      expect(second.text).toContain('rel="prev"');
    });

    it('says clearly when nothing was found, and when only stopwords were given', async () => {
      const none = await request(app).get('/?q=xyzzy');
      expect(none.status).toBe(200);
      expect(none.text).toContain('Geen resultaten voor ‘xyzzy’');
      const stop = await request(app).get('/?q=de+het');
      expect(stop.text).toContain('alleen veelvoorkomende woorden (de, het)');
    });

    it('shows the fallback to any word', async () => {
      const res = await request(seedOnly).get('/?q=Witkoff+Rutte');
      expect(res.text).toContain('Geen alinea bevat al uw zoekwoorden');
    });

    it('keeps markup in the query and in paragraphs inert', async () => {
      const res = await request(app).get('/').query({ q: '<script>alert("NAVO")</script>' });
      expect(res.text).not.toContain('<script>');
      expect(res.text).toContain('value="&lt;script&gt;alert(&#34;NAVO&#34;)&lt;/script&gt;"');
      expect(res.text).toContain('&lt;<mark>script</mark>&gt;');
    });

    it('answers 400 with a Dutch message for an overlong query or a bad page number', async () => {
      const long = await request(app).get(`/?q=${'a'.repeat(501)}`);
      expect(long.status).toBe(400);
      expect(long.text).toContain('Uw zoekopdracht is te lang');
      const page = await request(app).get('/?q=NAVO&pagina=nul');
      expect(page.status).toBe(400);
      expect(page.text).toContain('Het paginanummer moet een geheel getal');
    });
  });

  describe('GET /articles/:id', () => {
    it("shows the whole article with anchored paragraphs and the query's words marked", async () => {
      const res = await request(app).get(`/articles/${SEED_ID}?q=NAVO`);
      expect(res.status).toBe(200);
      for (let n = 1; n <= 19; n++) expect(res.text).toContain(`<p id="p-${n}">`);
      expect(res.text.match(/<mark>NAVO<\/mark>/g)).toHaveLength(2);
      expect(res.text).toContain('Terug naar de resultaten voor ‘NAVO’');
    });

    it('shows source and date from the header, and links only http(s) URLs', async () => {
      const res = await request(app).get('/articles/navo-top-2025');
      expect(res.text).toContain('<time datetime="2025-06-25">25 juni 2025</time>');
      expect(res.text).toContain('<a href="https://example.org/navo-top" rel="noopener noreferrer">Voorbeeldkrant</a>');
    });

    it('answers a Dutch 404 page for an unknown article', async () => {
      const res = await request(app).get('/articles/bestaat-niet');
      expect(res.status).toBe(404);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('Niet gevonden');
    });
  });

  describe('unknown pages', () => {
    it('answer a Dutch 404 page', async () => {
      const res = await request(app).get('/bestaat/niet');
      expect(res.status).toBe(404);
      expect(res.text).toContain('Deze pagina of dit artikel bestaat niet');
    });
  });

  describe('GET /static/style.css', () => {
    it('serves the stylesheet', async () => {
      const res = await request(app).get('/static/style.css');
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/css');
    });
  });
});
