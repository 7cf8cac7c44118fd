/**
 * Reads articles from a folder of `.txt` files. A file that is not a usable article is skipped with one
 * log line naming it and the reason; the rest load.
 */
import { open, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from '../logger.js';
import { ArticleError, MAX_ARTICLE_BYTES, decodeArticleBytes, parseArticle, type Article } from './article.js';

/** Is this file name one the folder serves as an article? (`.txt`, not hidden, not an editor's temp file.) */
export function isArticleFileName(name: string): boolean {
  return name.endsWith('.txt') && !name.startsWith('.') && !name.startsWith('~') && !name.startsWith('#') && name.length > 4;
}

/** The article id of a file name: the name without `.txt`. */
export function articleIdOf(fileName: string): string {
  return basename(fileName).slice(0, -'.txt'.length);
}

/**
 * Reads and parses one article file.
 * @throws ArticleError when it is not a usable article; other errors (permissions, I/O) pass through
 */
export async function readArticleFile(path: string): Promise<Article> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    // Refuse before reading: a huge file must not be pulled into memory.
    if (size > MAX_ARTICLE_BYTES) throw new ArticleError('too_large', `larger than ${MAX_ARTICLE_BYTES} bytes (${size})`);
    const bytes = await handle.readFile();
    return parseArticle(articleIdOf(path), decodeArticleBytes(bytes));
  } finally {
    await handle.close();
  }
}

/** A file that could not be loaded, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** How many files are read at once: enough to overlap I/O, few enough to keep file descriptors low. */
const READ_CONCURRENCY = 16;

/**
 * Loads every article of `dir`, sorted by id. Unusable files are logged and skipped.
 * @throws when `dir` itself cannot be read
 */
export async function loadArticlesFromDir(dir: string, logger: Logger): Promise<{ articles: Article[]; skipped: SkippedFile[] }> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && isArticleFileName(entry.name))
    .map((entry) => entry.name)
    .sort();
  const articles: Article[] = [];
  const skipped: SkippedFile[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < names.length) {
      const name = names[next++]!;
      const file = join(dir, name);
      try {
        articles.push(await readArticleFile(file));
      } catch (error) {
        const reason = error instanceof ArticleError ? error.message : describeIoError(error);
        skipped.push({ file, reason });
        logger.warn({ file, reason }, `skipped ${file}: ${reason}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, names.length) }, worker));
  articles.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { articles, skipped };
}

function describeIoError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `cannot read (${e.code})` : `cannot read (${String(error)})`;
}
