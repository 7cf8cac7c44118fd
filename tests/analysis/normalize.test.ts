import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldDiacritics, normalizeWord } from '../../src/analysis/normalize.js';

describe('normalize', () => {
  describe('normalizeWord', () => {
    it('lowercases and keeps diacritics', () => {
      expect(normalizeWord('Oekraïne')).toBe('oekraïne');
      expect(normalizeWord('NAVO')).toBe('navo');
    });

    it('makes every apostrophe look-alike a plain apostrophe', () => {
      expect(normalizeWord('auto’s')).toBe("auto's");
      expect(normalizeWord('zoʼn')).toBe("zo'n");
      expect(normalizeWord('auto´s')).toBe("auto's");
    });

    it('composes decomposed letters, splits the ĳ ligature and removes soft hyphens', () => {
      expect(normalizeWord('Oekrai\u0308ne')).toBe('oekraïne');
      expect(normalizeWord('Ĳsland')).toBe('ijsland');
      expect(normalizeWord('be\u00adlangrijk')).toBe('belangrijk');
      expect(normalizeWord('ＮＡＶＯ')).toBe('navo');
    });
  });

  describe('foldDiacritics', () => {
    it('removes Dutch diacritics', () => {
      expect(foldDiacritics('oekraïne')).toBe('oekraine');
      expect(foldDiacritics('één')).toBe('een');
      expect(foldDiacritics('vóór')).toBe('voor');
      expect(foldDiacritics('financiële')).toBe('financiele');
    });

    it('folds Latin letters whose diacritic does not decompose', () => {
      expect(foldDiacritics('søren')).toBe('soren');
      expect(foldDiacritics('łódź')).toBe('lodz');
      expect(foldDiacritics('straße')).toBe('strasse');
    });

    it('leaves other scripts their vowel signs', () => {
      expect(foldDiacritics('हिन्दी')).toBe('हिन्दी');
    });

    it('is idempotent and never leaves a combining diacritic', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
          const folded = foldDiacritics(text.toLowerCase());
          expect(foldDiacritics(folded)).toBe(folded);
          expect(folded.normalize('NFD')).not.toMatch(/[\u0300-\u036f]/);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
