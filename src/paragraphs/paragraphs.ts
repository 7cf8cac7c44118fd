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
