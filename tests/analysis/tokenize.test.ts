import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachWord, hasDigit } from '../../src/analysis/tokenize.js';

/** The words of `text` as `[surface, [part surfaces]]`. */
function words(text: string): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  forEachWord(text, (start, end, parts) => {
    const surfaces: string[] = [];
    for (let i = 0; i < parts.length; i += 2) surfaces.push(text.slice(parts[i], parts[i + 1]));
    out.push([text.slice(start, end), surfaces]);
  });
  return out;
}

const surfaces = (text: string) => words(text).map(([w]) => w);

describe('tokenize', () => {
  describe('forEachWord', () => {
    it('splits on spaces and punctuation and keeps the words as written', () => {
      expect(surfaces('Tijdens een persconferentie in Moskou, op maandag.')).toEqual([
        'Tijdens', 'een', 'persconferentie', 'in', 'Moskou', 'op', 'maandag',
      ]);
    });

    it('keeps an apostrophe between letters inside the word', () => {
      expect(surfaces("zo'n auto's agenda’s L'Essor")).toEqual(["zo'n", "auto's", 'agenda’s', "L'Essor"]);
    });

    it("makes a standalone clitic a word of its own", () => {
      expect(surfaces("'s avonds, van 't Hof en ’t is")).toEqual(["'s", 'avonds', 'van', "'t", 'Hof', 'en', '’t', 'is']);
    });

    it('drops quotes that are not clitics or internal apostrophes', () => {
      expect(surfaces("'Wat betreft,,de gesprekken'' Kees' fiets")).toEqual([
        'Wat', 'betreft', 'de', 'gesprekken', 'Kees', 'fiets',
      ]);
    });

    it('keeps numbers with inner dots, commas and colons whole', () => {
      expect(surfaces('om 17.00 uur (GMT 14.00 uur), 10.000 man, 3,5 procent, 1:0 en 2022.')).toEqual([
        'om', '17.00', 'uur', 'GMT', '14.00', 'uur', '10.000', 'man', '3,5', 'procent', '1:0', 'en', '2022',
      ]);
    });

    it('joins hyphenated parts into one word and reports the parts', () => {
      expect(words('De Kremlin-woordvoerder, de G8-top en Noord-Atlantische')).toEqual([
        ['De', ['De']],
        ['Kremlin-woordvoerder', ['Kremlin', 'woordvoerder']],
        ['de', ['de']],
        ['G8-top', ['G8', 'top']],
        ['en', ['en']],
        ['Noord-Atlantische', ['Noord', 'Atlantische']],
      ]);
    });

    it("joins a clitic to a hyphenated name: 's-Hertogenbosch", () => {
      expect(words("in 's-Hertogenbosch")).toEqual([
        ['in', ['in']],
        ["'s-Hertogenbosch", ["'s", 'Hertogenbosch']],
      ]);
    });

    it('does not join across an elision hyphen, a dash or an en dash', () => {
      expect(surfaces('land- en tuinbouw, premier en -minister, 2021–2022 — klaar')).toEqual([
        'land', 'en', 'tuinbouw', 'premier', 'en', 'minister', '2021', '2022', 'klaar',
      ]);
    });

    it('keeps combining marks and soft hyphens inside the word', () => {
      expect(surfaces('Oekrai\u0308ne be\u00adlangrijk')).toEqual(['Oekrai\u0308ne', 'be\u00adlangrijk']);
    });

    it('treats letters of any script as words and emoji, lone surrogates and controls as separators', () => {
      expect(surfaces('שלום 👍🏽 мир\ud800x \u200fسلام 𝒜b')).toEqual(['שלום', 'мир', 'x', 'سلام', '𝒜b']);
    });

    it('reports offsets that slice back to each word and part, in order, without overlap', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
          let previousEnd = 0;
          forEachWord(text, (start, end, parts) => {
            expect(start).toBeGreaterThanOrEqual(previousEnd);
            expect(end).toBeGreaterThan(start);
            expect(parts[0]).toBe(start);
            expect(parts[parts.length - 1]).toBe(end);
            for (let i = 2; i < parts.length; i += 2) expect(parts[i]).toBeGreaterThan(parts[i - 1]!);
            previousEnd = end;
          });
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('hasDigit', () => {
    it('finds digits of any script', () => {
      expect(hasDigit('2022')).toBe(true);
      expect(hasDigit('g8')).toBe(true);
      expect(hasDigit('٣')).toBe(true);
      expect(hasDigit('navo')).toBe(false);
    });
  });
});
