/** Splits an article into the paragraph documents the index holds: one per paragraph, ids `<articleId>#<n>`. */
import type { Article } from '../articles/article.js';

/** One paragraph of an article: the unit of search. */
export interface ParagraphDoc {
  /** `<articleId>#<n>` */
  id: string;
  articleId: string;
  /** Counts from 1. */
  paragraph: number;
  text: string;
  title: string;
  date: string | null;
}

export function paragraphId(articleId: string, n: number): string {
  return `${articleId}#${n}`;
}

/** The paragraph documents of an article, in order. */
export function toParagraphDocs(article: Article): ParagraphDoc[] {
  return article.paragraphs.map((text, i) => ({
    id: paragraphId(article.id, i + 1),
    articleId: article.id,
    paragraph: i + 1,
    text,
    title: article.title,
    date: article.date,
  }));
}

/**
 * The paragraph document `id` names in `article`, built on demand (the index keeps articles, not one
 * object per paragraph); undefined when the id is not one of the article's paragraphs.
 */
export function paragraphOf(article: Article, id: string): ParagraphDoc | undefined {
  const hash = id.lastIndexOf('#');
  if (hash < 0 || id.slice(0, hash) !== article.id) return undefined;
  const n = Number(id.slice(hash + 1));
  const text = article.paragraphs[n - 1];
  if (!Number.isInteger(n) || text === undefined || paragraphId(article.id, n) !== id) return undefined;
  return { id, articleId: article.id, paragraph: n, text, title: article.title, date: article.date };
}

/** The article id in a paragraph id (`<articleId>#<n>`). */
export function articleIdOf(paragraphId: string): string {
  const hash = paragraphId.lastIndexOf('#');
  return hash < 0 ? paragraphId : paragraphId.slice(0, hash);
}

/**
 * Paragraph ids `<article id>#<n>` in reading order: by article id, then paragraph number. The tie order of
 * equal scores, so a page is the same whichever way the scores were summed.
 */
export function compareParagraphIds(a: string, b: string): number {
  // Without slicing: equal scores are common (short paragraphs, term frequency 1), so the top-k heap
  // compares ids for many postings of a frequent term.
  const ha = a.lastIndexOf('#');
  const hb = b.lastIndexOf('#');
  const la = ha < 0 ? a.length : ha;
  const lb = hb < 0 ? b.length : hb;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (la !== lb) return la < lb ? -1 : 1;
  return paragraphNumber(a, ha) - paragraphNumber(b, hb);
}

/** The number after `#` at `hash` (0 when there is none). */
function paragraphNumber(id: string, hash: number): number {
  let n = 0;
  if (hash < 0) return n;
  for (let i = hash + 1; i < id.length; i++) n = n * 10 + (id.charCodeAt(i) - 48);
  return n;
}
