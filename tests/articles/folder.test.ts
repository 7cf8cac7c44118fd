import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ARTICLE_BYTES } from '../../src/articles/article.js';
import { articleIdOf, isArticleFileName } from '../../src/articles/folder.js';
import { FolderArticleStore } from '../../src/articles/folder-store.js';
import type { ArticleChange } from '../../src/articles/store.js';
import type { Logger } from '../../src/logger.js';
import { REPO_ROOT } from '../helpers/shared.js';

/** A logger that keeps what was logged, for assertions. */
function recordingLogger() {
  const lines: Array<{ level: string; obj: object; msg: string | undefined }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  const logger: Logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
  return { logger, lines };
}

describe('folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nieuwszoeker-folder-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('reading a folder of articles', () => {
    it('loads the usable articles and logs one line per unusable file, naming it and the reason', async () => {
      copyFileSync(join(REPO_ROOT, 'data', 'articles', '000_463c9f2ccdc7d6fc.txt'), join(dir, '000_463c9f2ccdc7d6fc.txt'));
      writeFileSync(join(dir, 'b-goed.txt'), 'title: Goed\n\nEen alinea.\n');
      writeFileSync(join(dir, 'leeg.txt'), '');
      writeFileSync(join(dir, 'binair.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]));
      writeFileSync(join(dir, 'latin1.txt'), Buffer.from('caf\xe9', 'latin1'));
      writeFileSync(join(dir, 'te-groot.txt'), Buffer.alloc(MAX_ARTICLE_BYTES + 1, 0x61));
      writeFileSync(join(dir, 'met spatie.txt'), 'Tekst.');
      writeFileSync(join(dir, 'notities.md'), 'geen artikel');
      writeFileSync(join(dir, '.verborgen.txt'), 'verborgen');
      mkdirSync(join(dir, 'map.txt'));

      const { logger, lines } = recordingLogger();
      const changes: ArticleChange[] = [];
      const summary = await new FolderArticleStore(dir, logger).changesSince(null, new Map(), async (batch) => void changes.push(...batch));

      expect(changes.map((c) => (c.type === 'upsert' ? c.article.id : c.id))).toEqual(['000_463c9f2ccdc7d6fc', 'b-goed']);
      expect(summary).toMatchObject({ files: 8, upserts: 2, skipped: 6 });
      const reasons = Object.fromEntries(
        lines.filter((l) => l.level === 'warn').map((l) => [(l.obj as { file: string }).file.slice(dir.length + 1), (l.obj as { reason: string }).reason]),
      );
      expect(reasons).toEqual({
        'binair.txt': 'binary content (NUL bytes)',
        'latin1.txt': 'not valid UTF-8',
        'leeg.txt': 'empty file',
        'map.txt': 'a folder; articles must be regular files (links are never followed)',
        'met spatie.txt': '"met spatie" is not a valid article id',
        'te-groot.txt': `larger than ${MAX_ARTICLE_BYTES} bytes (${MAX_ARTICLE_BYTES + 1})`,
      });
      for (const w of lines.filter((l) => l.level === 'warn')) expect(w.msg).toMatch(new RegExp(`^skipped ${dir}/.+\\.txt: .+`));
    });

    it('fails when the folder itself cannot be read', async () => {
      const store = new FolderArticleStore(join(dir, 'bestaat-niet'), recordingLogger().logger);
      await expect(store.changesSince(null, new Map(), async () => undefined)).rejects.toThrow(/ENOENT/);
    });
  });

  describe('isArticleFileName', () => {
    it('takes .txt files and leaves hidden and editor files alone', () => {
      expect(['a.txt', '000_463c9f2ccdc7d6fc.txt'].map(isArticleFileName)).toEqual([true, true]);
      expect(['.a.txt', '~a.txt', '#a.txt#', 'a.txt~', 'a.md', '.txt'].map(isArticleFileName)).toEqual([false, false, false, false, false, false]);
    });
  });

  describe('articleIdOf', () => {
    it('is the file name without .txt', () => {
      expect(articleIdOf('/x/data/articles/000_463c9f2ccdc7d6fc.txt')).toBe('000_463c9f2ccdc7d6fc');
    });
  });
});
