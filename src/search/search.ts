/**
 * A search, from what the user typed to what the page and the API show: read the query language, analyze
 * it, let words that occur nowhere match similar words (typos), evaluate it in the query engine into a
 * collector chain (date filter → month counts → top paragraphs or articles), fall back to any word for a
 * plain query that finds nothing, and mark each shown paragraph on exactly what it matched.
 */
import type { Article } from '../articles/article.js';
import { dateRange } from '../articles/article.js';
import { monthLabel } from '../index/doc-values.js';
import { PARTS_FIELD, type SearchIndex } from '../index/search-index.js';
import { compareParagraphIds, type ParagraphDoc } from '../paragraphs/paragraphs.js';
import { analyzeQuery, type AnalyzedQuery, type Expansion } from '../query/analyze.js';
import { ArticleGroups, BEST_PER_ARTICLE, Counter, DateFilter, MonthCounts, TopDocs, type ArticleGroup, type DayRange, type RankedDoc, type SortOrder } from '../query/collectors.js';
import { engineFor, type Collector, type CompiledQuery, type MatchReport } from '../query/engine.js';
import { anyWordFallback } from '../query/policy.js';
import { relaxTypos } from '../query/rewrite.js';
import { NO_SYNONYMS, type Synonyms } from '../query/synonyms.js';
import { parseSyntax, type ParsedSyntax } from '../query/syntax.js';
import type { Query } from '../query/tree.js';
import { didYouMean, type Suggestion } from './did-you-mean.js';
import { explainHit, queryOrigins, type HitExplanation, type QueryOrigins } from './explain.js';
import { highlight, type Span } from './highlight.js';
import { QueryCache } from './query-cache.js';
import { suggest, type Suggestion as Completion } from './suggest.js';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;
/** Deepest result a page may start at: deeper paging is a crawler's job, not a reader's. */
export const MAX_OFFSET = 10_000;
/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 500;
/**
 * Matches counted exactly before the engine may skip what cannot reach the page (Elasticsearch's default
 * `track_total_hits`): beyond it `total` is a lower bound (`totalRelation: "gte"`) unless `exactTotal` asks.
 */
export const TOTAL_EXACT_UP_TO = 10_000;
/** How many query texts keep their parse and analysis (Searcher.read). */
const READ_QUERIES = 1_024;

export type Grouping = 'paragraph' | 'article';

export interface SearchOptions {
  limit: number;
  offset: number;
  /** One hit per paragraph (default), or one per article with its best paragraphs. */
  group?: Grouping;
  sort?: SortOrder;
  /** Inclusive date range, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (validated by the caller). */
  from?: string | null;
  to?: string | null;
  /** Count all matches by month (`facets.month`). */
  facets?: boolean;
  /**
   * Look for a "did you mean" variant also when the query found a few paragraphs (it always does when it
   * found none). It costs typo look-ups in the vocabulary — for half of ordinary queries, which find few — so
   * the page asks for it and API callers choose.
   */
  suggest?: boolean;
  /** Take each hit's score apart (`explanation`): which term matched which word and how, with BM25's parts. */
  explain?: boolean;
  /** Count every match, however many (else beyond TOTAL_EXACT_UP_TO the total may be a lower bound). */
  exactTotal?: boolean;
  /**
   * Score every match, as before pruning (the engine sees a chain it cannot prune for): the reference that
   * tests and `npm run bench:pruning` hold the pruned evaluation to. Not offered over HTTP.
   */
  exhaustive?: boolean;
}

export interface SearchHit {
  id: string;
  articleId: string;
  paragraph: number;
  title: string;
  date: string | null;
  score: number;
  text: string;
  /** `text` as escaped HTML with `<mark>` around the matched words and phrases. */
  highlight: string;
  /** Offsets into `text` of the marked spans. */
  matches: Span[];
  /** With `explain`: why it matched and how its score came about. */
  explanation?: HitExplanation;
}

/** One article of a grouped result. */
export interface ArticleHit {
  articleId: string;
  title: string;
  date: string | null;
  source: string | null;
  url: string | null;
  /** Its best paragraph's score: what articles are ranked by. */
  score: number;
  /** How many of its paragraphs match. */
  matchingParagraphs: number;
  /** Its best paragraphs (at most three), best first, marked. */
  paragraphs: SearchHit[];
}

export interface MonthCount {
  month: string;
  count: number;
}

interface ResponseBase {
  query: string;
  /** Matches in all: paragraphs, or articles when grouped (after a fallback, those matching any word). */
  total: number;
  /**
   * `eq`: `total` is exact. `gte`: at least `total` (past TOTAL_EXACT_UP_TO the engine skipped matches that
   * could not reach the page, uncounted); `exactTotal` always counts all. Grouped and month counts are exact.
   */
  totalRelation: 'eq' | 'gte';
  tookMs: number;
  /** True when no paragraph held every word of a plain query, and the hits hold any of them. */
  fallback: boolean;
  /** Words (as typed) that occur nowhere in the index and were matched to words within one or two edits. */
  approximate: string[];
  /** The index terms the query was analyzed into (not those of excluded words). */
  terms: string[];
  /** Words left out of the query because they are stopwords. */
  ignored: string[];
  /** Words (as typed) that synonyms expanded, and the entries they were also searched as. */
  expansions: Expansion[];
  sort: SortOrder;
  from: string | null;
  to: string | null;
  /** With a date filter: matches left out because their article has no date (articles when grouped). */
  undated: number | null;
  /** With `facets`: every match counted by its article's month (articles when grouped), oldest first. */
  facets?: { month: MonthCount[]; withoutMonth: number };
  /** "Did you mean": a close variant of a query that found nothing or very little, which finds far more. */
  suggestion: Suggestion | null;
}

export interface ParagraphResults extends ResponseBase {
  group: 'paragraph';
  hits: SearchHit[];
}

export interface ArticleResults extends ResponseBase {
  group: 'article';
  /** Matching paragraphs in all, over every matching article. */
  paragraphTotal: number;
  articles: ArticleHit[];
}

export type SearchResponse = ParagraphResults | ArticleResults;

export interface CountOptions extends Pick<SearchOptions, 'from' | 'to'> {
  /** Count the any-word fallback when every word finds nothing (default true, as search does). */
  fallback?: boolean;
}

/** A paragraph of an article with the query's words marked. */
export interface MarkedParagraph {
  n: number;
  html: string;
}

/** A query ready to run: read, analyzed, typos relaxed. */
interface Prepared {
  syntax: ParsedSyntax;
  analyzed: AnalyzedQuery;
  query: Query | null;
  approximate: string[];
}

/** What one run of the collector chain kept. */
interface Outcome {
  compiled: CompiledQuery | null;
  total: number;
  paragraphTotal: number;
  exact: boolean;
  top: RankedDoc[];
  groups: ReturnType<ArticleGroups['page']>;
  months: MonthCounts | null;
  filter: DateFilter | null;
}

export class Searcher {
  /** @param synonyms  the synonyms in force, asked at every query (the file may be reloaded meanwhile) */
  private readonly readQueries = new QueryCache<{ syntax: ParsedSyntax; analyzed: AnalyzedQuery; synonyms: Synonyms }>(READ_QUERIES);

  constructor(
    private readonly index: SearchIndex,
    private readonly synonyms: () => Synonyms = () => NO_SYNONYMS,
  ) {}

  /**
   * Searches the index.
   * @throws QueryError when the query cannot be read or exceeds a cap (the HTTP layer answers 400)
   */
  search(text: string, options: SearchOptions & { group: 'article' }): ArticleResults;
  search(text: string, options?: SearchOptions & { group?: 'paragraph' }): ParagraphResults;
  search(text: string, options?: SearchOptions): SearchResponse;
  search(text: string, options: SearchOptions = { limit: DEFAULT_LIMIT, offset: 0 }): SearchResponse {
    const started = performance.now();
    engineFor(this.index).releaseQueries(); // no earlier search's plans are used past here
    const group = options.group ?? 'paragraph';
    const sort = options.sort ?? 'relevance';
    const prepared = this.prepare(text);
    let outcome = this.run(prepared.query, options);
    let used = prepared.query;
    let fallback = false;
    if (outcome.total === 0) {
      const any = anyWordFallback(prepared.query, prepared.analyzed.plain);
      if (any !== null) {
        const relaxed = this.run(any, options);
        if (relaxed.total > 0) {
          outcome = relaxed;
          used = any;
          fallback = true;
        }
      }
    }
    const base: ResponseBase = {
      query: text,
      total: outcome.total,
      totalRelation: outcome.exact ? 'eq' : 'gte',
      tookMs: 0,
      fallback,
      approximate: outcome.total > 0 ? prepared.approximate : [],
      terms: prepared.analyzed.terms,
      ignored: prepared.analyzed.ignored,
      expansions: prepared.analyzed.expansions,
      sort,
      from: options.from ?? null,
      to: options.to ?? null,
      undated: outcome.filter === null ? null : group === 'article' ? outcome.filter.undatedArticles : outcome.filter.undatedParagraphs,
      suggestion:
        outcome.paragraphTotal === 0 || options.suggest
          ? didYouMean(this.index, text, prepared.syntax.root, outcome.paragraphTotal, (variant) => this.countOrThrow(variant, { ...options, fallback: false }))
          : null,
    };
    if (outcome.months) base.facets = facetsOf(outcome.months);
    const origins = options.explain && used !== null ? queryOrigins(used, prepared.analyzed, engineFor(this.index), this.index.analyzer) : null;
    const finish = <T extends SearchResponse>(response: T): T => {
      response.tookMs = Math.round((performance.now() - started) * 100) / 100;
      return response;
    };
    if (group === 'article') {
      const articles = outcome.groups.map((g): ArticleHit => {
        const paragraphs = g.best.map((r) => this.hit(r, outcome.compiled!, origins));
        const article = this.index.getArticle(paragraphs[0]!.articleId)!;
        return {
          articleId: article.id,
          title: article.title,
          date: article.date,
          source: article.source,
          url: article.url,
          score: g.best[0]!.score,
          matchingParagraphs: g.matching,
          paragraphs,
        };
      });
      return finish({ ...base, group: 'article', paragraphTotal: outcome.paragraphTotal, articles });
    }
    const hits = outcome.top.slice(options.offset).map((r) => this.hit(r, outcome.compiled!, origins));
    return finish({ ...base, group: 'paragraph', hits });
  }

  /** How many paragraphs a query matches (the any-word fallback included); 0 when it cannot be read. */
  count(text: string, options: CountOptions = {}): number {
    engineFor(this.index).releaseQueries();
    try {
      return this.countOrThrow(text, options);
    } catch {
      return 0;
    }
  }

  /** Completions of the last word of `query`, for suggestions as you type. */
  suggest(query: string): Completion[] {
    engineFor(this.index).releaseQueries();
    return suggest(this.index, query, (text) => this.countOrThrow(text, { fallback: false }));
  }

  /**
   * Paragraphs a query matches (with a date filter, those within it), as search counts them; with the
   * any-word fallback unless `fallback` is false.
   * @throws QueryError
   */
  private countOrThrow(text: string, options: CountOptions = {}): number {
    const prepared = this.prepare(text);
    const runCount = (query: Query | null) => {
      if (query === null) return 0;
      const counter = new Counter();
      const range = dayRange(options.from ?? null, options.to ?? null);
      engineFor(this.index).compile(query).run(range === null ? counter : new DateFilter(range, this.index.docValues, counter));
      return counter.count;
    };
    const total = runCount(prepared.query);
    return total > 0 || options.fallback === false ? total : runCount(anyWordFallback(prepared.query, prepared.analyzed.plain));
  }

  /**
   * Every paragraph of an article with what it holds of the query marked: its words and phrases (never
   * excluded words), whether or not the paragraph matches the whole query. Nothing is marked for an empty
   * query or one that cannot be read (the page still shows the article).
   */
  markArticle(article: Article, query: string): MarkedParagraph[] {
    engineFor(this.index).releaseQueries();
    const analyzer = this.index.analyzer;
    let compiled: CompiledQuery | null = null;
    if (query.trim() !== '') {
      try {
        const prepared = this.prepare(query);
        if (prepared.query !== null) compiled = engineFor(this.index).compile(prepared.query);
      } catch {
        compiled = null;
      }
    }
    return article.paragraphs.map((text, i) => {
      const shortId = compiled === null ? undefined : this.index.shortIdOf(`${article.id}#${i + 1}`);
      const report = shortId === undefined ? { terms: [], phrases: [] } : compiled!.reportAny(shortId);
      return { n: i + 1, html: highlight(text, analyzer, marksOf(report)).html };
    });
  }

  /** @throws QueryError */
  private prepare(text: string): Prepared {
    const { syntax, analyzed } = this.read(text);
    if (analyzed.query === null) return { syntax, analyzed, query: null, approximate: [] };
    // A word found only inside compounds occurs: it is no typo.
    const index = this.index;
    const relaxed = relaxTypos(analyzed.query, { documentFrequency: (term) => index.documentFrequency(term) || index.documentFrequency(term, PARTS_FIELD) });
    return { syntax, analyzed, query: relaxed.query, approximate: relaxed.approximate.map((s) => s.text) };
  }

  /** Runs a query into the collector chain the options ask for. */
  private run(query: Query | null, options: SearchOptions): Outcome {
    const empty: Outcome = { compiled: null, total: 0, paragraphTotal: 0, exact: true, top: [], groups: [], months: null, filter: null };
    if (query === null) return empty;
    const engine = engineFor(this.index);
    const compiled = engine.compile(query);
    const values = this.index.docValues;
    const idOf = (doc: number) => engine.view.documentIds.get(doc)!;
    const sort = options.sort ?? 'relevance';
    const grouped = options.group === 'article';
    // The chain, last link first: what keeps results, what counts months, what filters dates.
    // Ranked by relevance, the groups keep the floor of the articles the page can show, so that what cannot
    // reach them is counted unscored (the engine's pruning).
    const groups = grouped ? new ArticleGroups(values, idOf, sort === 'relevance' ? options.offset + options.limit : 0) : null;
    const top = grouped ? null : new TopDocs(options.offset + options.limit, idOf, sort, values);
    if (top !== null && !options.exactTotal) top.exactUpTo = TOTAL_EXACT_UP_TO;
    // Paragraphs are counted by the top-k itself; grouped, a counter in front of the groups counts them.
    const counter = groups ? new Counter(groups) : null;
    const keep: Collector = counter ?? top!;
    const months = options.facets && !grouped ? new MonthCounts(values, keep) : null;
    let head: Collector = months ?? keep;
    const range = dayRange(options.from ?? null, options.to ?? null);
    const filter = range === null ? null : new DateFilter(range, values, head);
    head = filter ?? head;
    const chain = head;
    compiled.run(options.exhaustive ? { collect: (doc, score) => chain.collect(doc, score) } : head);
    let monthsOut = months;
    if (options.facets && groups) {
      // Grouped: each article counts once, in its own month.
      monthsOut = new MonthCounts(values, keep);
      const m = monthsOut;
      groups.forEachArticle((article) => m.count(values.month(article)));
    }
    return {
      compiled,
      total: groups ? groups.total : top!.total,
      paragraphTotal: counter ? counter.count : top!.total,
      exact: top === null || !top.skipped,
      top: top ? top.sorted() : [],
      groups: groups ? this.page(groups, compiled, options) : [],
      months: monthsOut,
      filter,
    };
  }

  /**
   * The page of groups. When paragraphs were counted unscored (below the floor), an article shown may lack
   * some of its best three: its paragraphs are scored again (its best one never was below the floor).
   */
  private page(groups: ArticleGroups, compiled: CompiledQuery, options: SearchOptions): ArticleGroup[] {
    const page = groups.page(options.offset, options.limit, options.sort ?? 'relevance');
    if (groups.passed === 0) return page;
    const engine = engineFor(this.index);
    return page.map((group) => {
      const articleId = this.index.docValues.articleId(group.article)!;
      const article = this.index.getArticle(articleId)!;
      const scored: RankedDoc[] = [];
      for (let n = 1; n <= article.paragraphs.length; n++) {
        const doc = this.index.shortIdOf(`${articleId}#${n}`);
        const score = doc === undefined ? null : compiled.score(doc);
        if (score !== null) scored.push({ doc: doc!, score });
      }
      const idOf = (doc: number) => engine.view.documentIds.get(doc)!;
      scored.sort((a, b) => b.score - a.score || compareParagraphIds(idOf(a.doc), idOf(b.doc)));
      // The best one as the run scored it (the rescored value may differ in its last bit).
      const best = scored.slice(0, BEST_PER_ARTICLE);
      if (best.length > 0 && best[0]!.doc === group.best[0]!.doc) best[0] = group.best[0]!;
      return { ...group, best };
    });
  }

  /**
   * The query as read and analyzed, remembered by its text for the synonyms in force (QueryCache: LRU with a
   * frequency-based admission): both depend on nothing else, and popular queries come again. What depends on
   * the index (typo relaxation, compiling)
   * is done per search.
   */
  private read(text: string): { syntax: ParsedSyntax; analyzed: AnalyzedQuery } {
    const synonyms = this.synonyms();
    const known = this.readQueries.get(text);
    if (known !== undefined && known.synonyms === synonyms) return known;
    const syntax = parseSyntax(text);
    const analyzed = analyzeQuery(text, syntax, this.index.analyzer, synonyms);
    // Shared by every search of this text from now on: the arrays a response carries must not change.
    for (const list of [analyzed.terms, analyzed.ignored, analyzed.expansions]) Object.freeze(list);
    this.readQueries.set(text, { syntax, analyzed, synonyms });
    return { syntax, analyzed };
  }

  private hit({ doc, score }: RankedDoc, compiled: CompiledQuery, origins: QueryOrigins | null = null): SearchHit {
    const id = compiled.paragraphIdOf(doc);
    const paragraph: ParagraphDoc = this.index.getParagraph(id)!;
    // Mark exactly what this paragraph matched (the engine reports it for the match).
    const marked = highlight(paragraph.text, this.index.analyzer, marksOf(compiled.report(doc) ?? { terms: [], phrases: [] }));
    const hit: SearchHit = {
      id: paragraph.id,
      articleId: paragraph.articleId,
      paragraph: paragraph.paragraph,
      title: paragraph.title,
      date: paragraph.date,
      score,
      text: paragraph.text,
      highlight: marked.html,
      matches: marked.matches,
    };
    if (origins !== null) hit.explanation = explainHit(paragraph.text, doc, compiled, origins, this.index.analyzer);
    return hit;
  }
}

function marksOf(report: MatchReport) {
  return { terms: new Set(report.terms), phrases: report.phrases };
}

/** The days of an inclusive `from`–`to` range of dates; null when neither is given. */
export function dayRange(from: string | null, to: string | null): DayRange | null {
  if (from === null && to === null) return null;
  return { first: from === null ? null : dateRange(from).first, last: to === null ? null : dateRange(to).last };
}

function facetsOf(months: MonthCounts): { month: MonthCount[]; withoutMonth: number } {
  const month = [...months.counts].sort((a, b) => a[0] - b[0]).map(([m, count]) => ({ month: monthLabel(m), count }));
  return { month, withoutMonth: months.withoutMonth };
}
