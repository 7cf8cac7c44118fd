/**
 * The paragraph index: MiniSearch over paragraph documents, fed through our Dutch analyzer, plus what
 * MiniSearch does not keep — the articles, each paragraph's positions (for phrases) and per-paragraph values
 * for filters and grouping. Articles are added, replaced and removed whole, by id. Queries are evaluated
 * over it by src/query.
 */
import MiniSearch from 'minisearch';
import type { Analyzer } from '../analysis/analyzer.js';
import type { Article } from '../articles/article.js';
import type { ArticleVersion, ChangeSeq, LogPosition } from '../articles/store.js';
import { articleIdOf, paragraphId, paragraphOf, type ParagraphDoc } from '../paragraphs/paragraphs.js';
import { DocValues } from './doc-values.js';
import { addDocumentFields, documentFrequency, removeDocumentFields, shortIdOf, TermCache } from './minisearch-internals.js';
import { PositionStore } from './positions.js';
import { SurfaceForms } from './surface-forms.js';

const identity = (term: string): string => term;
/** Query leaves are already index terms: MiniSearch must not split or process them again. */
const singleTerm = (term: string): string[] => [term];

/**
 * The index's fields, by MiniSearch field id: 0 holds each word's own terms, 1 the terms of closed
 * compounds' parts (`telefoon`, `sprek` for `telefoongesprek`). Both are read from the paragraph's text.
 */
export const FIELDS = ['text', 'parts'] as const;
export const TEXT_FIELD = 0;
export const PARTS_FIELD = 1;

/**
 * How much a match in the parts field weighs against one in the text field (MiniSearch's field boost):
 * `gesprek` inside `telefoongesprek` counts, but less than the word itself (DESIGN.md, "Compounds").
 */
export const PARTS_BOOST = 0.25;

/** The MiniSearch options of every index built with `analyzer` (a snapshot is loaded with the same). */
export function miniSearchOptions(analyzer: Analyzer) {
  return {
    fields: [...FIELDS],
    storeFields: [],
    // Both fields are the paragraph's text, analyzed two ways.
    extractField: (doc: ParagraphDoc, field: string) => (field === 'id' ? doc.id : doc.text),
    // One code path: the analyzer yields the index terms; MiniSearch's own processing is switched off.
    tokenize: (text: string, field?: string) => (field === FIELDS[PARTS_FIELD] ? analyzer.partTerms(text) : analyzer.indexTerms(text)),
    processTerm: identity,
    searchOptions: { tokenize: singleTerm, processTerm: identity, boost: { [FIELDS[PARTS_FIELD]]: PARTS_BOOST } },
  };
}

/** Collects the ids of articles changed while it is open (for snapshots and rebuilds taken during changes). */
export interface ChangeTracker {
  readonly ids: ReadonlySet<string>;
  /** True once the whole index was swapped: every article may have changed. */
  readonly swapped: boolean;
  stop(): void;
}

/** The structures of one index generation: replaced together by `adopt`. */
export interface IndexParts {
  mini: MiniSearch<ParagraphDoc>;
  positions: PositionStore;
  docValues: DocValues;
  surfaceForms: SurfaceForms;
}

export class SearchIndex {
  private mini: MiniSearch<ParagraphDoc>;
  private positionStore: PositionStore;
  private values: DocValues;
  private forms: SurfaceForms;
  private articles = new Map<string, Article>();
  private ordinals = new Map<string, number>();
  /** Paragraphs indexed (their documents are built on demand from `articles`: no object per paragraph). */
  private paragraphTotal = 0;
  private versions = new Map<string, ArticleVersion>();
  /**
   * The last change of the store's log this index holds (null: no log, or none applied): every change up
   * to it is in, so a snapshot stamped with it resumes from there. Moves forward, except by `resetTo`.
   */
  private position: LogPosition | null = null;
  private readonly trackers = new Set<{ ids: Set<string>; swapped: boolean }>();
  /** `mini`'s postings by term, for adding (see TermCache); belongs with `mini`. */
  private termCaches = FIELDS.map((_, field) => new TermCache(field));
  /** Scratch for one paragraph's terms (per field) and symbols while it is added. */
  private readonly addTerms: string[][] = FIELDS.map(() => []);
  private addSymbols = new Int32Array(1024);

  constructor(
    readonly analyzer: Analyzer,
    parts?: IndexParts,
  ) {
    this.mini = parts?.mini ?? new MiniSearch<ParagraphDoc>(miniSearchOptions(analyzer));
    this.positionStore = parts?.positions ?? new PositionStore();
    this.values = parts?.docValues ?? new DocValues();
    this.forms = parts?.surfaceForms ?? new SurfaceForms();
  }

  /** The MiniSearch instance, for the snapshot writer and the query engine; nothing else should reach into it. */
  get miniSearch(): MiniSearch<ParagraphDoc> {
    return this.mini;
  }

  /** Each paragraph's positions (by MiniSearch short id), for phrase queries and the snapshot. */
  get positions(): PositionStore {
    return this.positionStore;
  }

  /** Per-paragraph values (article, date) by short id, for filters, sorting, grouping and facets. */
  get docValues(): DocValues {
    return this.values;
  }

  /** The index's words as written, for suggestions and "did you mean". */
  get surfaceForms(): SurfaceForms {
    return this.forms;
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

  /** The short id of a paragraph, or undefined when it is not indexed. */
  shortIdOf(paragraphId: string): number | undefined {
    return shortIdOf(this.mini, paragraphId);
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

  /** The last change of the store's log the index holds; see `advanceTo`. */
  get appliedSeq(): ChangeSeq {
    return this.position?.seq ?? null;
  }

  get logPosition(): LogPosition | null {
    return this.position;
  }

  /** Records that every change up to `to` is in (a lower one, from a batch delivered again, changes nothing). */
  advanceTo(to: LogPosition | null): void {
    if (to !== null && (this.position === null || to.seq > this.position.seq)) this.position = { seq: to.seq, mark: to.mark };
  }

  /** Records that the index holds the store exactly as of `to`: after a whole-store compare, even backwards. */
  resetTo(to: LogPosition): void {
    this.position = { seq: to.seq, mark: to.mark };
  }

  /** Number of paragraphs holding the index term `term`. */
  documentFrequency(term: string, field = TEXT_FIELD): number {
    return documentFrequency(this.mini, term, field);
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
    this.termCaches = FIELDS.map((_, field) => new TermCache(field));
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
    this.positionStore = other.positionStore;
    this.values = other.values;
    this.forms = other.forms;
    this.termCaches = other.termCaches;
    this.articles = other.articles;
    this.ordinals = other.ordinals;
    this.paragraphTotal = other.paragraphTotal;
    this.versions = other.versions;
    // The other index may be behind this one in the log (a rebuild replays what it missed before the swap).
    this.advanceTo(other.position);
    for (const t of this.trackers) t.swapped = true;
  }

  private touched(id: string): void {
    for (const t of this.trackers) t.ids.add(id);
  }

  /**
   * Adds an article's paragraphs: their terms to MiniSearch, their positions, and their values.
   * @throws Error when an article with the same id is indexed already
   */
  addArticle(article: Article): void {
    if (this.articles.has(article.id)) throw new Error(`SearchIndex: article "${article.id}" is already indexed`);
    const ordinal = this.values.addArticle(article);
    const fields = this.addTerms;
    const terms = fields[TEXT_FIELD]!;
    const partTerms = fields[PARTS_FIELD]!;
    article.paragraphs.forEach((text, i) => {
      // One walk over the paragraph gives all: its index terms in both fields, in order, and its positions' symbols.
      terms.length = 0;
      partTerms.length = 0;
      let count = 0;
      this.analyzer.forEachPosition(text, (_start, _end, key, positionTerms, surface, folded, word, parts) => {
        for (let t = 0; t < positionTerms.length; t++) terms.push(positionTerms[t]!);
        for (let t = 0; t < parts.length; t++) partTerms.push(parts[t]!);
        if (count === this.addSymbols.length) this.growSymbols();
        this.addSymbols[count++] = this.positionStore.symbolOf(key, word);
        if (positionTerms.length > 0) this.forms.add(surface, folded, positionTerms[0]!, word);
      });
      const shortId = addDocumentFields(this.mini, paragraphId(article.id, i + 1), fields, this.termCaches);
      this.positionStore.add(shortId, this.addSymbols, count);
      this.values.setDoc(shortId, ordinal);
    });
    this.articles.set(article.id, article);
    this.ordinals.set(article.id, ordinal);
    this.paragraphTotal += article.paragraphs.length;
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
    const fields = this.addTerms;
    const terms = fields[TEXT_FIELD]!;
    const partTerms = fields[PARTS_FIELD]!;
    // Removed exactly, from the very paragraphs that were indexed (kept in `articles`): postings, counts
    // and BM25 statistics are right at once. MiniSearch's `discard` would leave the postings for lazy
    // clean-up, and until a search meets them they inflate document frequencies and skew scores. One walk
    // over each paragraph gives the terms of both fields and the written forms, as adding it did; MiniSearch's
    // `removeAll` analyzed each paragraph twice more and walked the term tree at every occurrence.
    article.paragraphs.forEach((text, i) => {
      terms.length = 0;
      partTerms.length = 0;
      this.analyzer.forEachPosition(text, (_start, _end, _key, positionTerms, surface, _folded, word, parts) => {
        for (let t = 0; t < positionTerms.length; t++) terms.push(positionTerms[t]!);
        for (let t = 0; t < parts.length; t++) partTerms.push(parts[t]!);
        if (positionTerms.length > 0) this.forms.remove(surface, word);
      });
      const shortId = removeDocumentFields(this.mini, paragraphId(article.id, i + 1), fields, this.termCaches);
      this.positionStore.remove(shortId);
    });
    this.values.removeArticle(this.ordinals.get(id)!);
    this.ordinals.delete(id);
    this.paragraphTotal -= article.paragraphs.length;
    this.articles.delete(id);
    this.versions.delete(id);
    this.touched(id);
    return true;
  }

  private growSymbols(): void {
    const grown = new Int32Array(this.addSymbols.length * 2);
    grown.set(this.addSymbols);
    this.addSymbols = grown;
  }
}

/**
 * An index over a MiniSearch and positions restored from a snapshot, with the articles they hold. The
 * articles' paragraphs must be exactly the documents of `mini` (the snapshot loader makes sure of it).
 */
export function restoreSearchIndex(
  analyzer: Analyzer,
  parts: Omit<IndexParts, 'docValues'>,
  entries: Iterable<{ article: Article; version: ArticleVersion }>,
): SearchIndex {
  const docValues = new DocValues();
  const { mini } = parts;
  const index = new SearchIndex(analyzer, { ...parts, docValues });
  const state = index as unknown as { articles: Map<string, Article>; ordinals: Map<string, number>; paragraphTotal: number; versions: Map<string, ArticleVersion> };
  for (const { article, version } of entries) {
    const ordinal = docValues.addArticle(article);
    for (let n = 1; n <= article.paragraphs.length; n++) docValues.setDoc(shortIdOf(mini, paragraphId(article.id, n))!, ordinal);
    state.articles.set(article.id, article);
    state.ordinals.set(article.id, ordinal);
    state.versions.set(article.id, version);
    state.paragraphTotal += article.paragraphs.length;
  }
  return index;
}
