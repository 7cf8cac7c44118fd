/**
 * What an article is, and how one is read from its text file: optional metadata (a `key: value` header
 * block, or the legacy leading `date 2025-05` marker), then paragraphs separated by blank lines.
 */

/** One news article, as read from `ARTICLES_DIR/<id>.txt`. */
export interface Article {
  /** The file name without `.txt`. */
  id: string;
  /** From the header, else derived from the first sentence. */
  title: string;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, when the file gives a valid one. */
  date: string | null;
  source: string | null;
  url: string | null;
  /** Paragraph texts in order, whitespace collapsed; never empty. */
  paragraphs: string[];
}

/** The metadata keys a header block may hold. */
export const ARTICLE_KEYS = ['title', 'date', 'source', 'url'] as const;
type ArticleKey = (typeof ARTICLE_KEYS)[number];

/** Largest article file we read (4 MiB): far above any news article, small enough to never stall the service. */
export const MAX_ARTICLE_BYTES = 4 * 1024 * 1024;

/** Titles derived from the first sentence are cut at a word boundary near this many characters. */
export const DERIVED_TITLE_LENGTH = 80;

/** Article ids: letters, digits, `.`, `_`, `-`; not starting with `.`; at most 128 characters. */
export const ARTICLE_ID_PATTERN = /^[\p{L}\p{N}_-][\p{L}\p{N}._-]{0,127}$/u;

/** Why a file could not be read as an article. The message is one line, fit for a log. */
export class ArticleError extends Error {
  constructor(
    readonly code: 'too_large' | 'empty' | 'binary' | 'invalid_utf8' | 'no_text' | 'invalid_id' | 'invalid_unicode',
    message: string,
    /** The input field at fault, when the article came from a client (`text`, `title`, …). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ArticleError';
  }
}

export function isValidArticleId(id: string): boolean {
  return ARTICLE_ID_PATTERN.test(id);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an article file's bytes, refusing what is not usable text.
 * @throws ArticleError too large, empty, binary (NUL bytes) or invalid UTF-8
 */
export function decodeArticleBytes(bytes: Uint8Array): string {
  if (bytes.length > MAX_ARTICLE_BYTES) {
    throw new ArticleError('too_large', `larger than ${MAX_ARTICLE_BYTES} bytes (${bytes.length})`);
  }
  if (bytes.length === 0) throw new ArticleError('empty', 'empty file');
  if (bytes.includes(0)) throw new ArticleError('binary', 'binary content (NUL bytes)');
  let text: string;
  try {
    text = utf8.decode(bytes); // also drops a leading BOM
  } catch {
    throw new ArticleError('invalid_utf8', 'not valid UTF-8');
  }
  if (text.trim().length === 0) throw new ArticleError('empty', 'no text (only whitespace)');
  return text;
}

const HEADER_LINE = /^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/;
const DATE_MARKER = /^\s*date\s+(\d{4}(?:-\d{2}){0,2})(?=\s|$)\s*/;
const BLANK_LINE = /\n[ \t\f\v\u00a0]*\n/;

/**
 * Parses an article file's text.
 * @param id  the article id (the file name without `.txt`)
 * @throws ArticleError when the id is unsafe or no paragraph text remains
 */
export function parseArticle(id: string, text: string): Article {
  if (!isValidArticleId(id)) throw new ArticleError('invalid_id', `"${id}" is not a valid article id`);
  const lines = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').split('\n');

  // Header block: leading `key: value` lines with known keys, up to the first blank line.
  const meta: Partial<Record<ArticleKey, string>> = {};
  let bodyStart = 0;
  while (bodyStart < lines.length && lines[bodyStart]!.trim() === '') bodyStart++;
  let headerEnd = bodyStart;
  for (; headerEnd < lines.length; headerEnd++) {
    const m = HEADER_LINE.exec(lines[headerEnd]!);
    const key = m?.[1]!.toLowerCase();
    if (!m || !(ARTICLE_KEYS as readonly string[]).includes(key!)) break;
    meta[key as ArticleKey] = m[2]!;
  }
  const hasHeader = headerEnd > bodyStart && (headerEnd === lines.length || lines[headerEnd]!.trim() === '');
  const body = (hasHeader ? lines.slice(headerEnd) : lines.slice(bodyStart)).join('\n');
  if (!hasHeader) for (const key of ARTICLE_KEYS) delete meta[key];

  let paragraphs = body
    .split(BLANK_LINE)
    .map(collapseWhitespace)
    .filter((p) => p.length > 0);

  // The bundled article's form (no header): ` date 2025-05 First paragraph text…`.
  let date = validDate(meta.date);
  const marker = !hasHeader && paragraphs.length > 0 ? DATE_MARKER.exec(paragraphs[0]!) : null;
  if (marker && isValidDate(marker[1]!)) {
    date ??= marker[1]!;
    paragraphs[0] = paragraphs[0]!.slice(marker[0].length);
    if (paragraphs[0].length === 0) paragraphs = paragraphs.slice(1);
  }
  if (paragraphs.length === 0) throw new ArticleError('no_text', 'no paragraph text');

  return {
    id,
    title: nonEmpty(meta.title) ?? deriveTitle(paragraphs[0]!),
    date,
    source: nonEmpty(meta.source),
    url: nonEmpty(meta.url),
    paragraphs,
  };
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function nonEmpty(value: string | undefined): string | null {
  return value !== undefined && value.length > 0 ? value : null;
}

function validDate(value: string | undefined): string | null {
  return value !== undefined && isValidDate(value) ? value : null;
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` naming a real year, month and day. */
export function isValidDate(value: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!m) return false;
  const month = m[2] === undefined ? 1 : Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  const daysInMonth = utcDate(Number(m[1]), month + 1, 0).getUTCDate();
  return day >= 1 && day <= daysInMonth;
}

/** A UTC date; unlike `Date.UTC`, years 0–99 stay themselves (month and day may overflow, as in `Date`). */
function utcDate(year: number, month: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

/** Days since 1970-01-01 (UTC). */
export type DayNumber = number;

/**
 * The days a date names, inclusive: `2025` is the whole year, `2025-05` the whole month, `2025-05-19` that day.
 * @throws Error when `date` is not a valid `YYYY`, `YYYY-MM` or `YYYY-MM-DD`
 */
export function dateRange(date: string): { first: DayNumber; last: DayNumber } {
  if (!isValidDate(date)) throw new Error(`article: "${date}" is not a valid date`);
  const [y, m, d] = date.split('-').map(Number) as [number, number | undefined, number | undefined];
  const day = (year: number, month: number, dayOfMonth: number) => Math.round(utcDate(year, month, dayOfMonth).getTime() / 86_400_000);
  if (m === undefined) return { first: day(y, 1, 1), last: day(y, 12, 31) };
  if (d === undefined) return { first: day(y, m, 1), last: day(y, m + 1, 0) };
  return { first: day(y, m, d), last: day(y, m, d) };
}

/**
 * A title from the first sentence: the sentence itself when it is short, else cut at the last word
 * boundary before `DERIVED_TITLE_LENGTH` characters, with an ellipsis.
 */
export function deriveTitle(firstParagraph: string): string {
  const sentence = /^.+?[.!?](?=\s|$)/.exec(firstParagraph)?.[0] ?? firstParagraph;
  if (sentence.length <= DERIVED_TITLE_LENGTH) return sentence.replace(/\.$/, '');
  const cut = sentence.lastIndexOf(' ', DERIVED_TITLE_LENGTH);
  const head = cut > DERIVED_TITLE_LENGTH / 2 ? sentence.slice(0, cut) : sentence.slice(0, DERIVED_TITLE_LENGTH);
  return `${head.replace(/[\s,;:–—-]+$/, '')}…`;
}

/** What a client supplies to create or replace an article (the admin API, the import command). */
export interface ArticleInput {
  title?: string | null | undefined;
  date?: string | null | undefined;
  source?: string | null | undefined;
  url?: string | null | undefined;
  /** Paragraphs separated by blank lines. */
  text: string;
}

/** A lone UTF-16 surrogate (with the `u` flag a pair is one code point, so only unpaired halves match). */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * The exact bytes an article file will hold, and the article they read back as, checked by the same rules
 * as a file read (`decodeArticleBytes`, `parseArticle`) before anything touches the disk. Each field is
 * checked first, so the error names it: no NUL character (a file read refuses NUL as binary content) and no
 * lone surrogate (UTF-8 cannot encode one; it would silently become U+FFFD).
 * @throws ArticleError with `field` set, or for the whole file (too large, no paragraph text)
 */
export function encodeArticle(id: string, input: ArticleInput): { bytes: Buffer; article: Article } {
  for (const field of ['title', 'date', 'source', 'url', 'text'] as const) {
    const value = input[field];
    if (typeof value !== 'string') continue;
    if (value.includes('\u0000')) throw new ArticleError('binary', `${field} must not contain NUL characters`, field);
    if (LONE_SURROGATE.test(value)) throw new ArticleError('invalid_unicode', `${field} holds a lone UTF-16 surrogate, which is not text`, field);
  }
  const bytes = Buffer.from(formatArticle(input), 'utf8');
  return { bytes, article: parseArticle(id, decodeArticleBytes(bytes)) };
}

/**
 * The file form of an article, as `ARTICLES_DIR` holds it: a header block of the given metadata, a blank
 * line, then the paragraphs separated by blank lines. `parseArticle` reads it back to the same article.
 */
export function formatArticle(input: ArticleInput): string {
  const paragraphs = input.text
    .replace(/\r\n?/g, '\n')
    .split(BLANK_LINE)
    .map(collapseWhitespace)
    .filter((p) => p.length > 0);
  // Always a header with a title, so no paragraph text can be mistaken for metadata when read back.
  const values: Record<ArticleKey, string> = {
    title: collapseWhitespace(input.title ?? '') || deriveTitle(paragraphs[0] ?? ''),
    date: collapseWhitespace(input.date ?? ''),
    source: collapseWhitespace(input.source ?? ''),
    url: collapseWhitespace(input.url ?? ''),
  };
  const header = ARTICLE_KEYS.filter((key) => values[key] !== '').map((key) => `${key}: ${values[key]}`);
  return `${header.join('\n')}\n\n${paragraphs.join('\n\n')}\n`;
}

/** A readable, URL-safe id stem from a title: `NAVO-top in Den Haag` → `navo-top-in-den-haag`. */
export function slugify(title: string, maxLength = 60): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length <= maxLength ? slug : slug.slice(0, maxLength).replace(/-[^-]*$/, '');
  return cut || 'artikel';
}
