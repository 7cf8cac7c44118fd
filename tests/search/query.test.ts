import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { combineClauses, parseQuery, withTypos } from '../../src/search/query.js';

const analyzer = createAnalyzer();

describe('query', () => {
  describe('parseQuery', () => {
    it('makes one clause per searchable word and lists dropped stopwords', () => {
      expect(parseQuery('de NAVO en Oekraïne', analyzer)).toEqual({
        text: 'de NAVO en Oekraïne',
        clauses: ['navo', 'oekraine'],
        words: ['NAVO', 'Oekraïne'],
        terms: ['navo', 'oekraine'],
        ignored: ['de', 'en'],
        prefixes: [],
      });
    });

    it('reads a word ending in * as a prefix, of the word as written and of its stem (KP: regeringen → regeer)', () => {
      expect(parseQuery('onderhan*', analyzer).clauses).toEqual([{ term: 'onderhan', prefix: true }]);
      expect(parseQuery('Regeringen*', analyzer).clauses).toEqual([
        { combineWith: 'OR', queries: [{ term: 'regeringen', prefix: true }, { term: 'regeer', prefix: true }] },
      ]);
      expect(parseQuery('Oekraï*', analyzer).prefixes).toEqual(['oekrai']);
    });

    it('expands a stopword typed as a prefix, but not a prefix shorter than three letters', () => {
      expect(parseQuery('voor*', analyzer)).toMatchObject({ clauses: [{ term: 'voor', prefix: true }], ignored: [] });
      expect(parseQuery('ge* NAVO', analyzer).clauses).toEqual(['navo']);
      expect(parseQuery('na* NAVO', analyzer).ignored).toEqual(['na']);
    });

    it('makes only the last part of a compound a prefix', () => {
      expect(parseQuery('oud-minis*', analyzer).clauses).toEqual([{ combineWith: 'AND', queries: ['oud', { term: 'minis', prefix: true }] }]);
    });
  });

  describe('withTypos', () => {
    it('allows one edit from 4 letters and two from 8, none below 4, and leaves prefixes alone', () => {
      expect(withTypos('abc')).toBe('abc');
      expect(withTypos('witkof')).toEqual({ term: 'witkof', fuzzy: 1 });
      expect(withTypos('onderhandel')).toEqual({ term: 'onderhandel', fuzzy: 2 });
      expect(withTypos({ combineWith: 'OR', queries: ['financieel', { term: 'fin', prefix: true }] })).toEqual({
        combineWith: 'OR',
        queries: [{ term: 'financieel', fuzzy: 2 }, { term: 'fin', prefix: true }],
      });
    });

    it('lets either stem of a word with diacritics match', () => {
      expect(parseQuery('financiële', analyzer).clauses).toEqual([{ combineWith: 'OR', queries: ['financieel', 'financiel'] }]);
    });

    it('matches a compound whole or by all its parts', () => {
      expect(parseQuery('Kremlin-woordvoerder', analyzer).clauses).toEqual([
        { combineWith: 'OR', queries: ['kremlinwoordvoer', { combineWith: 'AND', queries: ['kremlin', 'woordvoer'] }] },
      ]);
      // A stopword part is dropped after splitting.
      expect(parseQuery('niet-acute', analyzer).clauses).toEqual([{ combineWith: 'OR', queries: ['nietacut', 'acut'] }]);
    });

    it('removes duplicate clauses: inflections of one word count once', () => {
      expect(parseQuery('gesprek gesprekken NAVO navo', analyzer).clauses).toEqual(['sprek', 'navo']);
    });

    it('has no clause for a query of stopwords or punctuation', () => {
      expect(parseQuery('de het een', analyzer)).toMatchObject({ clauses: [], terms: [], ignored: ['de', 'het', 'een'] });
      expect(parseQuery('?!<>', analyzer).clauses).toEqual([]);
    });

    it('never throws and only yields terms the analyzer indexes', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
          const parsed = parseQuery(text, analyzer);
          const indexed = new Set(analyzer.indexTerms(text));
          for (const term of parsed.terms) expect(indexed.has(term)).toBe(true);
          expect(parsed.clauses.length).toBeLessThanOrEqual(parsed.terms.length);
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('combineClauses', () => {
    it('combines several clauses, passes one through, and has nothing for none', () => {
      expect(combineClauses(['a', 'b'], 'AND')).toEqual({ combineWith: 'AND', queries: ['a', 'b'] });
      expect(combineClauses(['a'], 'OR')).toBe('a');
      expect(combineClauses([], 'AND')).toBeNull();
    });
  });
});
