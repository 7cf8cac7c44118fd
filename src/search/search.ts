/**
 * Query → hits: parse with the analyzer, let words that occur nowhere match similar words (typos),
 * require every word (falling back to any word when that finds nothing), rank the page's worth by BM25
 * in our query engine, and highlight those paragraphs on the terms each one matched.
 */
import type { Article } from '../articles/article.js';
import type { QueryNode, SearchIndex } from '../index/search-index.js';
import { highlight, markSpans, matchSpans, type Span } from './highlight.js';
import { combineClauses, leafTerms, parseQuery, withTypos, type ParsedQuery } from './query.js';

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
  /** Words (as typed) that occur nowhere in the index and were matched to words within one or two edits. */
  approximate: string[];
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
    const { clauses, approximate } = this.relax(parsed);
    // Only the page's worth is ranked; the total still counts every match.
    const k = page.offset + page.limit;
    let fallback = false;
    let found = this.run(combineClauses(clauses, 'AND'), k);
    if (found.total === 0 && clauses.length > 1) {
      found = this.run(combineClauses(clauses, 'OR'), k);
      fallback = found.total > 0;
    }
    const hits = found.matches.slice(page.offset).map(({ doc, score, terms }): SearchHit => {
      // Mark exactly the terms this paragraph scored on (the engine reports them with the match).
      const marked = highlight(doc.text, analyzer, new Set(terms));
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
      total: found.total,
      tookMs: Math.round((performance.now() - started) * 100) / 100,
      fallback,
      approximate: found.total > 0 ? approximate : [],
      terms: parsed.terms,
      ignored: parsed.ignored,
      hits,
    };
  }

  /** Every paragraph of an article with the words of `query` marked (none when the query is empty). */
  markArticle(article: Article, query: string): MarkedParagraph[] {
    const analyzer = this.index.analyzer;
    const terms = new Set<string>();
    if (query.trim() !== '') {
      const parsed = parseQuery(query, analyzer);
      for (const t of parsed.terms) terms.add(t);
      // Prefix and typo leaves mark the index terms they expand to, as they do in the hits.
      for (const leaf of this.relax(parsed).clauses.flatMap(leafTerms)) {
        if (typeof leaf !== 'string') for (const t of this.index.expandTerms(leaf)) terms.add(t);
      }
    }
    return article.paragraphs.map((text, i) => ({
      n: i + 1,
      html: markSpans(text, matchSpans(text, analyzer, terms)),
    }));
  }

  /**
   * The clauses to search: a word that occurs nowhere in the index as typed (every exact term of its
   * clause has no paragraph) is read as a typo and may match terms within `typoDistance` edits. A known
   * word is taken as typed, so typo tolerance never dilutes a query that can be answered exactly.
   */
  private relax(parsed: ParsedQuery): { clauses: QueryNode[]; approximate: string[] } {
    const approximate: string[] = [];
    const clauses = parsed.clauses.map((clause, i) => {
      const leaves = leafTerms(clause);
      const unknown = leaves.every((leaf) => typeof leaf === 'string' && this.index.documentFrequency(leaf) === 0);
      if (!unknown) return clause;
      const relaxed = withTypos(clause);
      if (!leafTerms(relaxed).some((leaf) => typeof leaf !== 'string' && leaf.fuzzy)) return clause;
      approximate.push(parsed.words[i]!);
      return relaxed;
    });
    return { clauses, approximate };
  }

  private run(query: QueryNode | null, k: number) {
    return query === null ? { total: 0, matches: [] } : this.index.top(query, k);
  }
}
