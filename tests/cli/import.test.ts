import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ARTICLE_BYTES } from '../../src/articles/article.js';
import { MissingInputError, importArticles, type ImportReporter, type ImportResult } from '../../src/cli/import.js';
import { REPO_ROOT } from '../helpers/shared.js';

const NAVO = 'title: Test\n\nDe NAVO vergaderde in Den Haag.\n';
const KABINET = 'title: Kabinet\n\nHet kabinet viel op dinsdag.\n\nDe Tweede Kamer debatteert morgen.\n';

/** A reporter that keeps every call, for assertions. */
function recorder() {
  const results: ImportResult[] = [];
  const progress: Array<[number, number]> = [];
  let total: number | undefined;
  const reporter: ImportReporter = {
    start(n) {
      total = n;
    },
    file(result, done, n) {
      results.push(result);
      progress.push([done, n]);
    },
  };
  const reasonOf = (path: string) => results.find((r) => r.path === path)?.reason;
  return { reporter, results, progress, reasonOf, total: () => total };
}

let tmp: string;
let src: string;
let target: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'nieuwszoeker-import-'));
  src = join(tmp, 'bron');
  target = join(tmp, 'doel', 'articles');
  mkdirSync(src);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes `content` to `src/<rel>`, creating folders; returns the path. */
function put(rel: string, content: string | Uint8Array): string {
  const path = join(src, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe('importArticles', () => {
  it('copies the bytes unchanged into a target folder it creates, and leaves no temporary files', async () => {
    // CRLF, a BOM and ragged whitespace: the service would parse these, and the copy must not reformat them.
    const raw = '\ufefftitle: Café  \r\n\r\nDe   NAVO vergaderde\r\nin Den Haag.\r\n';
    const a = put('a.txt', raw);
    const b = put('b.txt', KABINET);
    const { reporter, results, progress, total } = recorder();

    const summary = await importArticles([src], target, reporter);

    expect(summary).toEqual({ total: 2, added: 2, updated: 0, unchanged: 0, skipped: 0, targetDir: target });
    expect(results).toEqual([
      { path: a, status: 'added', reason: null },
      { path: b, status: 'added', reason: null },
    ]);
    expect(total()).toBe(2);
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(readFileSync(join(target, 'a.txt'))).toEqual(Buffer.from(raw));
    expect(readFileSync(join(target, 'b.txt'), 'utf8')).toBe(KABINET);
    expect(readdirSync(target).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it('counts identical targets as unchanged (not rewritten) and different ones as updated', async () => {
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'zelfde.txt'), NAVO);
    writeFileSync(join(target, 'anders.txt'), NAVO);
    // Same size, different bytes: the hash must decide, not the size.
    writeFileSync(join(target, 'even-lang.txt'), NAVO.replace('Den Haag', 'Den Hoek'));
    writeFileSync(join(target, 'bestaand.txt'), 'title: Blijft\n\nDit artikel staat er al.\n');
    const inodeBefore = statSync(join(target, 'zelfde.txt')).ino;
    const zelfde = put('zelfde.txt', NAVO);
    const anders = put('anders.txt', KABINET);
    const evenLang = put('even-lang.txt', NAVO);
    const nieuw = put('nieuw.txt', KABINET);
    const { reporter, results } = recorder();

    const summary = await importArticles([src], target, reporter);

    expect(summary).toMatchObject({ total: 4, added: 1, updated: 2, unchanged: 1, skipped: 0 });
    expect(results).toEqual([
      { path: anders, status: 'updated', reason: null },
      { path: evenLang, status: 'updated', reason: null },
      { path: nieuw, status: 'added', reason: null },
      { path: zelfde, status: 'unchanged', reason: 'unchanged' },
    ]);
    expect(statSync(join(target, 'zelfde.txt')).ino).toBe(inodeBefore);
    expect(readFileSync(join(target, 'anders.txt'), 'utf8')).toBe(KABINET);
    expect(readFileSync(join(target, 'even-lang.txt'), 'utf8')).toBe(NAVO);
    // Never deletes: an article the import does not mention stays.
    expect(readdirSync(target).sort()).toEqual(['anders.txt', 'bestaand.txt', 'even-lang.txt', 'nieuw.txt', 'zelfde.txt']);
  });

  it('skips invalid files with the service’s reasons and writes nothing for them', async () => {
    const goed = put('goed.txt', NAVO);
    const leeg = put('leeg.txt', '');
    const spaties = put('spaties.txt', ' \n\t\n');
    const binair = put('binair.txt', Buffer.from([0x44, 0x65, 0x00, 0x4e]));
    const latin1 = put('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xff]));
    const spatie = put('met spatie.txt', NAVO);
    const kop = put('alleen-kop.txt', 'title: Alleen een kop\n\n');
    const groot = put('te-groot.txt', Buffer.alloc(MAX_ARTICLE_BYTES + 1, 0x61));
    const notities = put('notities.md', NAVO);
    const { reporter, reasonOf, results } = recorder();

    // The .md file is named explicitly: in a folder it would not count as a file at all.
    const summary = await importArticles([src, notities], target, reporter);

    expect(summary).toMatchObject({ total: 9, added: 1, updated: 0, unchanged: 0, skipped: 8 });
    expect(reasonOf(goed)).toBeNull();
    expect(reasonOf(leeg)).toBe('empty file');
    expect(reasonOf(spaties)).toBe('no text (only whitespace)');
    expect(reasonOf(binair)).toBe('binary content (NUL bytes)');
    expect(reasonOf(latin1)).toBe('not valid UTF-8');
    expect(reasonOf(spatie)).toBe('"met spatie" is not a valid article id');
    expect(reasonOf(kop)).toBe('no paragraph text');
    expect(reasonOf(groot)).toBe(`larger than ${MAX_ARTICLE_BYTES} bytes (${MAX_ARTICLE_BYTES + 1})`);
    expect(reasonOf(notities)).toBe('not a .txt file');
    expect(results.filter((r) => r.status === 'skipped')).toHaveLength(8);
    expect(readdirSync(target)).toEqual(['goed.txt']);
  });

  it('lets the first file with an id win and skips later ones, naming the first', async () => {
    const eerste = put('januari/navo.txt', NAVO);
    const tweede = put('februari/navo.txt', KABINET);
    // An invalid file does not claim its id: the valid one after it is imported.
    const ongeldig = put('januari/kabinet.txt', '');
    const geldig = put('februari/kabinet.txt', KABINET);
    const { reporter, reasonOf, results } = recorder();

    // februari/ sorts before januari/, so the order of the arguments decides here.
    const summary = await importArticles([join(src, 'januari'), join(src, 'februari')], target, reporter);

    expect(results.map((r) => r.path)).toEqual([ongeldig, eerste, geldig, tweede]);
    expect(reasonOf(tweede)).toBe(`duplicate id "navo" (also ${eerste})`);
    expect(reasonOf(ongeldig)).toBe('empty file');
    expect(reasonOf(geldig)).toBeNull();
    expect(summary).toMatchObject({ added: 2, skipped: 2 });
    expect(readFileSync(join(target, 'navo.txt'), 'utf8')).toBe(NAVO);
    expect(readFileSync(join(target, 'kabinet.txt'), 'utf8')).toBe(KABINET);
    expect(readdirSync(target).sort()).toEqual(['kabinet.txt', 'navo.txt']);
  });

  it('counts a file named twice (directly and through its folder) once', async () => {
    const a = put('a.txt', NAVO);
    const { reporter, results } = recorder();
    const summary = await importArticles([a, src, join(src, '.', 'a.txt')], target, reporter);
    expect(summary).toMatchObject({ total: 1, added: 1, skipped: 0 });
    expect(results).toEqual([{ path: a, status: 'added', reason: null }]);
  });

  it('walks subfolders in sorted order, skipping hidden folders and files that are not articles', async () => {
    const top = put('top.txt', NAVO);
    const diep = put('2025/05/diep.txt', KABINET);
    const ander = put('2025/ander.txt', NAVO);
    put('.git/objects/verborgen.txt', NAVO);
    put('2025/.cache/ook-verborgen.txt', NAVO);
    put('.verborgen.txt', NAVO);
    put('~lock.txt', NAVO);
    put('#autosave.txt#', NAVO);
    put('kopie.txt~', NAVO);
    put('notities.md', NAVO);
    const { reporter, results } = recorder();

    const summary = await importArticles([src], target, reporter);

    expect(results.map((r) => r.path)).toEqual([diep, ander, top]);
    expect(summary).toMatchObject({ total: 3, added: 3, skipped: 0 });
    expect(readdirSync(target).sort()).toEqual(['ander.txt', 'diep.txt', 'top.txt']);
  });

  it('throws before writing anything when an input does not exist', async () => {
    put('a.txt', NAVO);
    const missing = join(tmp, 'bestaat-niet');
    const { reporter, results } = recorder();
    const attempt = importArticles([src, missing], target, reporter);
    await expect(attempt).rejects.toBeInstanceOf(MissingInputError);
    await expect(attempt).rejects.toMatchObject({ paths: [missing] });
    expect(results).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });

  it('skips links found in a folder or named, as ARTICLES_DIR refuses them, and replaces a link at the target with the file', async () => {
    const outside = join(tmp, 'elders.txt');
    writeFileSync(outside, NAVO);
    put('echt.txt', KABINET);
    symlinkSync(outside, join(src, 'link.txt'));
    symlinkSync('../elders.txt', join(src, 'relatief.txt'));
    mkdirSync(target, { recursive: true });
    symlinkSync(outside, join(target, 'echt.txt'));
    const { reporter, reasonOf } = recorder();

    const summary = await importArticles([src, join(src, 'link.txt')], target, reporter);

    const LINK = 'a symbolic link; articles must be regular files (links are never followed)';
    expect(reasonOf(join(src, 'link.txt'))).toBe(LINK);
    expect(reasonOf(join(src, 'relatief.txt'))).toBe(LINK);
    expect(summary).toMatchObject({ added: 0, updated: 1, skipped: 2 });
    expect(lstatSync(join(target, 'echt.txt')).isFile()).toBe(true);
    expect(readFileSync(join(target, 'echt.txt'), 'utf8')).toBe(KABINET);
    expect(readFileSync(outside, 'utf8')).toBe(NAVO); // never written through the link
    expect(readdirSync(target)).toEqual(['echt.txt']);
  });

  // An unreadable file, in a way that holds for root too (root reads any file, so no chmod test in CI):
  // a symbolic link that points to itself cannot be opened.
  it('skips an unreadable file with the error code', async () => {
    const loop = join(src, 'lus.txt');
    symlinkSync(loop, loop);
    const { reporter, reasonOf } = recorder();
    const summary = await importArticles([loop], target, reporter);
    expect(reasonOf(loop)).toBe('cannot read (ELOOP)');
    expect(summary).toMatchObject({ added: 0, skipped: 1 });
  });
});

describe('npm run import (child process)', () => {
  /** Runs src/cli/import.ts as `npm run import` does, with stdout and stderr piped (not a TTY). */
  function run(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ARTICLES_DIR: target, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // 'close' comes after both streams have ended, so all output has been read.
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('prints plain progress lines and the summary, and exits 0 when everything was imported', async () => {
    put('a.txt', NAVO);
    put('sub/b.txt', KABINET);

    const first = await run([src]);
    expect(first.stderr).toBe('');
    expect(first.stdout).not.toContain('\r');
    expect(first.stdout).toBe(`imported 1/2 files\nimported 2/2 files\nadded 2, updated 0, unchanged 0, skipped 0 (into ${target})\n`);
    expect(first.code).toBe(0);
    expect(readdirSync(target).sort()).toEqual(['a.txt', 'b.txt']);

    // Running it again changes nothing and is still a success.
    const again = await run([src]);
    expect(again.stdout).toContain(`added 0, updated 0, unchanged 2, skipped 0 (into ${target})\n`);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
  });

  it('prints progress at every tenth of the way, not for every file', async () => {
    for (let i = 1; i <= 25; i++) put(`artikel-${String(i).padStart(2, '0')}.txt`, `De NAVO vergaderde voor de ${i}e keer.\n`);
    const { code, stdout } = await run([src]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toEqual([3, 5, 8, 10, 13, 15, 18, 20, 23, 25].map((n) => `imported ${n}/25 files`));
    expect(lines.at(-1)).toBe(`added 25, updated 0, unchanged 0, skipped 0 (into ${target})`);
    expect(code).toBe(0);
  });

  it('reports each skipped file on stderr and exits 1', async () => {
    put('goed.txt', NAVO);
    const leeg = put('leeg.txt', '');
    const binair = put('binair.txt', Buffer.from([0x00, 0x01]));
    const { code, stdout, stderr } = await run([src]);
    expect(stderr).toBe(`skipped ${binair}: binary content (NUL bytes)\nskipped ${leeg}: empty file\n`);
    expect(stdout).toContain('imported 3/3 files\n');
    expect(stdout).toContain(`added 1, updated 0, unchanged 0, skipped 2 (into ${target})\n`);
    expect(code).toBe(1);
    expect(readdirSync(target)).toEqual(['goed.txt']);
  });

  it('exits 2 with a usage line when given no arguments, and creates nothing', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^usage: npm run import -- <files or folders>/);
    expect(existsSync(target)).toBe(false);
  });

  it('exits 2 for a path that does not exist and writes nothing at all', async () => {
    put('a.txt', NAVO);
    const missing = join(tmp, 'bestaat-niet.txt');

    const fresh = await run([src, missing]);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toBe(`import: ${missing} does not exist\n`);
    expect(fresh.stdout).toBe('');
    expect(existsSync(target)).toBe(false);

    // An existing target folder is left exactly as it was.
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'a.txt'), KABINET);
    const existing = await run([src, missing]);
    expect(existing.code).toBe(2);
    expect(readdirSync(target)).toEqual(['a.txt']);
    expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe(KABINET);
  });
});
