import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { analyzeQuery } from '../../src/query/analyze.js';
import { parseSynonyms, Synonyms } from '../../src/query/synonyms.js';
import { parseSyntax } from '../../src/query/syntax.js';
import { leaves } from '../../src/query/tree.js';

const analyzer = createAnalyzer();
const synonymsOf = (text: string) => new Synonyms(parseSynonyms(text).rules, analyzer);
const analyzed = (query: string, synonyms: Synonyms) => analyzeQuery(query, parseSyntax(query), analyzer, synonyms);
const termOf = (word: string) => analyzer.analyze(word)[0]!.terms[0]!;

describe('synonyms', () => {
  describe('parseSynonyms', () => {
    it('reads equivalents and one-way rules, skipping comments and blank lines', () => {
      const { rules, errors } = parseSynonyms('# kop\n\nNAVO, NATO ,  Noord-Atlantische   Verdragsorganisatie\nPutin => Poetin\n');
      expect(errors).toEqual([]);
      expect(rules).toEqual([
        { line: 3, from: ['NAVO', 'NATO', 'Noord-Atlantische Verdragsorganisatie'], to: ['NAVO', 'NATO', 'Noord-Atlantische Verdragsorganisatie'] },
        { line: 4, from: ['Putin'], to: ['Poetin'] },
      ]);
    });

    it('reports each bad line by its number and keeps every other line', () => {
      const { rules, errors } = parseSynonyms('VS, Verenigde Staten\nalleen\na => b => c\nEU, , Europese Unie\nx <script>, y\nEU, Europese Unie\n');
      expect(rules.map((r) => r.line)).toEqual([1, 6]);
      expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
      expect(errors[0]!.message).toMatch(/at least two entries/);
      expect(errors[1]!.message).toMatch(/more than one "=>"/);
      expect(errors[2]!.message).toMatch(/empty entry/);
    });
  });

  describe('in query analysis', () => {
    const synonyms = synonymsOf('NAVO, NATO, Noord-Atlantische Verdragsorganisatie\nVS, Verenigde Staten\nPutin => Poetin\nVerenigde Staten van Amerika, USA\n');

    it('expands a word to its equivalents, and reports the expansion', () => {
      const a = analyzed('NATO', synonyms);
      expect(a.terms).toEqual(expect.arrayContaining([termOf('NATO'), termOf('NAVO'), termOf('Noord'), termOf('Verdragsorganisatie')]));
      expect(a.expansions).toEqual([{ text: 'NATO', synonyms: ['NAVO', 'Noord-Atlantische Verdragsorganisatie'] }]);
      // The multi-word synonym is a phrase, not loose words.
      expect(JSON.stringify(a.query)).toContain('"kind":"phrase"');
    });

    it('matches a multi-word entry across typed words, longest first, and only whole words', () => {
      expect(analyzed('Verenigde Staten sancties', synonyms).expansions).toEqual([{ text: 'Verenigde Staten', synonyms: ['VS'] }]);
      expect(analyzed('Verenigde Staten van Amerika', synonyms).expansions).toEqual([{ text: 'Verenigde Staten van Amerika', synonyms: ['USA'] }]);
      expect(analyzed('Verenigde', synonyms).expansions).toEqual([]);
    });

    it('applies one-way rules in their direction only, keeping the word typed', () => {
      const putin = analyzed('Putin', synonyms);
      expect(putin.terms).toEqual([termOf('Putin'), termOf('Poetin')]);
      expect(analyzed('Poetin', synonyms).expansions).toEqual([]);
    });

    it('applies inside phrases, and to excluded words', () => {
      const phrase = analyzed('"president Putin"', synonyms);
      expect(phrase.expansions).toEqual([{ text: 'Putin', synonyms: ['Poetin'] }]);
      expect(phrase.query!.kind).toBe('phrase');
      expect(leaves(phrase.query!).map((l) => l.term)).toEqual([termOf('president'), termOf('Putin'), termOf('Poetin')]);
      const variants = analyzed('"de NATO top"', synonyms);
      expect(variants.query!.kind).toBe('or'); // the phrase with NATO/NAVO, and with the full name
      const excluded = analyzed('Rusland -NATO', synonyms);
      expect(JSON.stringify(excluded.query)).toContain(`"term":"${termOf('NAVO')}"`);
    });

    it('does without: no file, no expansion', () => {
      expect(analyzed('NATO', synonymsOf('')).expansions).toEqual([]);
    });
  });
});
