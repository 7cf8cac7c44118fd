/**
 * The paragraph index: MiniSearch over paragraph documents, fed through our Dutch analyzer, plus the
 * articles and paragraphs it holds. Articles are added, replaced and removed whole, by id.
 */
import MiniSearch from 'minisearch';
import type { Analyzer } from '../analysis/analyzer.js';
import type { Article } from '../articles/article.js';
import { toParagraphDocs, type ParagraphDoc } from '../paragraphs/paragraphs.js';

/** A query over index terms: a term, or terms and sub-queries combined with AND or OR. */
export type QueryNode = string | { combineWith: 'AND' | 'OR'; queries: QueryNode[] };

/** A paragraph that matched, with MiniSearch's BM25 score and the index terms it matched on. */
export interface IndexMatch {
  doc: ParagraphDoc;
  score: number;
  terms: string[];
}

const identity = (term: string): string => term;
/** Query leaves are already index terms: MiniSearch must not split or process them again. */
const singleTerm = (term: string): string[] => [term];

export class SearchIndex {
  private readonly mini: MiniSearch<ParagraphDoc>;
  private readonly articles = new Map<string, Article>();
  private readonly paragraphs = new Map<string, ParagraphDoc>();

  constructor(readonly analyzer: Analyzer) {
    this.mini = new MiniSearch<ParagraphDoc>({
      fields: ['text'],
      storeFields: [],
      // One code path: the analyzer yields the index terms; MiniSearch's own processing is switched off.
      tokenize: analyzer.indexTerms,
      processTerm: identity,
      searchOptions: { tokenize: singleTerm, processTerm: identity },
    });
  }

  get articleCount(): number {
    return this.articles.size;
  }

  get paragraphCount(): number {
    return this.paragraphs.size;
  }

  hasArticle(id: string): boolean {
    return this.articles.has(id);
  }

  getArticle(id: string): Article | undefined {
    return this.articles.get(id);
  }

  getParagraph(id: string): ParagraphDoc | undefined {
    return this.paragraphs.get(id);
  }

  /** All articles, in insertion order. */
  allArticles(): IterableIterator<Article> {
    return this.articles.values();
  }

  /**
   * Adds an article's paragraphs.
   * @throws Error when an article with the same id is indexed already
   */
  addArticle(article: Article): void {
    if (this.articles.has(article.id)) throw new Error(`SearchIndex: article "${article.id}" is already indexed`);
    const docs = toParagraphDocs(article);
    this.mini.addAll(docs);
    this.articles.set(article.id, article);
    for (const doc of docs) this.paragraphs.set(doc.id, doc);
  }

  /** Replaces an article (or adds it when new); its paragraph count may change. */
  replaceArticle(article: Article): void {
    this.removeArticle(article.id);
    this.addArticle(article);
  }

  /** Removes an article's paragraphs; false when it was not indexed. */
  removeArticle(id: string): boolean {
    const article = this.articles.get(id);
    if (!article) return false;
    const ids = toParagraphDocs(article).map((doc) => doc.id);
    // discardAll by id: MiniSearch cleans the postings up lazily and vacuums in batches.
    this.mini.discardAll(ids);
    for (const pid of ids) this.paragraphs.delete(pid);
    this.articles.delete(id);
    return true;
  }

  /** Every paragraph matching `query`, best first (ties by article id, then paragraph number). */
  search(query: QueryNode): IndexMatch[] {
    const results = this.mini.search(query);
    const matches: IndexMatch[] = [];
    for (const r of results) {
      const doc = this.paragraphs.get(r.id as string);
      if (doc) matches.push({ doc, score: r.score, terms: r.terms });
    }
    return matches.sort(byScoreThenPosition);
  }
}

function byScoreThenPosition(a: IndexMatch, b: IndexMatch): number {
  if (b.score !== a.score) return b.score - a.score;
  if (a.doc.articleId !== b.doc.articleId) return a.doc.articleId < b.doc.articleId ? -1 : 1;
  return a.doc.paragraph - b.doc.paragraph;
}
