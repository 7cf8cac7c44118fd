import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { DocValues, monthLabel, monthOrdinal, NO_MONTH, UNDATED } from '../../src/index/doc-values.js';
import { buildIndex } from '../helpers/corpus.js';

const article = (id: string, date: string | null, paragraphs: string[] = ['Een alinea over de NAVO.']): Article => ({
  id,
  title: id,
  date,
  source: null,
  url: null,
  paragraphs,
});

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil): the oracle for days. */
function civilDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A valid date of any precision, with the first and last day it names and its month (or NO_MONTH). */
const datedArbitrary = fc
  .record({ year: fc.integer({ min: 0, max: 9999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }), precision: fc.constantFrom(1, 2, 3) })
  .map(({ year, month, day: rawDay, precision }) => {
    const day = Math.min(rawDay, daysInMonth(year, month));
    if (precision === 1) return { date: pad(year, 4), first: civilDay(year, 1, 1), last: civilDay(year, 12, 31), month: NO_MONTH };
    const monthOf = year * 12 + month - 1;
    if (precision === 2) {
      return { date: `${pad(year, 4)}-${pad(month, 2)}`, first: civilDay(year, month, 1), last: civilDay(year, month, daysInMonth(year, month)), month: monthOf };
    }
    const only = civilDay(year, month, day);
    return { date: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`, first: only, last: only, month: monthOf };
  });
const dateOrNone = fc.option(datedArbitrary, { nil: null, freq: 4 });

describe('doc-values', () => {
  describe('DocValues', () => {
    it('records a year as the whole year, a month as the whole month and a day as that day', () => {
      const values = new DocValues();
      const year = values.addArticle(article('jaar', '2025'));
      const may = values.addArticle(article('mei', '2025-05'));
      const day = values.addArticle(article('dag', '2025-05-19'));
      const leap = values.addArticle(article('schrikkel', '2024-02'));
      const none = values.addArticle(article('zonder', null));
      expect([values.firstDay(year), values.lastDay(year)]).toEqual([Date.UTC(2025, 0, 1) / 86_400_000, Date.UTC(2025, 11, 31) / 86_400_000]);
      expect([values.firstDay(may), values.lastDay(may)]).toEqual([Date.UTC(2025, 4, 1) / 86_400_000, Date.UTC(2025, 4, 31) / 86_400_000]);
      expect([values.firstDay(day), values.lastDay(day)]).toEqual([Date.UTC(2025, 4, 19) / 86_400_000, Date.UTC(2025, 4, 19) / 86_400_000]);
      expect(values.lastDay(leap) - values.firstDay(leap)).toBe(28);
      expect([values.firstDay(none), values.lastDay(none)]).toEqual([UNDATED, UNDATED]);
      expect(values.month(year)).toBe(NO_MONTH);
      expect(values.month(may)).toBe(2025 * 12 + 4);
      expect(values.month(day)).toBe(2025 * 12 + 4);
      expect(values.month(none)).toBe(NO_MONTH);
      expect(monthLabel(values.month(day))).toBe('2025-05');
    });

    it('records the days and month of any valid date, years 0 to 9999', () => {
      fc.assert(
        fc.property(fc.array(dateOrNone, { minLength: 1, maxLength: 20 }), (dates) => {
          const values = new DocValues();
          const ordinals = dates.map((d, i) => values.addArticle(article(`a${i}`, d?.date ?? null)));
          dates.forEach((d, i) => {
            const o = ordinals[i]!;
            expect(values.articleId(o)).toBe(`a${i}`);
            expect(values.firstDay(o)).toBe(d?.first ?? UNDATED);
            expect(values.lastDay(o)).toBe(d?.last ?? UNDATED);
            expect(values.month(o)).toBe(d?.month ?? NO_MONTH);
            if (d !== null) expect(values.firstDay(o)).toBeLessThanOrEqual(values.lastDay(o));
          });
        }),
        { numRuns: 300, seed: 1 },
      );
    });

    it('sorts an undated article before every dated one, year 0 included', () => {
      const values = new DocValues();
      const oldest = values.addArticle(article('oudst', '0000-01-01'));
      expect(values.firstDay(oldest)).toBe(civilDay(0, 1, 1));
      expect(UNDATED).toBeLessThan(values.firstDay(oldest));
      expect(UNDATED).toBeLessThan(civilDay(-9999, 1, 1));
      expect(NO_MONTH).toBeLessThan(0);
    });

    it('hands out ordinals in order, and reuses a removed article’s ordinal for the next one', () => {
      const values = new DocValues();
      expect([values.addArticle(article('a', '2025-05')), values.addArticle(article('b', null)), values.addArticle(article('c', '2024'))]).toEqual([0, 1, 2]);
      values.removeArticle(1);
      expect(values.articleId(1)).toBeUndefined();
      expect(values.ordinalCount).toBe(3);
      const d = values.addArticle(article('d', '2025-05-19'));
      expect(d).toBe(1);
      expect(values.ordinalCount).toBe(3);
      // The reused ordinal carries the new article's values, not the old one's.
      expect(values.articleId(1)).toBe('d');
      expect(values.firstDay(1)).toBe(civilDay(2025, 5, 19));
      expect(values.month(1)).toBe(2025 * 12 + 4);
      values.removeArticle(0);
      const e = values.addArticle(article('e', null));
      expect(e).toBe(0);
      expect([values.firstDay(0), values.lastDay(0), values.month(0)]).toEqual([UNDATED, UNDATED, NO_MONTH]);
      expect(values.addArticle(article('f', '2023'))).toBe(3);
      expect(values.ordinalCount).toBe(4);
    });

    it('keeps ordinals unique among live articles through random adds and removes, reusing freed ones first', () => {
      const step = fc.oneof(fc.record({ add: fc.constant(true as const), date: dateOrNone }), fc.record({ add: fc.constant(false as const), pick: fc.nat() }));
      fc.assert(
        fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
          const values = new DocValues();
          const live = new Map<number, { id: string; first: number; last: number; month: number }>();
          const freed = new Set<number>();
          let peak = 0;
          steps.forEach((s, i) => {
            if (s.add) {
              const before = values.ordinalCount;
              const o = values.addArticle(article(`art-${i}`, s.date?.date ?? null));
              expect(live.has(o)).toBe(false);
              if (freed.size > 0) expect(freed.has(o)).toBe(true);
              else expect(o).toBe(before);
              freed.delete(o);
              live.set(o, { id: `art-${i}`, first: s.date?.first ?? UNDATED, last: s.date?.last ?? UNDATED, month: s.date?.month ?? NO_MONTH });
              peak = Math.max(peak, live.size);
            } else {
              const ordinals = [...live.keys()];
              if (ordinals.length === 0) return;
              const o = ordinals[s.pick % ordinals.length]!;
              values.removeArticle(o);
              live.delete(o);
              freed.add(o);
            }
            // The per-article arrays only ever grow to the most articles held at once.
            expect(values.ordinalCount).toBe(peak);
          });
          for (const [o, a] of live) {
            expect(values.articleId(o)).toBe(a.id);
            expect([values.firstDay(o), values.lastDay(o), values.month(o)]).toEqual([a.first, a.last, a.month]);
          }
          for (const o of freed) expect(values.articleId(o)).toBeUndefined();
        }),
        { numRuns: 300, seed: 2 },
      );
    });

    it('maps short ids to ordinals, growing past its first size, with -1 for a short id never set', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat({ max: 6000 }), fc.nat({ max: 50 })), { maxLength: 200 }), (pairs) => {
          const values = new DocValues();
          const oracle = new Map<number, number>();
          for (const [shortId, ordinal] of pairs) {
            values.setDoc(shortId, ordinal);
            oracle.set(shortId, ordinal);
          }
          const highest = Math.max(-1, ...oracle.keys());
          const ids = Array.from({ length: highest + 1 }, (_, id) => id);
          expect(ids.map((id) => values.articleOf(id))).toEqual(ids.map((id) => oracle.get(id) ?? -1));
        }),
        { numRuns: 100, seed: 3 },
      );
    });

    it('is kept by the index: a paragraph’s article ordinal and date, with a removed article’s ordinal reused', () => {
      const index = buildIndex([
        article('navo-top', '2025-06-24', ['De NAVO-top in Den Haag.', 'Rutte opent de top.']),
        article('oekraine', '2025-05', ['Gesprekken over Oekraïne.']),
      ]);
      const values = index.docValues;
      const top = values.articleOf(index.shortIdOf('navo-top#1')!);
      expect(values.articleOf(index.shortIdOf('navo-top#2')!)).toBe(top);
      expect(values.articleId(top)).toBe('navo-top');
      expect(values.firstDay(top)).toBe(civilDay(2025, 6, 24));
      const oekraine = values.articleOf(index.shortIdOf('oekraine#1')!);
      expect(oekraine).not.toBe(top);
      expect(values.month(oekraine)).toBe(monthOrdinal('2025-05'));
      index.removeArticle('navo-top');
      index.addArticle(article('kabinet', null, ['Het kabinet valt.']));
      const kabinet = values.articleOf(index.shortIdOf('kabinet#1')!);
      expect(kabinet).toBe(top);
      expect(values.articleId(kabinet)).toBe('kabinet');
      expect(values.firstDay(kabinet)).toBe(UNDATED);
      expect(values.month(kabinet)).toBe(NO_MONTH);
      expect(values.ordinalCount).toBe(2);
    });
  });

  describe('monthOrdinal and monthLabel', () => {
    it('round-trip every month of every year 0–9999, in order', () => {
      let previous = -1;
      for (let year = 0; year <= 9999; year++) {
        for (let month = 1; month <= 12; month++) {
          const label = `${pad(year, 4)}-${pad(month, 2)}`;
          const ordinal = monthOrdinal(label);
          if (ordinal !== previous + 1 || monthLabel(ordinal) !== label) {
            expect({ label, ordinal, back: monthLabel(ordinal) }).toEqual({ label, ordinal: previous + 1, back: label });
          }
          previous = ordinal;
        }
      }
      expect(previous).toBe(9999 * 12 + 11);
    });

    it('reads the month of a full date, ignoring the day', () => {
      fc.assert(
        fc.property(datedArbitrary, (d) => {
          if (d.date.length < 7) return;
          expect(monthOrdinal(d.date)).toBe(d.month);
          expect(monthLabel(monthOrdinal(d.date))).toBe(d.date.slice(0, 7));
        }),
        { numRuns: 500, seed: 4 },
      );
      expect(monthOrdinal('2025-05-19')).toBe(2025 * 12 + 4);
      expect(monthLabel(2025 * 12 + 4)).toBe('2025-05');
      expect(monthLabel(0)).toBe('0000-01');
      expect(monthLabel(11)).toBe('0000-12');
      expect(monthLabel(12)).toBe('0001-01');
    });

    it('orders ordinals as their labels sort', () => {
      fc.assert(
        fc.property(fc.nat({ max: 9999 * 12 + 11 }), fc.nat({ max: 9999 * 12 + 11 }), (a, b) => {
          const [la, lb] = [monthLabel(a), monthLabel(b)];
          expect(Math.sign(a - b)).toBe(la < lb ? -1 : la > lb ? 1 : 0);
        }),
        { numRuns: 500, seed: 5 },
      );
    });
  });
});
