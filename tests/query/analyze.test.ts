import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { analyzeQuery, MAX_QUERY_TERMS } from '../../src/query/analyze.js';
import { QueryError } from '../../src/query/query-error.js';
import { parseSyntax } from '../../src/query/syntax.js';
import { leaves, type Query } from '../../src/query/tree.js';

const analyzer = createAnalyzer();
const analyze = (text: string) => analyzeQuery(text, parseSyntax(text), analyzer);

/** The tree without word sources, for comparing shapes. */
function shape(node: Query | null): unknown {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === 'source' ? undefined : v)));
}

const term = (t: string) => ({ kind: 'term', term: t });
const or = (...children: unknown[]) => ({ kind: 'or', children });
const and = (...children: unknown[]) => ({ kind: 'and', children });

describe('analyze', () => {
  describe('analyzeQuery', () => {
    it('makes one clause per searchable word, marks each with the word as typed, and lists dropped stopwords', () => {
      const r = analyze('de NAVO en Oekraïne');
      expect(shape(r.query)).toEqual(and(term('navo'), term('oekraine')));
      expect(r).toMatchObject({ plain: true, terms: ['navo', 'oekraine'], ignored: ['de', 'en'] });
      expect((r.query as unknown as { children: Query[] }).children.map((c) => c.source)).toEqual([
        { text: 'NAVO', start: 3, end: 7 },
        { text: 'Oekraïne', start: 11, end: 19 },
      ]);
    });

    it('lets either stem of a word with diacritics match', () => {
      expect(shape(analyze('financiële').query)).toEqual(or(term('financieel'), term('financiel')));
    });

    it('matches a hyphenated compound whole or by all its parts, a stopword part dropped', () => {
      expect(shape(analyze('Kremlin-woordvoerder').query)).toEqual(or(term('kremlinwoordvoer'), and(term('kremlin'), term('woordvoer'))));
      expect(shape(analyze('niet-acute').query)).toEqual(or(term('nietacut'), term('acut')));
    });

    it('reads a word ending in * as a prefix, of the word as written and of its stem (KP: regeringen → regeer)', () => {
      expect(shape(analyze('onderhan*').query)).toEqual({ kind: 'prefix', term: 'onderhan' });
      expect(shape(analyze('Regeringen*').query)).toEqual(or({ kind: 'prefix', term: 'regeringen' }, { kind: 'prefix', term: 'regeer' }));
      expect(shape(analyze('oud-minis*').query)).toEqual(and(term('oud'), { kind: 'prefix', term: 'minis' }));
      // A stopword typed as a prefix is expanded; a prefix under three letters is searched as a word.
      expect(analyze('voor*')).toMatchObject({ ignored: [] });
      expect(shape(analyze('voor*').query)).toEqual({ kind: 'prefix', term: 'voor' });
      expect(shape(analyze('ge* NAVO').query)).toEqual(term('navo'));
    });

    it('counts inflections of one word once', () => {
      expect(shape(analyze('gesprek gesprekken NAVO navo').query)).toEqual(and(term('sprek'), term('navo')));
    });

    it('keeps a phrase as slots in order, stopwords in their place, a compound by its parts', () => {
      expect(shape(analyze('"Poetin en Trump"').query)).toEqual({
        kind: 'phrase',
        slots: [{ kind: 'word', query: term('poetin') }, { kind: 'stopword', word: 'en' }, { kind: 'word', query: term('trump') }],
      });
      expect(shape(analyze('"Kremlin-woordvoerder Dmitry"').query)).toEqual({
        kind: 'phrase',
        slots: [{ kind: 'word', query: term('kremlin') }, { kind: 'word', query: term('woordvoer') }, { kind: 'word', query: term('dmitry') }],
      });
      expect(shape(analyze('"speciale gez*"').query)).toMatchObject({ kind: 'phrase', slots: [{ kind: 'word' }, { kind: 'word', query: { kind: 'prefix', term: 'gez' } }] });
      // One word in quotes is that word; only stopwords in quotes are ignored like stopwords.
      expect(shape(analyze('"NAVO"').query)).toEqual(term('navo'));
      expect(analyze('"van de"')).toMatchObject({ query: null, ignored: ['van', 'de'] });
    });

    it('excludes words and phrases, and needs a word that must occur in every part', () => {
      expect(shape(analyze('Rusland -NAVO').query)).toEqual(and(term('rusland'), { kind: 'not', child: term('navo') }));
      expect(analyze('Rusland -NAVO')).toMatchObject({ plain: false, terms: ['rusland'] });
      expect(shape(analyze('Rusland -de').query)).toEqual(term('rusland'));
      for (const [text, position] of [['-NAVO', 0], ['Rusland OF -NAVO', 11], ['de -NAVO', 0]] as const) {
        let caught: unknown;
        try {
          analyze(text);
        } catch (error) {
          caught = error;
        }
        expect(caught, text).toBeInstanceOf(QueryError);
        expect(caught).toMatchObject({ code: 'bad_query', position });
      }
    });

    it('combines OR and parentheses as written', () => {
      expect(shape(analyze('(Trump OF Biden) "Witte Huis"').query)).toEqual(
        and(or(term('trump'), term('bid')), { kind: 'phrase', slots: [{ kind: 'word', query: term('wit') }, { kind: 'word', query: term('huis') }] }),
      );
      expect(analyze('Poetin OF Zelensky').plain).toBe(false);
    });

    it('has no query for stopwords or punctuation only', () => {
      expect(analyze('de het een')).toMatchObject({ query: null, terms: [], ignored: ['de', 'het', 'een'] });
      expect(analyze('?!<>').query).toBeNull();
    });

    it(`refuses more than ${MAX_QUERY_TERMS} distinct terms, at the word that goes over`, () => {
      const words = Array.from({ length: 40 }, (_, i) => `woord${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
      const text = words.join(' ');
      expect(() => analyze(words.slice(0, MAX_QUERY_TERMS).join(' '))).not.toThrow();
      let caught: QueryError | undefined;
      try {
        analyze(text);
      } catch (error) {
        caught = error as QueryError;
      }
      expect(caught).toMatchObject({ code: 'too_many_terms', position: text.indexOf(words[MAX_QUERY_TERMS]!) });
    });

    it('only yields terms the analyzer indexes, for any words (compounds included)', () => {
      const word = fc.stringMatching(/^[a-zà-ÿ]{1,8}(-[a-zà-ÿ]{1,8})?$/);
      fc.assert(
        fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (words) => {
          const text = words.join(' ');
          const r = analyze(text);
          const indexed = new Set(analyzer.indexTerms(text));
          // A hyphenated compound also asks for its whole (joined), which is not indexed but is analyzed
          // like a word; every other term is one the index holds for this text.
          const wholes = new Set(words.filter((w) => w.includes('-')).flatMap((w) => analyzer.indexTerms(w.replace(/-/g, ''))));
          for (const t of r.query === null ? [] : leaves(r.query).map((l) => l.term)) expect(indexed.has(t) || wholes.has(t), t).toBe(true);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
