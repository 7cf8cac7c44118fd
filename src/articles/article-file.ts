/**
 * The one rule for what an article file is, and the one way to read one: a regular file, opened without
 * following links, at most MAX_ARTICLE_BYTES of usable UTF-8 text. The folder store (start-up scan,
 * watcher, reconciliation, writes) and the import command all read through `readArticleFile`.
 */
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { ArticleError, MAX_ARTICLE_BYTES, decodeArticleBytes, parseArticle, type Article } from './article.js';
import type { ArticleVersion } from './store.js';

/** What reading one path gave: an article (with the bytes it came from), a reason it is refused, or nothing there. */
export type ArticleFileState =
  | { kind: 'article'; article: Article; version: ArticleVersion; bytes: Buffer }
  | { kind: 'refused'; reason: string }
  | { kind: 'missing' };

/**
 * O_NOFOLLOW refuses a link at the last path component even when one was swapped in after the `lstat`;
 * O_NONBLOCK keeps a FIFO swapped in at that moment from blocking the open. Both are 0 where the platform
 * lacks them (Windows), and then the `lstat` and `fstat` checks alone decide.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What kind of entry `stats` describes, in words: `a regular file`, `a symbolic link`, `a folder`, … */
export function entryKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why an entry that is not a regular file is refused, in words for the log; null for a regular file. */
export function notARegularFile(stats: Stats): string | null {
  return stats.isFile() ? null : `${entryKind(stats)}; articles must be regular files (links are never followed)`;
}

/**
 * Reads the article at `path` under the one rule. Never follows a link, never opens a folder, FIFO or
 * device, never reads more than MAX_ARTICLE_BYTES.
 * @param id  the article's id (the file name without `.txt`)
 */
export async function readArticleFile(path: string, id: string): Promise<ArticleFileState> {
  let entry: Stats;
  try {
    entry = await lstat(path);
  } catch (error) {
    return failure(error);
  }
  const refusal = notARegularFile(entry);
  if (refusal !== null) return { kind: 'refused', reason: refusal };

  let handle: FileHandle;
  try {
    handle = await openNoFollow(path);
  } catch (error) {
    return failure(error);
  }
  try {
    // What was opened, not what lstat saw: the entry may have been replaced in between.
    const opened = await handle.stat();
    const swapped = notARegularFile(opened);
    if (swapped !== null) return { kind: 'refused', reason: swapped };
    if (opened.size > MAX_ARTICLE_BYTES) return { kind: 'refused', reason: `larger than ${MAX_ARTICLE_BYTES} bytes (${opened.size})` };
    const bytes = await handle.readFile();
    const article = parseArticle(id, decodeArticleBytes(bytes));
    return { kind: 'article', article, version: versionOf(bytes, opened.mtimeMs), bytes };
  } catch (error) {
    return failure(error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Opens `path` for reading, refusing a symbolic link at its last component (ELOOP) where the platform can.
 * @throws the open's error (`ELOOP` for a link)
 */
export function openNoFollow(path: string): Promise<FileHandle> {
  return open(path, OPEN_FLAGS);
}

/** The version of an article file: the SHA-256 of its bytes, with size and modification time as the token. */
export function versionOf(bytes: Uint8Array, mtimeMs: number): ArticleVersion {
  return { hash: hashArticleBytes(bytes), token: fileToken(bytes.length, mtimeMs), changedAtMs: Math.round(mtimeMs) };
}

/** The content hash every store gives an article: SHA-256 (hex) of its file encoding. */
export function hashArticleBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The folder's change signal: a file whose size and mtime are unchanged is not read again. */
export function fileToken(size: number, mtimeMs: number): string {
  return `${size}:${mtimeMs}`;
}

function failure(error: unknown): ArticleFileState {
  if (error instanceof ArticleError) return { kind: 'refused', reason: error.message };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { kind: 'missing' };
  if (code === 'ELOOP') return { kind: 'refused', reason: 'a symbolic link; articles must be regular files (links are never followed)' };
  return { kind: 'refused', reason: `cannot read (${code ?? String(error)})` };
}
