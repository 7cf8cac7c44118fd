import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSplit, MAX_PARTS, splitCompound } from '../../src/analysis/decompound.js';
import { compoundLexicon, MIN_PART_LENGTH, type CompoundLexicon, type LexiconForm } from '../../src/analysis/lexicon.js';
import { scoreCompounds } from '../../eval/compounds.js';

const lexicon = compoundLexicon();
const split = (word: string) => formatSplit(word, splitCompound(word, lexicon));

/** The lexicon with its look-ups counted: the splitter's work on one word. */
function countingLexicon(): { lexicon: CompoundLexicon; lookups: () => number } {
  let n = 0;
  const counted = (map: ReadonlyMap<string, LexiconForm>): ReadonlyMap<string, LexiconForm> =>
    ({ get: (k: string) => (n++, map.get(k)), has: (k: string) => (n++, map.has(k)) }) as unknown as ReadonlyMap<string, LexiconForm>;
  return {
    lexicon: { ...lexicon, first: counted(lexicon.first), middle: counted(lexicon.middle), last: counted(lexicon.last) },
    lookups: () => n,
  };
}

describe('splitCompound', () => {
  it("splits the bundled article's closed compounds, linking morphemes kept with the part before", () => {
    expect(split('telefoongesprek')).toBe('telefoon+gesprek');
    expect(split('veiligheidsgaranties')).toBe('veiligheids+garanties');
    expect(split('mediaberichten')).toBe('media+berichten');
    expect(split('meivakantie')).toBe('mei+vakantie');
    expect(split('persconferentie')).toBe('pers+conferentie');
    expect(split('conceptdocumenten')).toBe('concept+documenten');
    expect(split('boekenkast')).toBe('boeken+kast');
    expect(splitCompound('veiligheidsgaranties', lexicon)).toEqual([
      { text: 'veiligheids', start: 0, end: 11, lemma: 'veiligheid', link: 's' },
      { text: 'garanties', start: 11, end: 20, lemma: 'garantie', link: '' },
    ]);
  });

  it('splits three-part compounds into every part, recursively', () => {
    expect(split('arbeidsmarktsituatie')).toBe('arbeids+markt+situatie');
    expect(split('ziekenhuisopname').split('+').at(-1)).toBe('opname');
    expect(split('gemeenteraadsvergadering')).toBe('gemeente+raads+vergadering');
  });

  it('leaves ordinary words whole, however they could be cut', () => {
    for (const word of ['beslissingen', 'ontmoeting', 'verduidelijkte', 'categorisch', 'aanzienlijke', 'vertegenwoordigers', 'boodschap', 'aanstaande', 'gesprek', 'gesprekken', 'belangrijk', 'besloten']) {
      expect(splitCompound(word, lexicon), word).toBeNull();
    }
  });

  it('never splits inside a two-letter vowel, nor makes a part shorter than the minimum', () => {
    // `zeeegel` could only be `zee` + `egel` across the `ee`: Dutch writes `zee-egel`.
    expect(splitCompound('zeeegel', lexicon)).toBeNull();
  });

  it('meets its targets on the evaluation lists (npm run eval:compounds)', () => {
    const scores = scoreCompounds(lexicon);
    expect(scores.nonCompounds.words).toBeGreaterThanOrEqual(2000);
    expect(scores.compounds.words).toBeGreaterThanOrEqual(500);
    expect(scores.nonCompounds.rate).toBeLessThan(0.01);
    expect(scores.compounds.rate).toBeGreaterThan(0.9);
  });

  it('on any string: parts concatenate back to the word, keep their bounds, and cost at most quadratic look-ups', () => {
    const counting = countingLexicon();
    const letters = fc.stringMatching(/^[a-zë]{0,40}$/);
    // Real words glued together exercise the splitting paths, not only the early exits.
    const glued = fc.array(fc.constantFrom('telefoon', 'gesprek', 'veiligheid', 's', 'en', 'boek', 'kast', 'ee', 'huis', 'zieken', 'opname', 'x'), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(letters, glued, fc.string({ maxLength: 80 })), (word) => {
        const before = counting.lookups();
        const parts = splitCompound(word, counting.lexicon);
        const spent = counting.lookups() - before;
        expect(spent).toBeLessThanOrEqual(4 * (word.length + 1) ** 2);
        if (parts === null) return;
        expect(parts.map((p) => p.text).join('')).toBe(word);
        expect(parts.length).toBeGreaterThanOrEqual(2);
        parts.forEach((p, i) => {
          expect(word.slice(p.start, p.end)).toBe(p.text);
          expect(p.text.length).toBeGreaterThanOrEqual(MIN_PART_LENGTH);
          expect(p.text.endsWith(p.link)).toBe(true);
          if (i > 0) expect(p.start).toBe(parts[i - 1]!.end);
        });
        expect(splitCompound(word, lexicon)).toEqual(parts); // deterministic
      }),
      { numRuns: 3000 },
    );
    expect(MAX_PARTS).toBeGreaterThanOrEqual(3);
  });
});
