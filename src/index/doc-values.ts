/**
 * What filters, sorting, grouping and facets read per paragraph, in typed arrays by MiniSearch short id: the
 * paragraph's article (as a small ordinal), and per article its date as a range of days and its month. A
 * collector reads these for every match, so they must cost an array read, not a string parse.
 */
import { dateRange, type Article, type DayNumber } from '../articles/article.js';

/** The first and last day of an undated article: no date range contains it. */
export const UNDATED = -0x80000000;
/** The month of an article dated by year only, or undated. */
export const NO_MONTH = -1;

export class DocValues {
  /** Short id → article ordinal (-1: none). */
  private articleOfDoc = new Int32Array(0);
  /** Article ordinal → id; undefined for a free ordinal. */
  private readonly ids: Array<string | undefined> = [];
  private first = new Int32Array(0);
  private last = new Int32Array(0);
  /** Year × 12 + month − 1, or NO_MONTH. */
  private months = new Int32Array(0);
  private readonly free: number[] = [];

  /** Article ordinals in use or freed: the size a per-article array must have. */
  get ordinalCount(): number {
    return this.ids.length;
  }

  /** Takes an ordinal for `article` and records its date. */
  addArticle(article: Article): number {
    const ordinal = this.free.pop() ?? this.ids.length;
    if (ordinal === this.ids.length) {
      this.ids.push(article.id);
      this.growArticles(this.ids.length);
    } else this.ids[ordinal] = article.id;
    const range = article.date === null ? null : dateRange(article.date);
    this.first[ordinal] = range?.first ?? UNDATED;
    this.last[ordinal] = range?.last ?? UNDATED;
    this.months[ordinal] = article.date !== null && article.date.length >= 7 ? monthOrdinal(article.date) : NO_MONTH;
    return ordinal;
  }

  /** Frees an article's ordinal (its paragraphs' short ids are never used again). */
  removeArticle(ordinal: number): void {
    if (this.ids[ordinal] === undefined) return; // freed already: it must not be handed out twice
    this.ids[ordinal] = undefined;
    this.free.push(ordinal);
  }

  setDoc(shortId: number, ordinal: number): void {
    if (shortId >= this.articleOfDoc.length) {
      const grown = new Int32Array(Math.max(shortId + 1, Math.ceil(this.articleOfDoc.length * 1.5), 1024)).fill(-1);
      grown.set(this.articleOfDoc);
      this.articleOfDoc = grown;
    }
    this.articleOfDoc[shortId] = ordinal;
  }

  /** The article ordinal of a paragraph. */
  articleOf(shortId: number): number {
    return this.articleOfDoc[shortId]!;
  }

  articleId(ordinal: number): string | undefined {
    return this.ids[ordinal];
  }

  /** First day of the article's date (UNDATED when it has none). */
  firstDay(ordinal: number): DayNumber {
    return this.first[ordinal]!;
  }

  lastDay(ordinal: number): DayNumber {
    return this.last[ordinal]!;
  }

  /** Year × 12 + month − 1 of the article's date, or NO_MONTH. */
  month(ordinal: number): number {
    return this.months[ordinal]!;
  }

  /** Bytes held (for measurements). */
  get bytes(): number {
    return this.articleOfDoc.byteLength + this.first.byteLength + this.last.byteLength + this.months.byteLength;
  }

  private growArticles(n: number): void {
    if (this.first.length >= n) return;
    const size = Math.max(n, Math.ceil(this.first.length * 1.5), 256);
    const grow = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.first = grow(this.first);
    this.last = grow(this.last);
    this.months = grow(this.months);
  }
}

/** `2025-05…` → 2025 × 12 + 4. */
export function monthOrdinal(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** 2025 × 12 + 4 → `2025-05`. */
export function monthLabel(ordinal: number): string {
  return `${String(Math.floor(ordinal / 12)).padStart(4, '0')}-${String((ordinal % 12) + 1).padStart(2, '0')}`;
}
