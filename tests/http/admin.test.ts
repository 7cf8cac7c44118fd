import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readArticleFile } from '../../src/articles/article-file.js';
import { createApp } from '../../src/http/app.js';
import { silentLogger } from '../../src/logger.js';
import { SearchService } from '../../src/service.js';
import { SEED_ID } from '../helpers/corpus.js';
import { REPO_ROOT } from '../helpers/shared.js';

const TOKEN = 'test-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

describe('http admin', () => {
  let articlesDir: string;
  let indexDir: string;
  let service: SearchService;
  const appWith = (token: string | undefined) =>
    createApp({
      index: service.index,
      searcher: service.searcher,
      logger: silentLogger,
      status: () => service.status(),
      admin: { token, store: service.store, indexer: service.indexer },
    });

  beforeEach(async () => {
    articlesDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-admin-'));
    indexDir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-admin-index-'));
    cpSync(join(REPO_ROOT, 'data', 'articles', `${SEED_ID}.txt`), join(articlesDir, `${SEED_ID}.txt`));
    service = new SearchService({ store: { kind: 'folder', articlesDir }, indexDir, stemmer: 'dutch', watch: false, snapshotDelayMs: 60_000 }, silentLogger);
    await service.start();
  });
  afterEach(async () => {
    await service.stop();
    rmSync(articlesDir, { recursive: true, force: true });
    rmSync(indexDir, { recursive: true, force: true });
  });

  describe('authorization', () => {
    it('answers 403 with how to enable it when ADMIN_TOKEN is not set', async () => {
      const app = appWith(undefined);
      for (const req of [
        request(app).post('/api/articles').set(auth).send({ text: 'x' }),
        request(app).put('/api/articles/x').set(auth).send({ text: 'x' }),
        request(app).delete(`/api/articles/${SEED_ID}`).set(auth),
        request(app).post('/api/reindex').set(auth),
        request(app).get('/api/reindex').set(auth),
      ]) {
        const res = await req;
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('admin_disabled');
        expect(res.body.error.message).toContain('set ADMIN_TOKEN');
      }
      expect(existsSync(join(articlesDir, `${SEED_ID}.txt`))).toBe(true);
    });

    it('answers 401 without the right bearer token', async () => {
      const app = appWith(TOKEN);
      const missing = await request(app).delete(`/api/articles/${SEED_ID}`);
      expect(missing.status).toBe(401);
      expect(missing.body.error.code).toBe('unauthorized');
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="nieuwszoeker admin"');
      for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN]) {
        expect((await request(app).delete(`/api/articles/${SEED_ID}`).set('Authorization', header)).status).toBe(401);
      }
      expect(existsSync(join(articlesDir, `${SEED_ID}.txt`))).toBe(true);
      expect((await request(app).get('/api/reindex').set('Authorization', `bearer ${TOKEN}`)).status).toBe(200);
    });

    it('leaves reading open to everyone', async () => {
      expect((await request(appWith(TOKEN)).get('/api/search?q=NAVO')).status).toBe(200);
      expect((await request(appWith(TOKEN)).get(`/api/articles/${SEED_ID}`)).status).toBe(200);
    });
  });

  describe('POST /api/articles', () => {
    it('writes a new article file, indexes it, and answers 201 with its id and Location', async () => {
      const app = appWith(TOKEN);
      const res = await request(app)
        .post('/api/articles')
        .set(auth)
        .send({ title: 'Rutte in Kyiv', date: '2025-06-01', source: 'Testkrant', url: 'https://example.org/rutte', text: 'Mark Rutte bezocht Kyiv.\n\nHij sprak met Zelensky.' });
      expect(res.status).toBe(201);
      expect(res.body.id).toMatch(/^rutte-in-kyiv-[0-9a-f]{6}$/);
      expect(res.headers.location).toBe(`/api/articles/${res.body.id}`);
      expect(res.body).toMatchObject({ title: 'Rutte in Kyiv', date: '2025-06-01', source: 'Testkrant', paragraphs: [{ n: 1 }, { n: 2 }] });
      expect(readFileSync(join(articlesDir, `${res.body.id}.txt`), 'utf8')).toBe(
        'title: Rutte in Kyiv\ndate: 2025-06-01\nsource: Testkrant\nurl: https://example.org/rutte\n\nMark Rutte bezocht Kyiv.\n\nHij sprak met Zelensky.\n',
      );
      // Searchable as soon as the 201 arrives.
      const search = await request(app).get('/api/search?q=Zelensky');
      expect(search.body.hits.map((h: { id: string }) => h.id)).toEqual([`${res.body.id}#2`]);
      expect((await request(app).get(res.headers.location!)).status).toBe(200);
    });

    it('answers 400 naming the fields at fault, and writes nothing', async () => {
      const app = appWith(TOKEN);
      const cases: Array<[object, string, string]> = [
        [{}, 'invalid_text', 'text'],
        [{ text: '  \n\n ' }, 'invalid_text', 'text'],
        [{ text: 'x', date: '2025-13-01' }, 'invalid_date', 'date'],
        [{ text: 'x', url: 'javascript:alert(1)' }, 'invalid_url', 'url'],
        [{ text: 'x', title: 'x'.repeat(301) }, 'invalid_title', 'title'],
        [{ text: 'x', titel: 'typo' }, 'invalid_body', 'body'],
        [{ text: 42 }, 'invalid_text', 'text'],
      ];
      for (const [body, code, field] of cases) {
        const res = await request(app).post('/api/articles').set(auth).send(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe(code);
        expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
      const two = await request(app).post('/api/articles').set(auth).send({ date: 'gisteren', url: 'ftp://x' });
      expect(two.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['date', 'text', 'url']);
      expect(readdirSync(articlesDir)).toEqual([`${SEED_ID}.txt`]);
    });

    it('answers 415 for a body that is not JSON, 400 for broken JSON and 413 for more than 1 MB', async () => {
      const app = appWith(TOKEN);
      const form = await request(app).post('/api/articles').set(auth).type('form').send('text=hallo');
      expect([form.status, form.body.error.code]).toEqual([415, 'unsupported_media_type']);
      const broken = await request(app).post('/api/articles').set(auth).set('Content-Type', 'application/json').send('{"text": ');
      expect([broken.status, broken.body.error.code]).toEqual([400, 'invalid_json']);
      const huge = await request(app).post('/api/articles').set(auth).send({ text: 'woord '.repeat(200_000) });
      expect([huge.status, huge.body.error.code]).toEqual([413, 'payload_too_large']);
      expect(readdirSync(articlesDir)).toEqual([`${SEED_ID}.txt`]);
    });
  });

  describe('refused writes', () => {
    /** The folder as bytes, file by file: what a refused write must leave exactly as it was. */
    const folder = () => Object.fromEntries(readdirSync(articlesDir).sort().map((f) => [f, readFileSync(join(articlesDir, f)).toString('base64')]));
    const QUERIES = ['NAVO', 'Witkoff', 'Poetin Trump', 'gesprek', 'Oekraïne'];
    const results = async (app: ReturnType<typeof appWith>) => {
      const out: unknown[] = [];
      for (const q of QUERIES) out.push((await request(app).get(`/api/search?q=${encodeURIComponent(q)}`)).body.hits.map((h: { id: string; text: string }) => [h.id, h.text]));
      return out;
    };
    const send = (app: ReturnType<typeof appWith>, method: 'post' | 'put', path: string) => request(app)[method](path).set(auth);
    /** Sends `bytes` exactly as they are (superagent would serialize a Buffer to JSON under a JSON content type). */
    const raw = (req: request.Test, bytes: Buffer) => req.serialize(((body: Buffer) => body) as unknown as (obj: unknown) => string).send(bytes);

    it('answers 400 naming the field for a NUL or a lone surrogate in any field, in POST and PUT, and keeps the article byte for byte', async () => {
      const app = appWith(TOKEN);
      const before = folder();
      const searched = await results(app);
      const cases: Array<[object, string]> = [
        [{ text: 'x\u0000y' }, 'text'],
        [{ title: 'Titel\u0000', text: 'Tekst.' }, 'title'],
        [{ source: '\u0000', text: 'Tekst.' }, 'source'],
        [{ url: 'https://example.org/\u0000', text: 'Tekst.' }, 'url'],
        [{ date: '2025\u0000', text: 'Tekst.' }, 'date'],
        [{ text: 'half \ud83d paar' }, 'text'],
        [{ title: '\udc00', text: 'Tekst.' }, 'title'],
      ];
      for (const [body, field] of cases) {
        for (const [method, path] of [['post', '/api/articles'], ['put', `/api/articles/${SEED_ID}`], ['put', '/api/articles/nieuw']] as const) {
          const res = await send(app, method, path).send(body);
          expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(400);
          expect(res.body.error.code).toBe(`invalid_${field}`);
          expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
        }
      }
      expect(folder()).toEqual(before);
      expect(await results(app)).toEqual(searched);
      expect((await request(app).get(`/api/articles/${SEED_ID}`)).status).toBe(200);
    });

    it('answers 400 for a body that is not valid UTF-8, and 415 for another charset, writing nothing', async () => {
      const app = appWith(TOKEN);
      const before = folder();
      for (const [method, path] of [['post', '/api/articles'], ['put', `/api/articles/${SEED_ID}`]] as const) {
        const bad = await raw(send(app, method, path).set('Content-Type', 'application/json'), Buffer.from('{"text":"\xff\xfe\xc3("}', 'latin1'));
        expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_utf8']);
        const latin1 = await send(app, method, path).set('Content-Type', 'application/json; charset=iso-8859-1').send('{"text":"caf\u00e9"}');
        expect([latin1.status, latin1.body.error.code]).toEqual([415, 'unsupported_charset']);
      }
      // UTF-8 with its charset named is fine.
      const ok = await send(app, 'put', '/api/articles/cafe').set('Content-Type', 'application/json; charset=UTF-8').send('{"text":"Caf\u00e9 in Utrecht."}');
      expect(ok.status).toBe(201);
      expect(readFileSync(join(articlesDir, 'cafe.txt'), 'utf8')).toContain('Café in Utrecht.');
      const { ['cafe.txt']: _added, ...rest } = folder();
      expect(rest).toEqual(before);
    });

    it('answers 400 for over-long fields in POST and PUT, and keeps the article byte for byte', async () => {
      const app = appWith(TOKEN);
      const before = folder();
      for (const [body, code] of [
        [{ title: 'x'.repeat(301), text: 'Tekst.' }, 'invalid_title'],
        [{ source: 'x'.repeat(201), text: 'Tekst.' }, 'invalid_source'],
        [{ url: `https://example.org/${'x'.repeat(2000)}`, text: 'Tekst.' }, 'invalid_url'],
      ] as const) {
        for (const [method, path] of [['post', '/api/articles'], ['put', `/api/articles/${SEED_ID}`]] as const) {
          const res = await send(app, method, path).send(body);
          expect([res.status, res.body.error.code], `${method} ${code}`).toEqual([400, code]);
        }
      }
      expect(folder()).toEqual(before);
    });

    it('answers 409 when a folder stands where the article file would go, and leaves it alone', async () => {
      const app = appWith(TOKEN);
      mkdirSync(join(articlesDir, 'map.txt'));
      const res = await send(app, 'put', '/api/articles/map').send({ text: 'Tekst.' });
      expect([res.status, res.body.error.code]).toEqual([409, 'conflict']);
      expect(res.body.error.message).toContain('is a folder');
      expect(readdirSync(join(articlesDir, 'map.txt'))).toEqual([]);
    });

    it('never answers 5xx, and after any refused write the files and search results are unchanged (random bodies)', async () => {
      const app = appWith(TOKEN);
      const hostile = fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary' }),
        fc.constantFrom('\u0000', '\ud800', '\udfff', 'x\u0000', '\ud83d', ' \n\n ', '2025-13-01', 'javascript:alert(1)', '../../etc/passwd'),
        fc.string().map((t) => `${t}\u0000${t}`),
        fc.nat({ max: 3000 }).map((n) => 'a'.repeat(n)),
      );
      const field = fc.oneof(hostile, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
      const body = fc.oneof(
        fc.record({ title: field, date: field, source: field, url: field, text: field }, { requiredKeys: [] }).map((o) => ({ json: o as unknown })),
        fc.record({ text: hostile, extra: field }, { requiredKeys: ['text'] }).map((o) => ({ json: o as unknown })),
        fc.jsonValue().map((json) => ({ json })),
        fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ raw: Buffer.from(bytes) })),
      );
      const target = fc.constantFrom<['post' | 'put', string]>(['post', '/api/articles'], ['put', `/api/articles/${SEED_ID}`], ['put', '/api/articles/ander']);
      let before = folder();
      let searched = await results(app);
      await fc.assert(
        fc.asyncProperty(target, body, async ([method, path], b) => {
          const req = send(app, method, path).set('Content-Type', 'application/json');
          const res = await ('raw' in b ? raw(req, b.raw) : req.send(JSON.stringify(b.json)));
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body.error.code).toEqual(expect.any(String));
            expect(folder()).toEqual(before);
            expect(await results(app)).toEqual(searched);
          } else {
            // Accepted: what is stored reads back, by the rule every file read follows, as the article answered.
            const stored = await readArticleFile(join(articlesDir, `${res.body.id}.txt`), res.body.id);
            expect(stored.kind).toBe('article');
            if (stored.kind === 'article') expect(stored.article.paragraphs).toEqual(res.body.paragraphs.map((p: { text: string }) => p.text));
            // And it is the new baseline for the next refusal.
            before = folder();
            searched = await results(app);
          }
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('PUT /api/articles/:id', () => {
    it('replaces an article (200) or creates it under that id (201), and search follows', async () => {
      const app = appWith(TOKEN);
      const replaced = await request(app).put(`/api/articles/${SEED_ID}`).set(auth).send({ title: 'Vervangen', text: 'Nu gaat het over Rutte.' });
      expect(replaced.status).toBe(200);
      expect(replaced.body.paragraphs).toHaveLength(1);
      expect((await request(app).get('/api/search?q=Witkoff')).body.total).toBe(0);
      expect((await request(app).get('/api/search?q=Rutte')).body.hits[0].id).toBe(`${SEED_ID}#1`);

      const created = await request(app).put('/api/articles/eigen-id').set(auth).send({ text: 'Over de OVSE.' });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe('/api/articles/eigen-id');
      expect(created.body.title).toBe('Over de OVSE');
    });

    it('refuses an id that could leave ARTICLES_DIR', async () => {
      const app = appWith(TOKEN);
      for (const id of ['..%2F..%2Fetc%2Fpasswd', '.verborgen', 'met%20spatie', 'a%23b']) {
        const res = await request(app).put(`/api/articles/${id}`).set(auth).send({ text: 'x' });
        expect(res.status, id).toBe(400);
        expect(res.body.error.code).toBe('invalid_id');
      }
      expect(readdirSync(articlesDir)).toEqual([`${SEED_ID}.txt`]);
    });
  });

  describe('DELETE /api/articles/:id', () => {
    it('removes the file and its paragraphs (204), and answers 404 for an unknown article', async () => {
      const app = appWith(TOKEN);
      expect((await request(app).delete(`/api/articles/${SEED_ID}`).set(auth)).status).toBe(204);
      expect(existsSync(join(articlesDir, `${SEED_ID}.txt`))).toBe(false);
      expect((await request(app).get('/api/search?q=NAVO')).body.total).toBe(0);
      expect((await request(app).get(`/api/articles/${SEED_ID}`)).status).toBe(404);
      const again = await request(app).delete(`/api/articles/${SEED_ID}`).set(auth);
      expect([again.status, again.body.error.code]).toEqual([404, 'article_not_found']);
    });
  });

  describe('POST and GET /api/reindex', () => {
    it('starts a background rebuild (202) and reports its progress and result', async () => {
      const app = appWith(TOKEN);
      const started = await request(app).post('/api/reindex').set(auth);
      expect(started.status).toBe(202);
      expect(started.headers.location).toBe('/api/reindex');
      expect(started.body.running).toBe(true);
      const deadline = Date.now() + 10_000;
      let status = started.body;
      while (status.running && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await request(app).get('/api/reindex').set(auth)).body;
      }
      expect(status).toMatchObject({ running: false, current: null, last: { ok: true, articles: 1, paragraphs: 19, error: null } });
      expect((await request(app).get('/api/search?q=NAVO')).body.total).toBe(2);
    });
  });

  describe('readiness', () => {
    it('answers /readyz 503 and search 503 until the index is loaded, then 200', async () => {
      const loading = new SearchService({ store: { kind: 'folder', articlesDir }, indexDir, stemmer: 'dutch', watch: false }, silentLogger);
      const app = createApp({ index: loading.index, searcher: loading.searcher, logger: silentLogger, status: () => loading.status() });
      const before = await request(app).get('/readyz');
      expect([before.status, before.body.status]).toEqual([503, 'loading']);
      const search = await request(app).get('/api/search?q=NAVO');
      expect([search.status, search.body.error.code, search.headers['retry-after']]).toEqual([503, 'not_ready', '1']);
      expect((await request(app).get('/?q=NAVO')).text).toContain('De index wordt nog geladen');
      await loading.start();
      const after = await request(app).get('/readyz');
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ status: 'ready', ready: true, articles: 1, paragraphs: 19 });
      await loading.stop();
    });

    it('shows on the search page how much is indexed and when it last changed', async () => {
      const res = await request(appWith(TOKEN)).get('/');
      expect(res.text).toMatch(/1 artikel en 19 alinea&#39;s doorzoekbaar, bijgewerkt <time datetime="[^"]+">\d+ \w+ \d{4} om \d\d:\d\d<\/time>/);
    });
  });
});
