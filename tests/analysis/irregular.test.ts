import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { stemDutch } from '../../src/analysis/dutch-stemmer.js';
import { irregularLemmas } from '../../src/analysis/irregular.js';

const analyzer = createAnalyzer();

describe('irregular forms', () => {
  const lemmas = irregularLemmas();

  it('lists strong verbs with every past form and irregular plurals', () => {
    expect(lemmas.size).toBeGreaterThan(800);
    for (const form of ['zei', 'zeiden', 'gezegd']) expect(lemmas.get(form)).toBe('zeggen');
    for (const form of ['won', 'wonnen', 'gewonnen']) expect(lemmas.get(form)).toBe('winnen');
    for (const form of ['hielp', 'hielpen', 'geholpen']) expect(lemmas.get(form)).toBe('helpen');
    for (const form of ['ging', 'gingen', 'gegaan']) expect(lemmas.get(form)).toBe('gaan');
    expect(lemmas.get('steden')).toBe('stad');
    expect(lemmas.get('schepen')).toBe('schip');
    // Meaning is not form: `beter` is not a form of `goed`.
    expect(lemmas.has('beter')).toBe(false);
  });

  it("indexes each form with its lemma's stem as an alternative term, as a query for the lemma is analyzed", () => {
    for (const [form, lemma] of lemmas) {
      const [token] = analyzer.analyze(form);
      if (token!.stopword) continue; // `was`, `is`: never indexed
      const lemmaTerm = analyzer.analyze(lemma)[0]!.terms[0]!;
      if (analyzer.analyze(lemma)[0]!.stopword) continue;
      expect(token!.terms, `${form} → ${lemma}`).toContain(lemmaTerm);
      expect(token!.lemma).toBe(lemma);
    }
  });

  it('reports a malformed line of a table by its number', () => {
    expect(() => irregularLemmas('zeggen: zei\ngeen dubbelepunt\n')).toThrow('line 2');
  });

  it('leaves the stemmer itself (npm run stem) exactly Snowball', () => {
    expect(stemDutch('zei')).toBe('zei');
    expect(stemDutch('steden')).not.toBe(stemDutch('stad'));
    expect(createAnalyzer({ irregularForms: false }).analyze('zei')[0]!.terms).toEqual(['zei']);
  });
});
