import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../src/articles/atomic-write.js';
import { FolderArticleStore } from '../../src/articles/folder-store.js';
import type { ArticleChange } from '../../src/articles/store.js';
import { StoreError } from '../../src/articles/store.js';
import { silentLogger, type Logger } from '../../src/logger.js';

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


/** A logger that keeps its warnings, for assertions on "one log line naming the file and the reason". */
function warnings() {
  const lines: Array<{ file: string; reason: string; msg: string }> = [];
  const logger: Logger = {
    ...silentLogger,
    warn: (obj: object, msg?: string) => void lines.push({ ...(obj as { file: string; reason: string }), msg: msg ?? '' }),
  };
  return { logger, lines };
}

const LINK = 'a symbolic link; articles must be regular files (links are never followed)';

describe('folder-store', () => {
  let root: string;
  let dir: string;
  let store: FolderArticleStore;
  let logged: ReturnType<typeof warnings>;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nieuwszoeker-store-'));
    dir = join(root, 'articles');
    mkdirSync(dir);
    // Outside ARTICLES_DIR: what a link must never serve.
    writeFileSync(join(root, 'elders.txt'), article('Geheim', 'Buiten de map: nologin.'));
    logged = warnings();
    store = new FolderArticleStore(dir, logged.logger, { stableMs: 80 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
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

    it('compares the whole folder now and then, so a file whose event the system dropped is still indexed', async () => {
      const often = new FolderArticleStore(dir, silentLogger, { stableMs: 80, reconcileEveryMs: 150 });
      const r = recorder();
      often.subscribe(r.listener, () => new Map());
      await often.watch();
      // The system's events stop (as when its queue overflows): only the periodic comparison can see the file.
      (often as unknown as { watcher: { close(): void } }).watcher.close();
      writeFileSync(join(dir, 'gemist.txt'), article('Gemist', 'Een gebeurtenis die niemand meldde.'));
      await r.until(upserted('gemist'), 5_000);
      await often.close();
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

  describe('links and other entries that are not regular files', () => {
    it('are refused by the watcher with one log line each: absolute and relative links, links to folders, folders', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      symlinkSync(join(root, 'elders.txt'), join(dir, 'absoluut.txt'));
      symlinkSync('../elders.txt', join(dir, 'relatief.txt'));
      symlinkSync(root, join(dir, 'map-link.txt'));
      mkdirSync(join(dir, 'map.txt'));
      writeFileSync(join(dir, 'echt.txt'), article('Echt', 'Wel indexeren.'));
      await r.until((cs) => ['absoluut', 'relatief', 'map-link', 'map'].every((id) => removed(id)(cs)) && upserted('echt')(cs));
      expect(r.all().filter((c) => c.type === 'upsert').map(show)).toEqual(['+echt:Wel indexeren.']);
      expect(logged.lines.map((l) => [l.file.slice(dir.length + 1), l.reason]).sort()).toEqual([
        ['absoluut.txt', LINK],
        ['map-link.txt', LINK],
        ['map.txt', 'a folder; articles must be regular files (links are never followed)'],
        ['relatief.txt', LINK],
      ]);
      for (const line of logged.lines) expect(line.msg).toBe(`skipped ${line.file}: ${line.reason}; not indexed`);
    });

    it('removes an indexed article when a link is swapped in for its file, and takes the file back when it returns', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      writeFileSync(join(dir, 'a.txt'), article('A', 'Eigen tekst.'));
      await r.until(upserted('a', 'Eigen tekst.'));
      symlinkSync(join(root, 'elders.txt'), join(dir, 'tijdelijk-link'));
      renameSync(join(dir, 'tijdelijk-link'), join(dir, 'a.txt'));
      await r.until(removed('a'));
      expect(upserted('a', 'nologin')(r.all())).toBe(false);
      writeFileSync(join(dir, 'tijdelijk'), article('A', 'Weer eigen tekst.'));
      renameSync(join(dir, 'tijdelijk'), join(dir, 'a.txt'));
      await r.until(upserted('a', 'Weer eigen tekst.'));
      expect(upserted('a', 'nologin')(r.all())).toBe(false);
    });

    it('logs a refused link once, even while links keep being put in its place', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      symlinkSync(join(root, 'elders.txt'), join(dir, 'link.txt'));
      await r.until(removed('link'));
      const reports = () => r.all().filter((c) => c.type === 'remove' && c.id === 'link').length;
      for (let i = 0; i < 3; i++) {
        const before = reports();
        symlinkSync(join(root, 'elders.txt'), join(dir, `nieuwe-link-${i}`));
        renameSync(join(dir, `nieuwe-link-${i}`), join(dir, 'link.txt'));
        await r.until(() => reports() > before); // the watcher reports the link again…
      }
      expect(logged.lines.filter((l) => l.file.endsWith('link.txt'))).toHaveLength(1); // …but it is logged once
    });

    it('does not follow a link to report what its target does', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      symlinkSync(join(root, 'elders.txt'), join(dir, 'link.txt'));
      await r.until(removed('link'));
      writeFileSync(join(root, 'elders.txt'), article('Geheim', 'Versie 2.'));
      writeFileSync(join(dir, 'echt.txt'), article('Echt', 'Wel.'));
      await r.until(upserted('echt'));
      expect(r.all().map(show)).toEqual(['-link', '+echt:Wel.']);
    });

    it('are refused by the start-up scan, and a known article whose file became a link is removed', async () => {
      symlinkSync(join(root, 'elders.txt'), join(dir, 'absoluut.txt'));
      symlinkSync('../elders.txt', join(dir, 'relatief.txt'));
      symlinkSync(root, join(dir, 'map-link.txt'));
      mkdirSync(join(dir, 'map.txt'));
      execFileSync('mkfifo', [join(dir, 'pijp.txt')]);
      writeFileSync(join(dir, 'echt.txt'), article('Echt', 'Wel.'));
      // What a snapshot remembers of an article whose file was a regular file before the restart.
      const known = new Map([['absoluut', { hash: 'oud', token: '10:1', changedAtMs: 1 }]]);
      const r = recorder();
      const summary = await store.changesSince(null, known, r.listener);
      expect(summary).toMatchObject({ files: 6, upserts: 1, skipped: 5, removals: 1 });
      expect(r.all().map(show)).toEqual(['+echt:Wel.', '-absoluut']);
      expect(Object.fromEntries(logged.lines.map((l) => [l.file.slice(dir.length + 1), l.msg.slice(l.file.length + 10)]))).toEqual({
        'absoluut.txt': `${LINK}; removed from the index`,
        'map-link.txt': `${LINK}; not indexed`,
        'map.txt': 'a folder; articles must be regular files (links are never followed); not indexed',
        'pijp.txt': 'a FIFO; articles must be regular files (links are never followed); not indexed',
        'relatief.txt': `${LINK}; not indexed`,
      });
    });
  });

  describe('open', () => {
    it('removes the temporary files of writers that died, one log line each, and leaves live writers and other files alone', async () => {
      // A pid that cannot be running: above Linux's pid_max.
      const dead = `.artikel.txt.4194399.0123abcd.tmp`;
      const live = `.ander.txt.${process.pid}.0123abcd.tmp`;
      writeFileSync(join(dir, dead), 'half geschreven');
      writeFileSync(join(dir, live), 'wordt nog geschreven');
      writeFileSync(join(dir, '.notities.tmp'), 'niet van ons');
      writeFileSync(join(dir, 'artikel.txt'), article('Artikel', 'Tekst.'));
      await store.open();
      expect(readdirSync(dir).sort()).toEqual(['.ander.txt.' + process.pid + '.0123abcd.tmp', '.notities.tmp', 'artikel.txt']);
      expect(logged.lines).toHaveLength(1);
      expect(logged.lines[0]!.msg).toBe(`removed ${join(dir, dead)}: a temporary file for artikel.txt left by a writer that stopped (pid 4194399)`);
    });
  });

  describe('scan', () => {
    it('reports only what differs from what the index knows, reading only files whose size or mtime changed', async () => {
      writeFileSync(join(dir, 'a.txt'), article('A', 'Eerste.'));
      writeFileSync(join(dir, 'b.txt'), article('B', 'Tweede.'));
      const first = recorder();
      const initial = await store.changesSince(null, new Map(), first.listener);
      expect(initial).toMatchObject({ files: 2, upserts: 2, unchanged: 0, removals: 0 });
      const known = new Map(first.all().flatMap((c) => (c.type === 'upsert' ? [[c.article.id, c.version] as const] : [])));

      writeFileSync(join(dir, 'b.txt'), article('B', 'Tweede, gewijzigd.'));
      writeFileSync(join(dir, 'c.txt'), article('C', 'Derde.'));
      writeFileSync(join(dir, 'kapot.txt'), '');
      const second = recorder();
      const summary = await store.changesSince(null, new Map([...known, ['weg', { hash: 'x', token: '1:1', changedAtMs: 1 }]]), second.listener);
      expect(summary).toMatchObject({ files: 4, unchanged: 1, upserts: 2, removals: 1, skipped: 1 });
      expect(second.all().map(show).sort()).toEqual(['+b:Tweede, gewijzigd.', '+c:Derde.', '-weg']);
    });
  });

  describe('create, put and remove', () => {
    it('writes a new article under a fresh id made from its title, and reports it once written', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.watch();
      const { article: created, seq } = await store.create({ title: 'NAVO-top in Den Haag', date: '2025-06-25', text: 'Eerste alinea.\n\nTweede alinea.' });
      expect(seq).toBeNull();
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
      expect(await store.remove('artikel')).toEqual({ removed: true, seq: null });
      expect(await store.remove('artikel')).toEqual({ removed: false, seq: null });
      expect(readdirSync(dir)).toEqual([]);
    });

    it('refuses an unsafe id or an article without text, writing nothing', async () => {
      await expect(store.put('../buiten', { text: 'x' })).rejects.toThrow('"../buiten" is not a valid article id');
      await expect(store.put('leeg', { title: 'Leeg', text: '  \n\n ' })).rejects.toThrow('no paragraph text');
      expect(readdirSync(dir)).toEqual([]);
    });

    it('refuses text a file read would refuse, leaving the previous file byte for byte and reporting nothing', async () => {
      const r = recorder();
      store.subscribe(r.listener);
      await store.put('artikel', { title: 'Een', text: 'Versie een.' });
      const before = readFileSync(join(dir, 'artikel.txt'));
      await expect(store.put('artikel', { text: 'x\u0000y' })).rejects.toThrow('text must not contain NUL characters');
      await expect(store.put('artikel', { text: 'x\ud800y' })).rejects.toThrow('text holds a lone UTF-16 surrogate');
      await expect(store.create({ title: 'a\u0000b', text: 'x' })).rejects.toThrow('title must not contain NUL characters');
      expect(readFileSync(join(dir, 'artikel.txt'))).toEqual(before);
      expect(readdirSync(dir)).toEqual(['artikel.txt']);
      expect(r.all().map(show)).toEqual(['+artikel:Versie een.']);
    });

    it('refuses to put an article where a folder has its name, and replaces a link with a file without writing through it', async () => {
      mkdirSync(join(dir, 'map.txt'));
      const conflict = store.put('map', { text: 'x' });
      await expect(conflict).rejects.toBeInstanceOf(StoreError);
      await expect(conflict).rejects.toMatchObject({ code: 'conflict' });
      expect(lstatSync(join(dir, 'map.txt')).isDirectory()).toBe(true);

      symlinkSync(join(root, 'elders.txt'), join(dir, 'link.txt'));
      const outside = readFileSync(join(root, 'elders.txt'));
      const { created } = await store.put('link', { title: 'Eigen', text: 'Nu een echt bestand.' });
      expect(created).toBe(true);
      expect(lstatSync(join(dir, 'link.txt')).isFile()).toBe(true);
      expect(readFileSync(join(dir, 'link.txt'), 'utf8')).toContain('Nu een echt bestand.');
      expect(readFileSync(join(root, 'elders.txt'))).toEqual(outside);
      expect(existsSync(join(dir, 'map.txt'))).toBe(true);
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
      expect(await writeFileAtomically(dir, 'a.txt', 'nieuw', { overwrite: false })).toBe(null);
      expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('oud');
      expect(await writeFileAtomically(dir, 'a.txt', 'nieuw', { overwrite: true })).toMatchObject({ size: 5 });
      expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('nieuw');
      expect(readdirSync(dir)).toEqual(['a.txt']);
    });
  });
});
