import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { analyzeQuery } from '../../src/query/analyze.js';
import { anyWordFallback } from '../../src/query/policy.js';
import { relaxTypos, typoDistance, type Vocabulary } from '../../src/query/rewrite.js';
import { parseSyntax } from '../../src/query/syntax.js';
import type { Query } from '../../src/query/tree.js';

const analyzer = createAnalyzer();
const analyze = (text: string) => analyzeQuery(text, parseSyntax(text), analyzer);
/** A vocabulary that knows the given terms (each in one paragraph). */
const knowing = (...terms: string[]): Vocabulary => ({ documentFrequency: (t) => (terms.includes(t) ? 1 : 0) });
const shape = (node: Query | null) => JSON.parse(JSON.stringify(node, (k, v) => (k === 'source' ? undefined : v)));

describe('rewrite', () => {
  describe('typoDistance', () => {
    it('allows no edit below 4 letters, one from 4 and two from 8', () => {
      expect(['abc', 'witk', 'witkoff', 'onderhan'].map(typoDistance)).toEqual([0, 1, 1, 2]);
    });
  });

  describe('relaxTypos', () => {
    it('reads a word that occurs nowhere as a typo, and reports it as typed', () => {
      const { query, approximate } = relaxTypos(analyze('Witkof NAVO').query!, knowing('navo'));
      expect(shape(query)).toEqual({ kind: 'and', children: [{ kind: 'fuzzy', term: 'witkof', distance: 1 }, { kind: 'term', term: 'navo' }] });
      expect(approximate.map((s) => s.text)).toEqual(['Witkof']);
    });

    it('takes a word that occurs as typed, even when one of its alternatives does not', () => {
      // financiële → financieel OR financiel: one known term is enough.
      const { query, approximate } = relaxTypos(analyze('financiële').query!, knowing('financieel'));
      expect(shape(query)).toEqual(shape(analyze('financiële').query));
      expect(approximate).toEqual([]);
    });

    it('relaxes all alternatives of an unknown word together, never a prefix, and nothing too short to have a typo', () => {
      expect(shape(relaxTypos(analyze('financiële').query!, knowing()).query)).toEqual({
        kind: 'or',
        children: [
          { kind: 'fuzzy', term: 'financieel', distance: 2 },
          { kind: 'fuzzy', term: 'financiel', distance: 2 },
        ],
      });
      expect(relaxTypos(analyze('onderhan*').query!, knowing()).approximate).toEqual([]);
      expect(relaxTypos(analyze('xyz').query!, knowing()).approximate).toEqual([]);
    });

    it('relaxes unknown words inside phrases and exclusions too', () => {
      const phrase = relaxTypos(analyze('"spesiale gezant"').query!, knowing('zan'));
      expect(shape(phrase.query).slots[0]).toEqual({ kind: 'word', query: { kind: 'fuzzy', term: 'spesial', distance: 1 } });
      expect(phrase.approximate.map((s) => s.text)).toEqual(['"spesiale gezant"']);
      const excluded = relaxTypos(analyze('Rusland -Witkof').query!, knowing('rusland'));
      expect(shape(excluded.query).children[1]).toEqual({ kind: 'not', child: { kind: 'fuzzy', term: 'witkof', distance: 1 } });
    });
  });
});

describe('policy', () => {
  describe('anyWordFallback', () => {
    it('relaxes every word to any word for a plain query of several words, and nothing else', () => {
      const plain = analyze('Witkoff NAVO');
      expect(shape(anyWordFallback(plain.query, plain.plain))).toEqual({ kind: 'or', children: [{ kind: 'term', term: 'witkoff' }, { kind: 'term', term: 'navo' }] });
      for (const text of ['Witkoff', '(Witkoff NAVO)', 'Witkoff NAVO -OVSE', '"Witkoff NAVO"', 'Witkoff OF NAVO', 'de het']) {
        const analyzed = analyze(text);
        expect(anyWordFallback(analyzed.query, analyzed.plain), text).toBeNull();
      }
      // A single word with a hyphen is one word: its parts are not relaxed apart.
      const compound = analyze('Kremlin-woordvoerder');
      expect(anyWordFallback(compound.query, compound.plain)).toBeNull();
    });
  });
});
