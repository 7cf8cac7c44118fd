import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { SurfaceForms, type FormMatch } from '../../src/index/surface-forms.js';
import { buildIndex } from '../helpers/corpus.js';

/** A few Dutch words with the ways people write them, and the index term each is added under. */
const WORDS = [
  { folded: 'oekraine', term: 'oekrain', variants: ['Oekraïne', 'oekraine', 'OEKRAÏNE', 'oekraïne', 'Oekraine'] },
  { folded: 'oekraiens', term: 'oekrain', variants: ['Oekraïens', 'oekraiens', 'oekraïens'] },
  { folded: 'nederland', term: 'nederland', variants: ['Nederland', 'nederland', 'NEDERLAND'] },
  { folded: 'nederlands', term: 'nederland', variants: ['Nederlands', 'nederlands'] },
  { folded: 'financiele', term: 'financieel', variants: ['financiële', 'Financiële', 'financiele'] },
  { folded: 'navo', term: 'navo', variants: ['NAVO', 'Navo', 'navo'] },
  { folded: 'poetin', term: 'poetin', variants: ['Poetin', 'poetin'] },
  { folded: 'europa', term: 'europa', variants: ['Europa', 'europa'] },
  { folded: 'europese', term: 'europes', variants: ['Europese', 'europese'] },
] as const;
const PREFIXES = ['', 'o', 'oe', 'oekrai', 'oekraine', 'oekraines', 'n', 'ned', 'nederland', 'nederlands', 'f', 'e', 'eu', 'europ', 'europa', 'p', 'x'];
const TERMS = [...new Set(WORDS.map((w) => w.term))];
/** Every variant, so that each has a small id of its own, as the analyzer gives a written word. */
const SURFACES = WORDS.flatMap((w) => w.variants.map((surface) => ({ surface, folded: w.folded, term: w.term })));

/** The oracle: how often each written form occurs now, with its folded form and index term. */
class Model {
  readonly surfaces = new Map<string, { folded: string; term: string; count: number }>();

  add(surface: string, folded: string, term: string): void {
    const s = this.surfaces.get(surface);
    if (s) s.count++;
    else this.surfaces.set(surface, { folded, term, count: 1 });
  }

  remove(surface: string): void {
    this.surfaces.get(surface)!.count--;
  }

  /** Every written form occurring now, once per occurrence. */
  occurrences(): string[] {
    return [...this.surfaces].flatMap(([surface, s]) => Array.from({ length: s.count }, () => surface));
  }

  /** Folded forms with the prefix that occur now, with their count in all written forms, most first. */
  matches(prefix: string): Array<{ folded: string; count: number }> {
    const counts = new Map<string, number>();
    for (const s of this.surfaces.values()) if (s.folded.startsWith(prefix)) counts.set(s.folded, (counts.get(s.folded) ?? 0) + s.count);
    return [...counts]
      .filter(([, count]) => count > 0)
      .map(([folded, count]) => ({ folded, count }))
      .sort((a, b) => b.count - a.count);
  }

  /** The highest count among the written forms of a folded form, or of an index term. */
  mostOf(folded: string): number {
    return Math.max(0, ...[...this.surfaces.values()].filter((s) => s.folded === folded).map((s) => s.count));
  }

  mostOfTerm(term: string): number {
    return Math.max(0, ...[...this.surfaces.values()].filter((s) => s.term === term).map((s) => s.count));
  }
}

/**
 * `actual` is the oracle's top `limit` by count (among equal counts at the cut any may be chosen, in any
 * order), each shown as one of its commonest written forms.
 */
function expectTop(actual: FormMatch[], model: Model, prefix: string, limit: number): void {
  const candidates = model.matches(prefix);
  const byFolded = new Map(candidates.map((m) => [m.folded, m.count]));
  expect(actual).toHaveLength(Math.min(limit, candidates.length));
  expect(new Set(actual.map((m) => m.folded)).size).toBe(actual.length);
  for (const m of actual) {
    expect(m.count).toBeGreaterThan(0);
    expect(m.count).toBe(byFolded.get(m.folded));
    const display = model.surfaces.get(m.display);
    expect(display?.folded).toBe(m.folded);
    expect(display!.count).toBe(model.mostOf(m.folded));
  }
  expect(actual.map((m) => m.count)).toEqual(candidates.slice(0, limit).map((m) => m.count));
}

function expectTerms(forms: SurfaceForms, model: Model): void {
  for (const term of [...TERMS, 'onbekend']) {
    const shown = forms.displayOfTerm(term);
    const most = model.mostOfTerm(term);
    if (most === 0) expect(shown).toBeUndefined();
    else {
      expect(model.surfaces.get(shown!)?.term).toBe(term);
      expect(model.surfaces.get(shown!)!.count).toBe(most);
    }
  }
}

function expectAll(forms: SurfaceForms, model: Model): void {
  for (const prefix of PREFIXES) for (const limit of [1, 3, 50]) expectTop(forms.withPrefix(prefix, limit), model, prefix, limit);
  expectTerms(forms, model);
}

type Op = { kind: 'add'; surface: number; withWord: boolean } | { kind: 'remove'; pick: number; withWord: boolean };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), surface: fc.nat({ max: SURFACES.length - 1 }), withWord: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(), withWord: fc.boolean() }) },
);

/** Applies `ops` to both: an add of a written form, or the removal of one occurrence present now; by word id or by text. */
function apply(ops: Op[], forms: SurfaceForms, model: Model): void {
  for (const o of ops) {
    if (o.kind === 'add') {
      const { surface, folded, term } = SURFACES[o.surface]!;
      if (o.withWord) forms.add(surface, folded, term, o.surface);
      else forms.add(surface, folded, term);
      model.add(surface, folded, term);
    } else {
      const present = model.occurrences();
      if (present.length === 0) continue;
      const surface = present[o.pick % present.length]!;
      if (o.withWord) forms.remove(surface, SURFACES.findIndex((s) => s.surface === surface));
      else forms.remove(surface);
      model.remove(surface);
    }
  }
}

/** A fresh instance restored from what the snapshot writer reads. */
function roundTrip(forms: SurfaceForms): SurfaceForms {
  const copy = new SurfaceForms();
  for (const [surface, folded, term, count] of forms.surfaces()) copy.restore(surface, folded, term, count);
  copy.restored();
  return copy;
}

/** Distinct random lowercase words (a small alphabet, so that prefixes are shared). */
function randomWords(count: number, seed: number): string[] {
  let s = seed >>> 0 || 1;
  const next = () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s >>> 8;
  };
  const words = new Set<string>();
  while (words.size < count) {
    let w = '';
    const length = 2 + (next() % 6);
    for (let i = 0; i < length; i++) w += 'aeiklnorst'[next() % 10];
    words.add(w);
  }
  return [...words];
}

const article = (id: string, paragraphs: string[]): Article => ({ id, title: id, date: null, source: null, url: null, paragraphs });

describe('surface-forms', () => {
  describe('SurfaceForms', () => {
    it('answers withPrefix and displayOfTerm like the oracle after random adds and removes', () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 120 }), fc.array(op, { maxLength: 20 }), (ops, more) => {
          const forms = new SurfaceForms();
          const model = new Model();
          apply(ops, forms, model);
          expectAll(forms, model);
          // Questions change nothing: more changes after them still agree.
          apply(more, forms, model);
          expectAll(forms, model);
          expect(forms.size).toBe(new Set([...model.surfaces.values()].map((s) => s.folded)).size);
        }),
        { numRuns: 150, seed: 11 },
      );
    });

    it('merges more than 2,048 new forms into its sorted list without losing or misordering any', () => {
      fc.assert(
        fc.property(fc.integer({ min: 2_049, max: 4_700 }), fc.integer(), fc.integer({ min: 1, max: 10 }), (n, seed, limit) => {
          const words = randomWords(n, seed);
          const forms = new SurfaceForms();
          const model = new Model();
          let s = seed >>> 0 || 7;
          const rand = (m: number) => {
            s = (Math.imul(s, 48_271) + 11) >>> 0;
            return (s >>> 4) % m;
          };
          const check = () => {
            for (const prefix of ['', 'a', 'k', 'st', words[rand(words.length)]!.slice(0, 2), words[rand(words.length)]!.slice(0, 3), words[rand(words.length)]!]) {
              expectTop(forms.withPrefix(prefix, limit), model, prefix, limit);
            }
          };
          words.forEach((w, i) => {
            const surface = rand(4) === 0 ? w[0]!.toUpperCase() + w.slice(1) : w;
            for (let k = rand(3); k >= 0; k--) {
              forms.add(surface, w, w);
              model.add(surface, w, w);
            }
            // Questions before, at and after the merges of recent forms.
            if (i === 1_000 || i === 2_046 || i === 2_047 || i === 2_048 || i === 2_060 || i === 4_095 || i === 4_200 || i === n - 1) check();
          });
          // Removals after the merge still show (a form at count 0 is never offered).
          const present = [...model.surfaces.keys()];
          for (let k = 0; k < 400; k++) {
            const surface = present[rand(present.length)]!;
            if (model.surfaces.get(surface)!.count === 0) continue;
            forms.remove(surface);
            model.remove(surface);
          }
          check();
          expect(forms.size).toBe(n);
        }),
        { numRuns: 6, seed: 2048 },
      );
    });

    it('shows the variant written most often, and switches once another is written more', () => {
      const forms = new SurfaceForms();
      forms.add('oekraine', 'oekraine', 'oekrain');
      forms.add('Oekraïne', 'oekraine', 'oekrain');
      forms.add('Oekraïne', 'oekraine', 'oekrain');
      // The count is of every written form of the word.
      expect(forms.withPrefix('oekr', 5)).toEqual([{ display: 'Oekraïne', folded: 'oekraine', count: 3 }]);
      forms.add('oekraine', 'oekraine', 'oekrain');
      forms.add('oekraine', 'oekraine', 'oekrain');
      forms.add('OEKRAÏNE', 'oekraine', 'oekrain');
      expect(forms.withPrefix('oekr', 5)).toEqual([{ display: 'oekraine', folded: 'oekraine', count: 6 }]);
      expect(forms.displayOfTerm('oekrain')).toBe('oekraine');
    });

    it('lists the most frequent forms with a prefix first, and only those with the prefix', () => {
      const forms = new SurfaceForms();
      const add = (surface: string, folded: string, term: string, times: number) => {
        for (let i = 0; i < times; i++) forms.add(surface, folded, term);
      };
      add('Nederland', 'nederland', 'nederland', 5);
      add('Nederlands', 'nederlands', 'nederland', 2);
      add('Nederlandse', 'nederlandse', 'nederland', 7);
      add('Navo', 'navo', 'navo', 9);
      add('nee', 'nee', 'nee', 1);
      expect(forms.withPrefix('ned', 2)).toEqual([
        { display: 'Nederlandse', folded: 'nederlandse', count: 7 },
        { display: 'Nederland', folded: 'nederland', count: 5 },
      ]);
      expect(forms.withPrefix('ne', 10).map((m) => m.folded)).toEqual(['nederlandse', 'nederland', 'nederlands', 'nee']);
      expect(forms.withPrefix('n', 1)).toEqual([{ display: 'Navo', folded: 'navo', count: 9 }]);
      expect(forms.withPrefix('nederlandse', 10).map((m) => m.folded)).toEqual(['nederlandse']);
      expect(forms.withPrefix('nederlandsen', 10)).toEqual([]);
      expect(forms.withPrefix('poetin', 10)).toEqual([]);
    });

    it('gives the commonest written form of an index term, across the forms that share it', () => {
      const forms = new SurfaceForms();
      expect(forms.displayOfTerm('nederland')).toBeUndefined();
      for (let i = 0; i < 3; i++) forms.add('Nederland', 'nederland', 'nederland');
      forms.add('nederland', 'nederland', 'nederland');
      forms.add('Nederlands', 'nederlands', 'nederland');
      expect(forms.displayOfTerm('nederland')).toBe('Nederland');
      for (let i = 0; i < 3; i++) forms.add('Nederlands', 'nederlands', 'nederland');
      expect(forms.displayOfTerm('nederland')).toBe('Nederlands');
      expect(forms.displayOfTerm('nederlands')).toBeUndefined();
    });

    it('counts down on removal, and shows what is commonest now', () => {
      const forms = new SurfaceForms();
      for (let i = 0; i < 3; i++) forms.add('Nederland', 'nederland', 'nederland');
      forms.add('nederland', 'nederland', 'nederland');
      forms.add('nederland', 'nederland', 'nederland');
      forms.remove('Nederland');
      forms.remove('Nederland');
      expect(forms.withPrefix('ned', 5)).toEqual([{ display: 'nederland', folded: 'nederland', count: 3 }]);
      expect(forms.displayOfTerm('nederland')).toBe('nederland');
      // A word still written another way stays suggested when one way of writing it is gone.
      forms.remove('Nederland');
      expect(forms.withPrefix('ned', 5)).toEqual([{ display: 'nederland', folded: 'nederland', count: 2 }]);
      forms.remove('nederland');
      forms.remove('nederland');
      expect(forms.withPrefix('ned', 5)).toEqual([]);
      expect(forms.displayOfTerm('nederland')).toBeUndefined();
      // Removing what is not there changes nothing, and counts never go below zero.
      forms.remove('nederland');
      forms.remove('Rutte');
      forms.add('NEDERLAND', 'nederland', 'nederland');
      expect(forms.withPrefix('ned', 5)).toEqual([{ display: 'NEDERLAND', folded: 'nederland', count: 1 }]);
      // The folded form itself is remembered: size counts folded forms ever seen.
      expect(forms.size).toBe(1);
    });

    it('finds a written form by the analyzer’s word id as by its text', () => {
      const forms = new SurfaceForms();
      forms.add('Poetin', 'poetin', 'poetin', 7);
      forms.add('Poetin', 'poetin', 'poetin');
      forms.add('Poetin', 'poetin', 'poetin', 7);
      forms.add('poetin', 'poetin', 'poetin');
      forms.add('poetin', 'poetin', 'poetin', 8);
      expect(forms.withPrefix('poe', 1)).toEqual([{ display: 'Poetin', folded: 'poetin', count: 5 }]);
      forms.remove('Poetin', 7);
      forms.remove('Poetin', 7);
      forms.remove('Poetin');
      expect(forms.withPrefix('poe', 1)).toEqual([{ display: 'poetin', folded: 'poetin', count: 2 }]);
      forms.remove('poetin', 8);
      expect(forms.withPrefix('poe', 1)).toEqual([{ display: 'poetin', folded: 'poetin', count: 1 }]);
    });

    it('gives no forms for a limit of 0', () => {
      const forms = new SurfaceForms();
      forms.add('Navo', 'navo', 'navo');
      expect(forms.withPrefix('na', 0)).toEqual([]);
    });

    it('answers the same after a round trip through the snapshot methods, and goes on the same', () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 120 }), fc.array(op, { maxLength: 40 }), (ops, more) => {
          const forms = new SurfaceForms();
          const model = new Model();
          apply(ops, forms, model);
          const copy = roundTrip(forms);
          expect(copy.size).toBe(forms.size);
          expect([...copy.surfaces()]).toEqual([...forms.surfaces()]);
          expectAll(copy, model);
          for (const term of TERMS) expect(copy.displayOfTerm(term)).toBe(forms.displayOfTerm(term));
          // Both go on alike, by word id or by text (the restored one learns word ids afresh).
          const model2 = new Model();
          for (const [surface, s] of model.surfaces) model2.surfaces.set(surface, { ...s });
          apply(more, forms, model);
          apply(more, copy, model2);
          expectAll(forms, model);
          expectAll(copy, model2);
        }),
        { numRuns: 100, seed: 3 },
      );
    });

    it('round-trips a named set of forms through the snapshot methods', () => {
      const forms = new SurfaceForms();
      for (let i = 0; i < 3; i++) forms.add('Oekraïne', 'oekraine', 'oekrain');
      forms.add('oekraine', 'oekraine', 'oekrain');
      forms.add('Oekraïens', 'oekraiens', 'oekrain');
      forms.add('navo', 'navo', 'navo');
      forms.add('NAVO', 'navo', 'navo');
      forms.add('NAVO', 'navo', 'navo');
      const copy = roundTrip(forms);
      for (const prefix of ['', 'oe', 'oekraie', 'n']) expect(copy.withPrefix(prefix, 10)).toEqual(forms.withPrefix(prefix, 10));
      expect(copy.withPrefix('oekrain', 1)).toEqual([{ display: 'Oekraïne', folded: 'oekraine', count: 4 }]);
      expect(copy.displayOfTerm('oekrain')).toBe('Oekraïne');
      expect(copy.displayOfTerm('navo')).toBe('NAVO');
      // The other variants' counts came along: three more `oekraine` and it overtakes.
      for (let i = 0; i < 3; i++) copy.add('oekraine', 'oekraine', 'oekrain');
      expect(copy.withPrefix('oekrain', 1)).toEqual([{ display: 'oekraine', folded: 'oekraine', count: 7 }]);
    });

    it('is fed by the index: the written forms of indexed paragraphs, counted and removed with them', () => {
      const index = buildIndex([
        article('a', ['Oekraïne en de NAVO.', 'De steun aan Oekraïne groeit.']),
        article('b', ['In oekraine en in Oekraïne wordt gevochten.', 'Nederland steunt Oekraïne.']),
      ]);
      const term = index.analyzer.indexTerms('Oekraïne')[0]!;
      expect(index.surfaceForms.withPrefix('oekr', 5)).toEqual([{ display: 'Oekraïne', folded: 'oekraine', count: 5 }]);
      expect(index.surfaceForms.displayOfTerm(term)).toBe('Oekraïne');
      expect(index.surfaceForms.withPrefix('nederl', 5)).toEqual([{ display: 'Nederland', folded: 'nederland', count: 1 }]);
      // Stopwords (`en`, `de`, `in`) are no index terms, so they are never offered.
      expect(index.surfaceForms.withPrefix('en', 5)).toEqual([]);
      expect(index.surfaceForms.withPrefix('de', 5)).toEqual([]);
      index.removeArticle('b');
      expect(index.surfaceForms.withPrefix('oekr', 5)).toEqual([{ display: 'Oekraïne', folded: 'oekraine', count: 2 }]);
      expect(index.surfaceForms.withPrefix('nederl', 5)).toEqual([]);
    });
  });
});
