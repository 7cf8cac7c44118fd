/**
 * What to keep of a query's matches, as Lucene's collectors do: the engine hands every match to a collector
 * chain, and filters, sorting, grouping and facets are links of that chain rather than cases in the scorer.
 * All of them read per-paragraph values from typed arrays (DocValues) and allocate nothing per match.
 */
import type { DayNumber } from '../articles/article.js';
import { NO_MONTH, UNDATED, type DocValues } from '../index/doc-values.js';
import { compareParagraphIds } from '../paragraphs/paragraphs.js';
import type { Collector } from './engine.js';

/** One ranked paragraph: its short id and final score. */
export interface RankedDoc {
  doc: number;
  score: number;
}

/** How results are ordered: by score, or newest first (ties by score). */
export type SortOrder = 'relevance' | 'date';

/** Counts the matches that reach it, and passes them on. */
export class Counter implements Collector {
  count = 0;
  constructor(private readonly next: Collector | null = null) {}
  collect(doc: number, score: number): void {
    this.count++;
    this.next?.collect(doc, score);
  }

  pass(doc: number): void {
    this.count++;
    this.next?.pass?.(doc);
  }

  /** The collector matches go on to, if any. */
  get then(): Collector | null {
    return this.next;
  }
}

/**
 * The best k paragraphs. By relevance: highest score first, equal scores in paragraph order. By date:
 * newest article first (the first day its date names; undated last), then by score, then paragraph order.
 */
export class TopDocs implements Collector {
  total = 0;
  /**
   * Ordered by relevance and full: the lowest score still kept (Lucene's minimum competitive score). A match
   * scoring below it cannot get in, so the engine counts it without calling `collect` — the commonest case by
   * far for a frequent word, and a call per posting cost more than the counting (and boxed every score).
   */
  floor = -Infinity;
  /**
   * Set by the engine when it skipped matches it could prove would not be kept (pruning): `total` then
   * counts what was looked at, a lower bound of the matches.
   */
  skipped = false;
  private readonly docs: Int32Array;
  private readonly scores: Float64Array;
  /** By date: the day of each kept entry (the primary key). */
  private readonly days: Int32Array | null;
  private size = 0;

  /**
   * Matches counted exactly before the engine may skip what cannot get in (Elasticsearch's
   * `track_total_hits`): Infinity counts every match.
   */
  exactUpTo = Infinity;

  constructor(
    private readonly k: number,
    private readonly idOf: (doc: number) => string,
    readonly order: SortOrder = 'relevance',
    private readonly values: DocValues | null = null,
  ) {
    this.docs = new Int32Array(Math.max(0, k));
    this.scores = new Float64Array(Math.max(0, k));
    this.days = order === 'date' ? new Int32Array(Math.max(0, k)) : null;
    if (order === 'date' && values === null) throw new Error('TopDocs: ordering by date needs the index values');
  }

  /** The k it keeps. */
  get capacity(): number {
    return this.k;
  }

  /** Whether k entries are kept: only then can a match be proved not to get in. */
  get isFull(): boolean {
    return this.k > 0 && this.size === this.k;
  }

  /**
   * By date and full: the day of the worst entry kept. A match of an older article cannot get in, whatever
   * its score (and need not be scored).
   */
  get floorDay(): number {
    return this.days !== null && this.size === this.k && this.k > 0 ? this.days[0]! : -Infinity;
  }

  /** By date: the day a paragraph's article ranks by. */
  dayOf(doc: number): DayNumber {
    return this.values!.firstDay(this.values!.articleOf(doc));
  }

  /** True when entry a ranks below entry b. */
  private worse(da: number, sa: number, ya: number, db: number, sb: number, yb: number): boolean {
    if (ya !== yb) return ya < yb;
    if (sa !== sb) return sa < sb;
    return compareParagraphIds(this.idOf(da), this.idOf(db)) > 0;
  }

  collect(doc: number, score: number): void {
    this.total++;
    if (this.k <= 0) return;
    const day = this.days === null ? 0 : this.dayOf(doc);
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(doc, score, day, this.docs[parent]!, this.scores[parent]!, this.dayAt(parent))) break;
        this.move(i, parent);
        i = parent;
      }
      this.put(i, doc, score, day);
      if (this.size === this.k && this.days === null) this.floor = this.scores[0]!;
      return;
    }
    // Full: only something better than the worst kept gets in (most postings stop at this comparison).
    if (this.days === null && score < this.scores[0]!) return;
    if (!this.worse(this.docs[0]!, this.scores[0]!, this.dayAt(0), doc, score, day)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      let c = l;
      if (r < this.size && this.worse(this.docs[r]!, this.scores[r]!, this.dayAt(r), this.docs[l]!, this.scores[l]!, this.dayAt(l))) c = r;
      if (!this.worse(this.docs[c]!, this.scores[c]!, this.dayAt(c), doc, score, day)) break;
      this.move(i, c);
      i = c;
    }
    this.put(i, doc, score, day);
    if (this.days === null) this.floor = this.scores[0]!;
  }

  /** Counts a match the engine knows scores below `floor` (it would not be kept). */
  pass(_doc?: number): void {
    this.total++;
  }

  /** The kept entries, best first. */
  sorted(): RankedDoc[] {
    const entries = Array.from({ length: this.size }, (_, i) => ({ doc: this.docs[i]!, score: this.scores[i]!, day: this.dayAt(i) }));
    entries.sort((a, b) => (this.worse(a.doc, a.score, a.day, b.doc, b.score, b.day) ? 1 : this.worse(b.doc, b.score, b.day, a.doc, a.score, a.day) ? -1 : 0));
    return entries.map(({ doc, score }) => ({ doc, score }));
  }

  private dayAt(i: number): number {
    return this.days === null ? 0 : this.days[i]!;
  }

  private move(to: number, from: number): void {
    this.docs[to] = this.docs[from]!;
    this.scores[to] = this.scores[from]!;
    if (this.days !== null) this.days[to] = this.days[from]!;
  }

  private put(i: number, doc: number, score: number, day: number): void {
    this.docs[i] = doc;
    this.scores[i] = score;
    if (this.days !== null) this.days[i] = day;
  }
}

/** An inclusive range of days; either end may be open. */
export interface DayRange {
  first: DayNumber | null;
  last: DayNumber | null;
}

/**
 * Passes on only paragraphs of articles whose date lies within the range: the whole period the date names
 * (`2025-05` is all of May), so a filter never shows what it cannot vouch for. Undated articles are left out
 * and counted, so the caller can say so.
 */
export class DateFilter implements Collector {
  /** Matches left out for having no date, and their articles. */
  undatedParagraphs = 0;
  private readonly undated = new Set<number>();

  constructor(
    private readonly range: DayRange,
    private readonly values: DocValues,
    private readonly next: Collector,
  ) {}

  get undatedArticles(): number {
    return this.undated.size;
  }

  collect(doc: number, score: number): void {
    if (this.admits(doc)) this.next.collect(doc, score);
  }

  pass(doc: number): void {
    if (this.admits(doc)) this.next.pass?.(doc);
  }

  /** Whether `doc`'s article lies within the range; an undated one is counted as such. */
  admits(doc: number): boolean {
    const article = this.values.articleOf(doc);
    const first = this.values.firstDay(article);
    if (first === UNDATED) {
      this.undatedParagraphs++;
      this.undated.add(article);
      return false;
    }
    if (this.range.first !== null && first < this.range.first) return false;
    if (this.range.last !== null && this.values.lastDay(article) > this.range.last) return false;
    return true;
  }

  /** The collector matches go on to. */
  get then(): Collector {
    return this.next;
  }
}

/** Counts matching paragraphs by the month of their article, and passes them on. */
export class MonthCounts implements Collector {
  readonly counts = new Map<number, number>();
  /** Matches whose article has no month (undated, or dated by year only). */
  withoutMonth = 0;

  constructor(
    private readonly values: DocValues,
    private readonly next: Collector,
  ) {}

  collect(doc: number, score: number): void {
    this.count(this.values.month(this.values.articleOf(doc)));
    this.next.collect(doc, score);
  }

  pass(doc: number): void {
    this.count(this.values.month(this.values.articleOf(doc)));
    this.next.pass?.(doc);
  }

  /** The collector matches go on to. */
  get then(): Collector {
    return this.next;
  }

  /** Counts one unit (a paragraph, or an article when grouping) in `month`. */
  count(month: number): void {
    if (month === NO_MONTH) this.withoutMonth++;
    else this.counts.set(month, (this.counts.get(month) ?? 0) + 1);
  }
}

/** One article of a grouped result: its best paragraphs (best first) and how many of its paragraphs match. */
export interface ArticleGroup {
  article: number;
  matching: number;
  best: RankedDoc[];
}

/** Per-article scratch, reused from query to query (one per DocValues: the index generation). */
interface GroupScratch {
  /** The grouping using it now: one at a time (a second one started would overwrite the first's counts). */
  owner: ArticleGroups | null;
  stamps: Uint32Array;
  stamp: number;
  counts: Int32Array;
  /** BEST_PER_ARTICLE slots per article: paragraph short ids and scores, best first. */
  bestDocs: Int32Array;
  bestScores: Float64Array;
  filled: Int8Array;
}
const scratches = new WeakMap<DocValues, GroupScratch>();

/** Paragraphs shown per article in a grouped result. */
export const BEST_PER_ARTICLE = 3;

/**
 * Groups matches by article: for each, the number of matching paragraphs and its best BEST_PER_ARTICLE.
 * Articles rank by their best paragraph's score (ties: more matching paragraphs, then article id) — the
 * strongest evidence an article is about the query, not how often it mentions it in passing — or, by date,
 * newest first, then by that score.
 */
export class ArticleGroups implements Collector {
  private readonly scratch: GroupScratch;
  private touched = new Int32Array(64);
  private touchedCount = 0;
  /**
   * With `k`: the k best articles' best scores so far, a min-heap (article ordinals, and each one's place in
   * it), so that `floor` — the lowest of them once there are k — is what a paragraph must reach to change
   * which articles are among the k best. Below it, a paragraph is only counted (`pass`).
   */
  private readonly heap: Int32Array;
  private heapSize = 0;
  private readonly heapAt = new Map<number, number>();
  /** Paragraphs counted without a score: the best paragraphs of the articles shown must be rescored. */
  passed = 0;

  constructor(
    private readonly values: DocValues,
    private readonly idOf: (doc: number) => string,
    private readonly k = 0,
  ) {
    this.scratch = scratchFor(values);
    this.scratch.owner = this;
    this.heap = new Int32Array(Math.max(0, k));
  }

  /** Whether it keeps a floor (it was given the number of articles to rank, by relevance). */
  get ranksByScore(): boolean {
    return this.k > 0;
  }

  /** The best score an article must beat to enter the k best (−∞ until k articles have a score). */
  get floor(): number {
    return this.k > 0 && this.heapSize === this.k ? this.scratch.bestScores[this.heap[0]! * BEST_PER_ARTICLE]! : -Infinity;
  }

  /** A matching paragraph that cannot reach `floor`: counted for its article, not ranked. */
  pass(doc: number): void {
    this.passed++;
    this.touch(this.values.articleOf(doc));
  }

  /** Matching articles. */
  get total(): number {
    return this.touchedCount;
  }

  /** Counts a matching paragraph of `article` (its first makes the article a match). */
  private touch(article: number): void {
    const s = this.scratch;
    if (s.owner !== this) throw new Error('ArticleGroups: another grouping over this index started since; group one query at a time');
    if (s.stamps[article] !== s.stamp) {
      s.stamps[article] = s.stamp;
      s.counts[article] = 0;
      s.filled[article] = 0;
      if (this.touchedCount === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = article;
    }
    s.counts[article] = s.counts[article]! + 1;
  }

  collect(doc: number, score: number): void {
    const s = this.scratch;
    const article = this.values.articleOf(doc);
    this.touch(article);
    const before = s.filled[article]! > 0 ? s.bestScores[article * BEST_PER_ARTICLE]! : -Infinity;
    // Insert into the article's few best, best first (equal scores in paragraph order).
    const base = article * BEST_PER_ARTICLE;
    let n = s.filled[article]!;
    let i = n < BEST_PER_ARTICLE ? n : BEST_PER_ARTICLE;
    while (i > 0 && this.better(doc, score, s.bestDocs[base + i - 1]!, s.bestScores[base + i - 1]!)) {
      if (i < BEST_PER_ARTICLE) {
        s.bestDocs[base + i] = s.bestDocs[base + i - 1]!;
        s.bestScores[base + i] = s.bestScores[base + i - 1]!;
      }
      i--;
    }
    if (i < BEST_PER_ARTICLE) {
      s.bestDocs[base + i] = doc;
      s.bestScores[base + i] = score;
      if (n < BEST_PER_ARTICLE) s.filled[article] = ++n;
    }
    if (this.k > 0 && s.bestScores[base]! > before) this.rank(article);
  }

  /** `article`'s best score rose: into the heap of the k best, or up within it. */
  private rank(article: number): void {
    const best = (a: number) => this.scratch.bestScores[a * BEST_PER_ARTICLE]!;
    const at = this.heapAt.get(article);
    let i: number;
    if (at !== undefined) i = at;
    else {
      if (this.heapSize < this.k) {
        i = this.heapSize++;
        this.heap[i] = article;
        this.heapAt.set(article, i);
        // Sift up: a new entry may be lower than its parents.
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (best(this.heap[parent]!) <= best(this.heap[i]!)) break;
          this.swap(i, parent);
          i = parent;
        }
        return;
      }
      if (best(article) <= best(this.heap[0]!)) return;
      this.heapAt.delete(this.heap[0]!);
      this.heap[0] = article;
      this.heapAt.set(article, 0);
      i = 0;
    }
    // Its key rose: sift down.
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heapSize && best(this.heap[l]!) < best(this.heap[m]!)) m = l;
      if (r < this.heapSize && best(this.heap[r]!) < best(this.heap[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    this.heap[a] = y;
    this.heap[b] = x;
    this.heapAt.set(y, a);
    this.heapAt.set(x, b);
  }

  /** Replaces the best paragraphs of `article` (rescored after a run that passed some), best first. */
  setBest(article: number, best: RankedDoc[]): void {
    const s = this.scratch;
    const base = article * BEST_PER_ARTICLE;
    const n = Math.min(BEST_PER_ARTICLE, best.length);
    for (let i = 0; i < n; i++) {
      s.bestDocs[base + i] = best[i]!.doc;
      s.bestScores[base + i] = best[i]!.score;
    }
    s.filled[article] = n;
  }

  /** Calls `visit` with the ordinal of every matching article (for facets). */
  forEachArticle(visit: (article: number) => void): void {
    for (let i = 0; i < this.touchedCount; i++) visit(this.touched[i]!);
  }

  /** The groups ranked `offset … offset + limit`, best first. */
  page(offset: number, limit: number, order: SortOrder): ArticleGroup[] {
    const s = this.scratch;
    if (s.owner !== this) throw new Error('ArticleGroups: another grouping over this index started since; group one query at a time');
    const k = Math.min(offset + limit, this.touchedCount);
    if (k <= 0) return [];
    // An article all of whose paragraphs were passed has no score: below every one that has (and the k best all have one).
    const best = (a: number) => (s.filled[a]! > 0 ? s.bestScores[a * BEST_PER_ARTICLE]! : -Infinity);
    const day = (a: number) => this.values.firstDay(a);
    const id = (a: number) => this.values.articleId(a)!;
    const worse = (a: number, b: number): boolean => {
      if (order === 'date' && day(a) !== day(b)) return day(a) < day(b);
      if (best(a) !== best(b)) return best(a) < best(b);
      if (s.counts[a] !== s.counts[b]) return s.counts[a]! < s.counts[b]!;
      return id(a) > id(b);
    };
    // A bounded heap of the k best articles (the worst at the top), then sorted.
    const heap: number[] = [];
    for (let t = 0; t < this.touchedCount; t++) {
      const a = this.touched[t]!;
      if (heap.length < k) {
        heap.push(a);
        let i = heap.length - 1;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (!worse(heap[i]!, heap[p]!)) break;
          [heap[i], heap[p]] = [heap[p]!, heap[i]!];
          i = p;
        }
      } else if (worse(heap[0]!, a)) {
        heap[0] = a;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
          if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m]!, heap[i]!];
          i = m;
        }
      }
    }
    heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
    return heap.slice(offset).map((article) => {
      const base = article * BEST_PER_ARTICLE;
      const bestDocs: RankedDoc[] = [];
      for (let i = 0; i < s.filled[article]!; i++) bestDocs.push({ doc: s.bestDocs[base + i]!, score: s.bestScores[base + i]! });
      return { article, matching: s.counts[article]!, best: bestDocs };
    });
  }

  private better(da: number, sa: number, db: number, sb: number): boolean {
    if (sa !== sb) return sa > sb;
    return compareParagraphIds(this.idOf(da), this.idOf(db)) < 0;
  }
}

function scratchFor(values: DocValues): GroupScratch {
  const n = values.ordinalCount;
  let s = scratches.get(values);
  if (s === undefined || s.stamps.length < n) {
    const size = Math.max(n, 64, s ? Math.ceil(s.stamps.length * 1.5) : 0);
    s = {
      owner: null,
      stamps: new Uint32Array(size),
      stamp: 0,
      counts: new Int32Array(size),
      bestDocs: new Int32Array(size * BEST_PER_ARTICLE),
      bestScores: new Float64Array(size * BEST_PER_ARTICLE),
      filled: new Int8Array(size),
    };
    scratches.set(values, s);
  }
  s.stamp = s.stamp === 0xffffffff ? 1 : s.stamp + 1;
  if (s.stamp === 1) s.stamps.fill(0);
  return s;
}
