import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../src/articles/atomic-write.js';
import { FolderArticleStore } from '../../src/articles/folder-store.js';
import type { ArticleChange } from '../../src/articles/store.js';
import { silentLogger } from '../../src/logger.js';

const article = (title: string, body: string) => `title: ${title}\n\n${body}\n`;

/** Collects what a store reports, and waits for what a test expects. */
function recorder() {
  const batches: ArticleChange[][] = [];
  const all = () => batches.flat();
  return {
    batches,
    all,
    listener: async (changes: ArticleChange[]) => void batches.push(changes),
    async until(predicate: (changes: ArticleChange[]) => boolean, ms = 10_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!predicate(all())) {
        if (Date.now() > deadline) throw new Error(`timed out; saw ${JSON.stringify(all().map(show))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** A change as a short string: `+id:paragraph|paragraph` or `-id`. */
function show(c: ArticleChange): string {
  return c.type === 'remove' ? `-${c.id}` : `+${c.article.id}:${c.article.paragraphs.join('|')}`;
}

const upserted = (id: string, text?: string) => (cs: ArticleChange[]) =>
  cs.some((c) => c.type === 'upsert' && c.article.id === id && (text === undefined || c.article.paragraphs.join('\n').includes(text)));
const removed = (id: string) => (cs: ArticleChange[]) => cs.some((c) => c.type === 'remove' && c.id === id);


describe('folder-store', () => {
  let dir: string;
  let store: FolderArticleStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-store-'));
    store = new FolderArticleStore(dir, silentLogger, { stableMs: 80 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('watch', () => {
    it('reports an added, edited, renamed and deleted article', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      writeFileSync(join(dir, 'navo.txt'), article('NAVO', 'De NAVO vergadert.'));
      await r.until(upserted('navo', 'De NAVO vergadert.'));
      writeFileSync(join(dir, 'navo.txt'), article('NAVO', 'De NAVO besloot.'));
      await r.until(upserted('navo', 'De NAVO besloot.'));
      renameSync(join(dir, 'navo.txt'), join(dir, 'navo-top.txt'));
      await r.until((cs) => removed('navo')(cs) && upserted('navo-top', 'besloot')(cs));
      unlinkSync(join(dir, 'navo-top.txt'));
      await r.until(removed('navo-top'));
    });

    it('ignores hidden files, editor temporaries and other files', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      for (const name of ['.navo.txt', 'navo.txt~', '#navo.txt#', '.navo.txt.swp', '4913', 'notities.md', '~$navo.txt']) {
        writeFileSync(join(dir, name), article('Tijdelijk', 'Niet indexeren.'));
      }
      writeFileSync(join(dir, 'echt.txt'), article('Echt', 'Wel indexeren.'));
      await r.until(upserted('echt'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(r.all().map(show)).toEqual(['+echt:Wel indexeren.']);
    });

    it('does not report a file while it is still being written', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      const fd = openSync(join(dir, 'lang.txt'), 'w');
      writeSync(fd, 'title: Lang\n\nEerste alinea over de NAVO.\n\n');
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        writeSync(fd, `Alinea ${i + 2}.\n\n`);
      }
      closeSync(fd);
      await r.until(upserted('lang', 'Alinea 6.'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(r.all().map(show)).toEqual(['+lang:Eerste alinea over de NAVO.|Alinea 2.|Alinea 3.|Alinea 4.|Alinea 5.|Alinea 6.']);
    });

    it('absorbs a burst of thousands of files in batches', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      const n = 2000;
      for (let i = 0; i < n; i++) writeFileSync(join(dir, `artikel-${i}.txt`), article(`Artikel ${i}`, `Tekst nummer ${i}.`));
      await r.until((cs) => new Set(cs.filter((c) => c.type === 'upsert').map((c) => (c as { article: { id: string } }).article.id)).size === n, 30_000);
      expect(r.batches.length).toBeLessThan(n / 10);
      for (const batch of r.batches) expect(batch.length).toBeLessThanOrEqual(256);
    });

    it('reports an article that became unusable as removed', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      writeFileSync(join(dir, 'a.txt'), article('A', 'Tekst.'));
      await r.until(upserted('a'));
      writeFileSync(join(dir, 'a.txt'), Buffer.from([0x41, 0x00, 0x42]));
      await r.until(removed('a'));
    });
  });

  describe('scan', () => {
    it('reports only what differs from what the index knows, reading only files whose size or mtime changed', async () => {
      writeFileSync(join(dir, 'a.txt'), article('A', 'Eerste.'));
      writeFileSync(join(dir, 'b.txt'), article('B', 'Tweede.'));
      const first = recorder();
      const initial = await store.scan(new Map(), first.listener);
      expect(initial).toMatchObject({ files: 2, upserts: 2, unchanged: 0, removals: 0 });
      const known = new Map(first.all().flatMap((c) => (c.type === 'upsert' ? [[c.article.id, c.version] as const] : [])));

      writeFileSync(join(dir, 'b.txt'), article('B', 'Tweede, gewijzigd.'));
      writeFileSync(join(dir, 'c.txt'), article('C', 'Derde.'));
      writeFileSync(join(dir, 'kapot.txt'), '');
      const second = recorder();
      const summary = await store.scan(new Map([...known, ['weg', { hash: 'x', size: 1, mtimeMs: 1 }]]), second.listener);
      expect(summary).toMatchObject({ files: 4, unchanged: 1, upserts: 2, removals: 1, skipped: 1 });
      expect(second.all().map(show).sort()).toEqual(['+b:Tweede, gewijzigd.', '+c:Derde.', '-weg']);
    });
  });

  describe('create, put and remove', () => {
    it('writes a new article under a fresh id made from its title, and reports it once written', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      const created = await store.create({ title: 'NAVO-top in Den Haag', date: '2025-06-25', text: 'Eerste alinea.\n\nTweede alinea.' });
      expect(created.id).toMatch(/^navo-top-in-den-haag-[0-9a-f]{6}$/);
      expect(upserted(created.id)(r.all())).toBe(true);
      expect(readFileSync(join(dir, `${created.id}.txt`), 'utf8')).toBe(
        'title: NAVO-top in Den Haag\ndate: 2025-06-25\n\nEerste alinea.\n\nTweede alinea.\n',
      );
      expect(readdirSync(dir)).toEqual([`${created.id}.txt`]);
    });

    it('replaces or creates with put, and removes with remove', async () => {
      const first = await store.put('artikel', { title: 'Een', text: 'Versie een.' });
      expect(first.created).toBe(true);
      const second = await store.put('artikel', { title: 'Een', text: 'Versie twee.' });
      expect(second.created).toBe(false);
      expect(readFileSync(join(dir, 'artikel.txt'), 'utf8')).toContain('Versie twee.');
      expect(await store.remove('artikel')).toBe(true);
      expect(await store.remove('artikel')).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('refuses an unsafe id or an article without text, writing nothing', async () => {
      await expect(store.put('../buiten', { text: 'x' })).rejects.toThrow('"../buiten" is not a valid article id');
      await expect(store.put('leeg', { title: 'Leeg', text: '  \n\n ' })).rejects.toThrow('no paragraph text');
      expect(readdirSync(dir)).toEqual([]);
    });

    it('settles two writes to one article on the last', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      await Promise.all([store.put('x', { title: 'X', text: 'Eerst.' }), store.put('x', { title: 'X', text: 'Daarna.' })]);
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the watcher report the renames too
      const last = r.all().filter((c) => c.type === 'upsert').at(-1)!;
      expect(show(last)).toBe('+x:Daarna.');
      expect(readFileSync(join(dir, 'x.txt'), 'utf8')).toContain('Daarna.');
    });
  });

  describe('writeFileAtomically', () => {
    it('never replaces an existing file without overwrite, and leaves no temporary file', async () => {
      writeFileSync(join(dir, 'a.txt'), 'oud');
      expect(await writeFileAtomically(dir, 'a.txt', 'nieuw', { overwrite: false })).toBe(false);
      expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('oud');
      expect(await writeFileAtomically(dir, 'a.txt', 'nieuw', { overwrite: true })).toBe(true);
      expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('nieuw');
      expect(readdirSync(dir)).toEqual(['a.txt']);
    });
  });
});
