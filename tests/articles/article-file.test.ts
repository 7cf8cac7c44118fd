import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ARTICLE_BYTES } from '../../src/articles/article.js';
import { openNoFollow, readArticleFile, versionOf } from '../../src/articles/article-file.js';

const LINK = 'a symbolic link; articles must be regular files (links are never followed)';

describe('article-file', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nieuwszoeker-article-file-'));
    dir = join(root, 'articles');
    mkdirSync(dir);
    writeFileSync(join(root, 'elders.txt'), 'title: Geheim\n\nDit bestand staat buiten de map.\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('readArticleFile', () => {
    it('reads a regular file into an article, its bytes and their version', async () => {
      const text = 'title: NAVO\n\nDe NAVO vergaderde.\n';
      writeFileSync(join(dir, 'navo.txt'), text);
      const state = await readArticleFile(join(dir, 'navo.txt'), 'navo');
      expect(state.kind).toBe('article');
      if (state.kind !== 'article') return;
      expect(state.article).toMatchObject({ id: 'navo', title: 'NAVO', paragraphs: ['De NAVO vergaderde.'] });
      expect(state.bytes.toString('utf8')).toBe(text);
      expect(state.version.hash).toBe(versionOf(Buffer.from(text), 0).hash);
      expect(state.version.token).toMatch(new RegExp(`^${Buffer.byteLength(text)}:`));
    });

    it('refuses absolute and relative links to files, links to folders and dangling links, never reading through them', async () => {
      symlinkSync(join(root, 'elders.txt'), join(dir, 'absoluut.txt'));
      symlinkSync('../elders.txt', join(dir, 'relatief.txt'));
      symlinkSync(root, join(dir, 'map-link.txt'));
      symlinkSync(join(root, 'bestaat-niet.txt'), join(dir, 'los.txt'));
      for (const name of ['absoluut', 'relatief', 'map-link', 'los']) {
        expect(await readArticleFile(join(dir, `${name}.txt`), name), name).toEqual({ kind: 'refused', reason: LINK });
      }
    });

    it('refuses a folder, a FIFO and a device, naming what it is', async () => {
      mkdirSync(join(dir, 'map.txt'));
      execFileSync('mkfifo', [join(dir, 'pijp.txt')]);
      // A FIFO opened for reading without O_NONBLOCK would wait for a writer: the test would hang, not fail.
      expect(await readArticleFile(join(dir, 'map.txt'), 'map')).toEqual({ kind: 'refused', reason: 'a folder; articles must be regular files (links are never followed)' });
      expect(await readArticleFile(join(dir, 'pijp.txt'), 'pijp')).toEqual({ kind: 'refused', reason: 'a FIFO; articles must be regular files (links are never followed)' });
      expect(await readArticleFile('/dev/null', 'null')).toEqual({ kind: 'refused', reason: 'a device; articles must be regular files (links are never followed)' });
    });

    it('reports a missing file as missing and refuses unusable content with the reason', async () => {
      expect(await readArticleFile(join(dir, 'weg.txt'), 'weg')).toEqual({ kind: 'missing' });
      writeFileSync(join(dir, 'binair.txt'), Buffer.from([0x41, 0x00]));
      writeFileSync(join(dir, 'groot.txt'), Buffer.alloc(MAX_ARTICLE_BYTES + 1, 0x61));
      expect(await readArticleFile(join(dir, 'binair.txt'), 'binair')).toEqual({ kind: 'refused', reason: 'binary content (NUL bytes)' });
      expect(await readArticleFile(join(dir, 'groot.txt'), 'groot')).toEqual({
        kind: 'refused',
        reason: `larger than ${MAX_ARTICLE_BYTES} bytes (${MAX_ARTICLE_BYTES + 1})`,
      });
    });
  });

  describe('openNoFollow', () => {
    // The guard for a link swapped in between readArticleFile's lstat and its open: the open itself refuses it.
    it('refuses to open a link, and opens a regular file', async () => {
      symlinkSync(join(root, 'elders.txt'), join(dir, 'link.txt'));
      await expect(openNoFollow(join(dir, 'link.txt'))).rejects.toMatchObject({ code: 'ELOOP' });
      const handle = await openNoFollow(join(root, 'elders.txt'));
      expect((await handle.readFile()).toString('utf8')).toContain('buiten de map');
      await handle.close();
    });
  });
});
