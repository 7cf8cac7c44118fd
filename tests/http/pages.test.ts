import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { buildApp, buildIndex, fixtureArticles, seedArticle, SEED_ID } from '../helpers/corpus.js';

const app = buildApp(buildIndex(fixtureArticles()));
const seedOnly = buildApp();
const article = (id: string, date: string | null, paragraphs: string[]): Article => ({ id, title: `Titel ${id}`, date, source: null, url: null, paragraphs });
/** Articles over several months, for sorting, filtering and the month histogram. */
const dated = buildApp(
  buildIndex([
    seedArticle(),
    article('maart', '2025-03-10', ['De NAVO en Zelensky spraken in maart.']),
    article('april', '2025-04-02', ['De NAVO vergaderde in april.', 'Zelensky was er ook.']),
    article('juni', '2025-06-25', ['De NAVO-top in Den Haag, met Zelensky.']),
    article('zonder', null, ['De NAVO, zonder datum.']),
    ...Array.from({ length: 12 }, (_, i) => article(`zelensky-${i}`, '2025-01', [`Zelensky sprak voor de ${i + 1}e keer.`])),
    article('zelenski', '2024-12', ['Eén keer geschreven als Zelenski.']),
  ]),
);

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

    it('runs only its own script file: no inline script, no handlers, and a policy that allows nothing else', async () => {
      const res = await request(app).get('/?q=NAVO');
      expect(res.text.match(/<script[^>]*>/gi)).toEqual(['<script src="/static/suggest.js" defer>']);
      expect(res.text).toMatch(/<script src="\/static\/suggest.js" defer><\/script>/);
      expect(res.text).not.toMatch(/\son[a-z]+=/i);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    });

    it('shows articles by default: one hit per article with its best paragraphs marked and how many matched', async () => {
      const res = await request(seedOnly).get('/?q=Poetin');
      expect(res.status).toBe(200);
      expect(res.text).toContain('1 artikel (4 alinea&#39;s)');
      expect(res.text.match(/<li class="hit article-hit">/g)).toHaveLength(1);
      expect(res.text).toContain('4 alinea&#39;s gevonden');
      expect(res.text.match(/<p class="text"><a class="paragraph-link"/g)).toHaveLength(3);
      expect(res.text).toContain('<span aria-current="true">Per artikel</span> · <a href="/?q=Poetin&amp;weergave=alineas">Per alinea</a>');
    });

    it('shows paragraphs on request: the count, time, and each hit with title, date, paragraph and marked text, linked to the article', async () => {
      const res = await request(seedOnly).get('/?q=NAVO&weergave=alineas');
      expect(res.status).toBe(200);
      expect(res.text).toContain('2 alinea&#39;s');
      expect(res.text).toMatch(/\(\d+(,\d+)? ms\)/);
      expect(res.text.match(/<li class="hit">/g)).toHaveLength(2);
      expect(res.text).toContain(`href="/articles/${SEED_ID}?q=NAVO#p-16"`);
      expect(res.text).toContain(`href="/articles/${SEED_ID}?q=NAVO#p-18"`);
      expect(res.text).toContain('<time datetime="2025-05">mei 2025</time> · alinea 16');
      expect(res.text).toContain('Echter, de <mark>NAVO</mark>, de Organisatie');
    });

    it('pages through many hits', async () => {
      const first = await request(seedOnly).get('/?q=Rusland+Poetin+Trump+gesprek+Peskov+woordvoerder&weergave=alineas');
      expect(first.text).toMatch(/pagina 1 van 2/);
      expect(first.text).toContain('rel="next" href="/?q=Rusland%20Poetin%20Trump%20gesprek%20Peskov%20woordvoerder&amp;weergave=alineas&amp;pagina=2"');
      const second = await request(seedOnly).get('/?q=Rusland+Poetin+Trump+gesprek+Peskov+woordvoerder&weergave=alineas&pagina=2');
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
      for (const bad of ['nul', '1e1', '0x2', '1.5', '-1', '0']) {
        const page = await request(app).get(`/?q=NAVO&pagina=${bad}`);
        expect(page.status, bad).toBe(400);
        expect(page.text, bad).toContain('Het paginanummer moet een geheel getal');
      }
    });

    it('says so for a page past the last one, with a link to the last, instead of an empty list', async () => {
      const res = await request(app).get('/?q=NAVO&pagina=5&sortering=nieuwste');
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('<ol class="hits"');
      expect(res.text).toContain('Pagina 5 bestaat niet: deze zoekopdracht heeft 1 pagina.');
      expect(res.text).toContain('href="/?q=NAVO&amp;sortering=nieuwste">Naar pagina 1</a>');
    });
  });

  describe('GET / with the query language, order, periods and the month histogram', () => {
    it('sorts newest first on request, and says which order is shown', async () => {
      const res = await request(dated).get('/?q=NAVO&sortering=nieuwste');
      const order = [...res.text.matchAll(/<h2><a href="\/articles\/([^?]+)\?/g)].map((m) => m[1]);
      expect(order).toEqual(['juni', SEED_ID, 'april', 'maart', 'zonder']);
      expect(res.text).toContain('<span aria-current="true">Nieuwste eerst</span>');
      expect(res.text).toContain('href="/?q=NAVO">Relevantie</a>');
    });

    it('narrows to a period, inclusive, and says how many undated results it left out', async () => {
      const res = await request(dated).get('/?q=NAVO&van=2025-04&tot=2025-06');
      const found = [...res.text.matchAll(/<h2><a href="\/articles\/([^?]+)\?/g)].map((m) => m[1]).sort();
      expect(found).toEqual(['000_463c9f2ccdc7d6fc', 'april', 'juni'].sort());
      expect(res.text).toContain('Periode: april 2025 tot en met juni 2025.');
      expect(res.text).toContain('1 resultaat zonder datum is weggelaten.');
      const bad = await request(dated).get('/?q=NAVO&van=gisteren');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('‘van’ moet een datum zijn');
      expect((await request(dated).get('/?q=NAVO&van=2025-06&tot=2025-04')).text).toContain('‘tot’ mag niet vóór ‘van’ liggen.');
    });

    it('draws the month histogram of all matches as links that narrow to each month', async () => {
      const res = await request(dated).get('/?q=NAVO');
      const bars = [...res.text.matchAll(/<a href="([^"]+)" role="listitem" aria-label="([^"]+)">/g)].map((m) => [m[1]!.replace(/&amp;/g, '&'), m[2]]);
      expect(bars).toEqual([
        ['/?q=NAVO&van=2025-03&tot=2025-03', 'maart 2025: 1 resultaat'],
        ['/?q=NAVO&van=2025-04&tot=2025-04', 'april 2025: 1 resultaat'],
        ['/?q=NAVO&van=2025-05&tot=2025-05', 'mei 2025: 1 resultaat'],
        ['/?q=NAVO&van=2025-06&tot=2025-06', 'juni 2025: 1 resultaat'],
      ]);
      expect(res.text).toContain('(1 resultaat zonder maand)');
    });

    it('offers "did you mean" for a rare spelling of a common word, as a link', async () => {
      const res = await request(dated).get('/?q=Zelenski');
      expect(res.text).toContain('Bedoelde u: <a href="/?q=Zelensky">Zelensky</a>?');
      expect((await request(dated).get('/?q=Zelensky')).text).not.toContain('Bedoelde u');
    });

    it('explains in Dutch a query it cannot read, pointing at the character', async () => {
      const res = await request(dated).get('/').query({ q: 'NAVO "speciale gezant' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Een aanhalingsteken wordt niet gesloten (bij teken 6).');
      expect(res.text).toContain('<code>NAVO <mark>&#34;</mark>speciale gezant</code>');
      expect((await request(dated).get('/').query({ q: '-NAVO' })).text).toContain('Alleen uitgesloten woorden (bij teken 1)');
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
