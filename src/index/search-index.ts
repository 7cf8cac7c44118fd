/**
 * The paragraph index: MiniSearch over paragraph documents, fed through our Dutch analyzer, plus the
 * articles and paragraphs it holds. Articles are added, replaced and removed whole, by id.
 */
import MiniSearch from 'minisearch';
import type { Analyzer } from '../analysis/analyzer.js';
import type { Article } from '../articles/article.js';
import type { ArticleVersion } from '../articles/store.js';
import { articleIdOf, paragraphOf, toParagraphDocs, type ParagraphDoc } from '../paragraphs/paragraphs.js';
import { addDocumentTerms, TermCache } from './minisearch-internals.js';
import { compareParagraphIds, QueryEngine, type QueryNode, type TermQuery } from './query-engine.js';

export type { QueryNode, TermQuery } from './query-engine.js';

/** A paragraph that matched, with MiniSearch's BM25 score and the index terms it matched on. */
export interface IndexMatch {
  doc: ParagraphDoc;
  score: number;
  terms: string[];
}

const identity = (term: string): string => term;
/** Query leaves are already index terms: MiniSearch must not split or process them again. */
const singleTerm = (term: string): string[] => [term];

/** The MiniSearch options of every index built with `analyzer` (a snapshot is loaded with the same). */
export function miniSearchOptions(analyzer: Analyzer) {
  return {
    fields: ['text'],
    storeFields: [],
    // One code path: the analyzer yields the index terms; MiniSearch's own processing is switched off.
    tokenize: analyzer.indexTerms,
    processTerm: identity,
    searchOptions: { tokenize: singleTerm, processTerm: identity },
  };
}

/** The best matches of a query, and how many paragraphs match in all. */
export interface TopMatches {
  total: number;
  matches: IndexMatch[];
}

/** A query node in MiniSearch's own form: a prefix or fuzzy leaf becomes a one-term query with options. */
export function toMiniSearchQuery(node: QueryNode): string | Record<string, unknown> {
  if (typeof node === 'string') return node;
  if ('queries' in node) return { combineWith: node.combineWith, queries: node.queries.map(toMiniSearchQuery) };
  const options: Record<string, unknown> = { combineWith: 'OR', queries: [node.term] };
  if (node.prefix) options.prefix = true;
  if (node.fuzzy) options.fuzzy = node.fuzzy;
  return options;
}

/** Collects the ids of articles changed while it is open (for snapshots and rebuilds taken during changes). */
export interface ChangeTracker {
  readonly ids: ReadonlySet<string>;
  /** True once the whole index was swapped: every article may have changed. */
  readonly swapped: boolean;
  stop(): void;
}

export class SearchIndex {
  private mini: MiniSearch<ParagraphDoc>;
  private engine: QueryEngine;
  private articles = new Map<string, Article>();
  /** Paragraphs indexed (their documents are built on demand from `articles`: no object per paragraph). */
  private paragraphTotal = 0;
  private versions = new Map<string, ArticleVersion>();
  private readonly trackers = new Set<{ ids: Set<string>; swapped: boolean }>();
  /** `mini`'s postings by term, for adding (see TermCache); belongs with `mini`. */
  private termCache = new TermCache(0);
  /** Incremented by every change: a cheap "has anything changed since" check. */
  private changeCount = 0;

  constructor(
    readonly analyzer: Analyzer,
    mini?: MiniSearch<ParagraphDoc>,
  ) {
    this.mini = mini ?? new MiniSearch<ParagraphDoc>(miniSearchOptions(analyzer));
    this.engine = new QueryEngine(this.mini);
  }

  /** The MiniSearch instance, for the snapshot writer; nothing else should reach into it. */
  get miniSearch(): MiniSearch<ParagraphDoc> {
    return this.mini;
  }

  get changes(): number {
    return this.changeCount;
  }

  get articleCount(): number {
    return this.articles.size;
  }

  get paragraphCount(): number {
    return this.paragraphTotal;
  }

  hasArticle(id: string): boolean {
    return this.articles.has(id);
  }

  getArticle(id: string): Article | undefined {
    return this.articles.get(id);
  }

  getParagraph(id: string): ParagraphDoc | undefined {
    const article = this.articles.get(articleIdOf(id));
    return article && paragraphOf(article, id);
  }

  /** All articles, in insertion order. */
  allArticles(): IterableIterator<Article> {
    return this.articles.values();
  }

  versionOf(id: string): ArticleVersion | undefined {
    return this.versions.get(id);
  }

  /** The version of every article that has one: what a store scan compares against. */
  knownVersions(): ReadonlyMap<string, ArticleVersion> {
    return this.versions;
  }

  /** Adds or replaces an article and records which version of it is indexed. */
  upsert(article: Article, version: ArticleVersion): void {
    this.replaceArticle(article);
    this.versions.set(article.id, version);
  }

  /**
   * Drops what only speeds up adding (the term cache, a few hundred bytes per term): the indexer calls it
   * once a batch of changes is in, so an idle index holds only what searching needs.
   */
  settle(): void {
    this.termCache = new TermCache(0);
  }

  /** Records a new version for an unchanged article (same content, new mtime). */
  setVersion(id: string, version: ArticleVersion): void {
    if (this.articles.has(id)) this.versions.set(id, version);
  }

  /** Starts collecting the ids of changed articles. */
  trackChanges(): ChangeTracker {
    const tracker = { ids: new Set<string>(), swapped: false };
    this.trackers.add(tracker);
    return { ids: tracker.ids, get swapped() { return tracker.swapped; }, stop: () => void this.trackers.delete(tracker) };
  }

  /**
   * Takes over another index's contents in one step: searches see the old contents until this call and
   * the new ones after it, never a mixture.
   */
  adopt(other: SearchIndex): void {
    this.mini = other.mini;
    this.engine = other.engine;
    this.termCache = other.termCache;
    this.articles = other.articles;
    this.paragraphTotal = other.paragraphTotal;
    this.versions = other.versions;
    this.changeCount++;
    for (const t of this.trackers) t.swapped = true;
  }

  private touched(id: string): void {
    this.changeCount++;
    for (const t of this.trackers) t.ids.add(id);
  }

  /**
   * Adds an article's paragraphs.
   * @throws Error when an article with the same id is indexed already
   */
  addArticle(article: Article): void {
    if (this.articles.has(article.id)) throw new Error(`SearchIndex: article "${article.id}" is already indexed`);
    const docs = toParagraphDocs(article);
    for (const doc of docs) addDocumentTerms(this.mini, doc.id, 'text', this.analyzer.indexTerms(doc.text), this.termCache);
    this.articles.set(article.id, article);
    this.paragraphTotal += docs.length;
    this.touched(article.id);
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
    const docs = toParagraphDocs(article);
    // Removed exactly, from the very paragraphs that were indexed (kept in `articles`): postings, counts
    // and BM25 statistics are right at once. MiniSearch's `discard` would leave the postings for lazy
    // clean-up, and until a search meets them they inflate document frequencies and skew scores.
    this.mini.removeAll(docs);
    // A term whose last posting went is gone from MiniSearch's tree: the adding cache may point at it.
    this.settle();
    this.paragraphTotal -= docs.length;
    this.articles.delete(id);
    this.versions.delete(id);
    this.touched(id);
    return true;
  }

  /**
   * The best `k` paragraphs matching `query` (best first; ties by article id, then paragraph number) and
   * the number matching in all. Scores are MiniSearch's BM25, computed by our query engine.
   */
  top(query: QueryNode, k: number): TopMatches {
    const result = this.engine.top(query, k);
    if (result === null) {
      // Too many distinct terms for the engine's mask (over 31): MiniSearch's own search, exhaustively.
      const all = this.search(query);
      return { total: all.length, matches: all.slice(0, k) };
    }
    const matches: IndexMatch[] = [];
    for (const { shortId, id, score } of result.top) {
      const doc = this.getParagraph(id);
      if (doc) matches.push({ doc, score, terms: result.matchedTerms(shortId) });
    }
    return { total: result.total, matches };
  }

  /** The index terms a leaf matches that occur in the index (with its prefix or fuzzy expansions). */
  expandTerms(leaf: TermQuery): string[] {
    return this.engine.expandTerms(leaf);
  }

  /** Number of paragraphs holding the index term `term`. */
  documentFrequency(term: string): number {
    return this.engine.documentFrequency(term);
  }

  /** Every paragraph matching `query`, best first, by MiniSearch's own search: the reference `top` must equal. */
  search(query: QueryNode): IndexMatch[] {
    const results = this.mini.search(toMiniSearchQuery(query) as Parameters<MiniSearch['search']>[0]);
    const matches: IndexMatch[] = [];
    for (const r of results) {
      const doc = this.getParagraph(r.id as string);
      if (doc) matches.push({ doc, score: r.score, terms: r.terms });
    }
    return matches.sort(byScoreThenPosition);
  }
}

function byScoreThenPosition(a: IndexMatch, b: IndexMatch): number {
  if (b.score !== a.score) return b.score - a.score;
  return compareParagraphIds(a.doc.id, b.doc.id);
}

/**
 * An index over a MiniSearch restored from a snapshot, with the articles it holds. The articles' paragraphs
 * must be exactly the documents of `mini` (the snapshot loader makes sure of it).
 */
export function restoreSearchIndex(
  analyzer: Analyzer,
  mini: MiniSearch<ParagraphDoc>,
  entries: Iterable<{ article: Article; version: ArticleVersion }>,
): SearchIndex {
  const index = new SearchIndex(analyzer, mini);
  const state = index as unknown as { articles: Map<string, Article>; paragraphTotal: number; versions: Map<string, ArticleVersion> };
  for (const { article, version } of entries) {
    state.articles.set(article.id, article);
    state.versions.set(article.id, version);
    state.paragraphTotal += article.paragraphs.length;
  }
  return index;
}
