/**
 * Query → hits: parse with the analyzer, require every word (falling back to any word when that finds
 * nothing), rank by MiniSearch's BM25, page, and highlight the page's paragraphs.
 */
import type { Article } from '../articles/article.js';
import type { SearchIndex } from '../index/search-index.js';
import { highlight, markSpans, matchSpans, type Span } from './highlight.js';
import { combineClauses, parseQuery } from './query.js';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;
/** Deepest result a page may start at: deeper paging is a crawler's job, not a reader's. */
export const MAX_OFFSET = 10_000;

export interface SearchHit {
  id: string;
  articleId: string;
  paragraph: number;
  title: string;
  date: string | null;
  score: number;
  text: string;
  /** `text` as escaped HTML with `<mark>` around the matched words. */
  highlight: string;
  /** Offsets into `text` of the marked words. */
  matches: Span[];
}

export interface SearchResponse {
  query: string;
  /** Paragraphs matching in all (or, after a fallback, the number of those matching any word). */
  total: number;
  tookMs: number;
  /** True when no paragraph held every word, and the hits hold any of them. */
  fallback: boolean;
  /** The index terms the query was analyzed into. */
  terms: string[];
  /** Words left out of the query because they are stopwords. */
  ignored: string[];
  hits: SearchHit[];
}

export interface Page {
  limit: number;
  offset: number;
}

/** A paragraph of an article with the query's words marked. */
export interface MarkedParagraph {
  n: number;
  html: string;
}

export class Searcher {
  constructor(private readonly index: SearchIndex) {}

  search(text: string, page: Page = { limit: DEFAULT_LIMIT, offset: 0 }): SearchResponse {
    const started = performance.now();
    const analyzer = this.index.analyzer;
    const parsed = parseQuery(text, analyzer);
    let fallback = false;
    let matches = this.run(combineClauses(parsed.clauses, 'AND'));
    if (matches.length === 0 && parsed.clauses.length > 1) {
      matches = this.run(combineClauses(parsed.clauses, 'OR'));
      fallback = matches.length > 0;
    }
    const hits = matches.slice(page.offset, page.offset + page.limit).map(({ doc, score, terms }): SearchHit => {
      // Mark exactly the terms this paragraph scored on.
      const marked = highlight(doc.text, analyzer.analyze(doc.text), new Set(terms));
      return {
        id: doc.id,
        articleId: doc.articleId,
        paragraph: doc.paragraph,
        title: doc.title,
        date: doc.date,
        score,
        text: doc.text,
        highlight: marked.html,
        matches: marked.matches,
      };
    });
    return {
      query: text,
      total: matches.length,
      tookMs: Math.round((performance.now() - started) * 100) / 100,
      fallback,
      terms: parsed.terms,
      ignored: parsed.ignored,
      hits,
    };
  }

  /** Every paragraph of an article with the words of `query` marked (none when the query is empty). */
  markArticle(article: Article, query: string): MarkedParagraph[] {
    const analyzer = this.index.analyzer;
    const terms = new Set(query.trim() === '' ? [] : parseQuery(query, analyzer).terms);
    return article.paragraphs.map((text, i) => ({
      n: i + 1,
      html: markSpans(text, terms.size === 0 ? [] : matchSpans(analyzer.analyze(text), terms)),
    }));
  }

  private run(query: ReturnType<typeof combineClauses>) {
    return query === null ? [] : this.index.search(query);
  }
}
